"""Registrants a report name that matched nobody exactly may be: fuzzy, accent-folded, suggestions only (pure)."""
import re

from rapidfuzz import fuzz

from ..textkeys import name_key

MIN_SCORE = 85  # below this a name is no suggestion (measured in benchmarks/attendance_names.py)
LIMIT = 3
TYPO_SCORE = 75  # fuzz.ratio of two words one slip apart ('pena'/'pnea' is 75, 'ena'/'pena' 86)
LEFT_OUT_COST = 3  # per word of the person's the report name leaves out
WHOLE_TEXT_COST = 8  # a score from comparing whole texts rather than word by word
# "MX - Ana Pérez", "Ana Pérez | OIM", "SENA: Ana Pérez": a delegation, country or office written beside the name.
SEPARATORS = re.compile(r"\s+[-–—|/·]+\s+|\s*[|:·]\s*")


def suggest(name, registrants, email="", limit=LIMIT, min_score=MIN_SCORE):
    """Ids of the registrants `name` (or the name an e-mail address spells, 'jose.nunez@…') most resembles, best
    first (a tie keeps the registrants' order). `registrants`: objects with id, given_names and family_names."""
    variants = name_variants(name)
    variants += [key for key in name_variants(_email_name(email)) if key not in variants]
    if not variants:
        return []
    scored = []
    for position, person in enumerate(registrants):
        score = max(similarity(variant, person.given_names, person.family_names) for variant in variants)
        if score >= min_score:
            scored.append((-score, position, person.id))
    return [person_id for _score, _position, person_id in sorted(scored)[:limit]]


def name_variants(text):
    """The folded forms worth comparing: the whole text, the name Zoom keeps in parentheses ('New (Original)'), and
    each part beside a separator ('MX - Ana Pérez' → 'ana perez'). One-word parts say too little to suggest."""
    text = text or ""
    pieces = [text, *re.findall(r"\(([^()]+)\)", text), re.sub(r"\([^()]*\)", " ", text)]
    pieces += [part for piece in list(pieces) for part in SEPARATORS.split(piece)]
    keys = []
    for piece in pieces:
        key = name_key(piece)
        if len(key.split()) >= 2 and key not in keys:
            keys.append(key)
    return keys


def _email_name(email):
    """'jose.nunez2@gmail.com' → 'jose nunez'."""
    local = (email or "").partition("@")[0]
    return re.sub(r"[\d._+-]+", " ", local)


def similarity(key, given_names, family_names):
    """0–100: how much a folded report name looks like this person. Word order, one typo, names or surnames left
    out ('ana perez' for Ana Lucía Pérez Zúñiga) and initials ('j a nunez pena', 'ja nunez') all score high; each of
    the person's words the report leaves out costs a little, so the person it names most fully comes first."""
    given, family = name_key(given_names).split(), name_key(family_names).split()
    whole = " ".join(given + family)
    # Compared as one text, two people sharing both surnames look alike: only a near-identical text counts.
    written = max(fuzz.ratio(key, whole), fuzz.ratio(key, " ".join(family + given)), fuzz.token_sort_ratio(key, whole))
    return max(written - WHOLE_TEXT_COST, _aligned(key.split(), given, family))


def _aligned(words, given, family):
    """Each word of the report name paired with one of the person's: the same word, the same with one typo, or
    initials of given names ('j', or 'ja' for José Ángel). 0 when a word pairs with none, or when only initials
    pair (a surname must be written)."""
    free_given, free_family = list(given), list(family)
    scores, surname = [], False
    for word in sorted(words, key=len, reverse=True):  # whole words first, so an initial does not take their place
        score = _take_word(word, free_family)
        if score:
            surname = True
        else:
            score = _take_word(word, free_given) or _take_initials(word, free_given)
        if not score:
            return 0
        scores.append(score)
    if not surname:
        return 0
    left_out = len(free_given) + len(free_family)
    return sum(scores) / len(scores) - LEFT_OUT_COST * left_out


def _take_word(word, free):
    """The best of `free` for a whole word (removed from it), as its score; 0 for none or for a one-letter word."""
    if word in free:  # first, so a one-letter surname (O'Brien: 'o brien') pairs with itself
        free.remove(word)
        return 100
    if len(word) < 2 or not free:
        return 0
    best = max(free, key=lambda their: fuzz.ratio(word, their))
    score = fuzz.ratio(word, best)
    if min(len(word), len(best)) >= 3 and score >= TYPO_SCORE:
        free.remove(best)
        return score
    return 0


def _take_initials(word, free):
    """'j' or 'ja' as the initials of the next given names still free (removed from it): 100, or 0."""
    if len(word) > len(free) or "".join(name[0] for name in free[:len(word)]) != word:
        return 0
    del free[:len(word)]
    return 100
