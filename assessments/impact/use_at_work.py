"""Use at work: the use people reported in the follow-up against what they intended in the post-test, paired per
person, with the follow-up's response rate and whether those who answered had intended differently (pure)."""
from statistics import fmean

from .. import stats
from ..question_types import DISTRIBUTION, REGISTRY
from ..stats_base import plain
from ..stats_conventions import NON_RESPONDERS, RESPONDERS

NO_FOLLOW_UP = "no_follow_up"
NO_SHARED_USE_ITEMS = "no_shared_use_items"
DIMENSION = "application"  # the post-test's intended-use statements, repeated in the follow-up with their keys


def use_keys(post, follow_up):
    """Item keys of the post-test's application statements (Likert, 0–10) that the follow-up repeats on the same
    scale, in the post-test's order: a statement asked on another scale is not the same measure."""
    later = _keyed(follow_up)
    return [key for key, item in _keyed(post).items() if key in later and _points(item) == _points(later[key])]


def _keyed(test):
    """item key → the first application statement with that key (a repeated key counts once)."""
    found = {}
    for item in test.items:
        if item.dimension == DIMENSION and item.item_key and REGISTRY[item.spec.type].impact == DISTRIBUTION:
            found.setdefault(item.item_key, item)
    return found


def _points(item):
    return tuple(REGISTRY[item.spec.type].option_keys(item.spec))


def key_values(test, keys, ids):
    """respondent id → {item key: the point chosen, as a number} for `ids` who submitted `test`; unanswered
    statements are left out."""
    questions = {key: item.question_id for key, item in _keyed(test).items() if key in keys}
    values = {}
    for respondent in ids:
        answers = test.answers.get(respondent)
        if answers is not None:
            values[respondent] = {key: float(answers[question]) for key, question in questions.items()
                                  if answers.get(question) not in (None, "")}
    return values


def use_at_work(people, post, follow_up, confidence=0.95):
    """The use-at-work block of the impact report: who completed (submitted the post-test), who answered the
    follow-up, each person's intended and reported use (means over the statements they answered in both), the paired
    comparison (reported − intended) overall and per statement (Holm across statements), and the non-response
    check; `reason` says why there are no figures (no follow-up, no statement in common)."""
    ids = [person.id for person in people]
    # "Completed the program": active, not erased, submitted the post-test (those the follow-up is sent to).
    completers = [person.id for person in people if person.id in post.answers and not person.erased]
    counted = set(completers)
    responders = [r for r in completers if r in follow_up.answers]
    keys = use_keys(post, follow_up)
    # A person's mean is taken on one scale: a 1–5 and a 0–10 answer averaged together would mean nothing.
    person_keys = [key for key in keys if _points(_keyed(post)[key]) == _points(_keyed(post)[keys[0]])]
    intended, reported = key_values(post, keys, completers), key_values(follow_up, keys, responders)
    rows = person_rows(intended, reported, responders, person_keys)
    return {
        "reason": NO_FOLLOW_UP if not follow_up.items else (None if keys else NO_SHARED_USE_ITEMS),
        "keys": keys, "person_keys": person_keys, "scale": _scale(post, person_keys), "confidence": confidence,
        "completers": len(completers), "respondents": len(responders),
        "response_rate": len(responders) / len(completers) if completers else None,
        # Answered the follow-up without counting as completers (no post-test, or erased since): left out.
        "other_respondents": sum(1 for r in ids if r in follow_up.answers and r not in counted),
        "comparison": plain(stats.paired_comparison([row["intended"] for row in rows],
                                                    [row["reported"] for row in rows], confidence=confidence)),
        "items": item_rows(post, keys, intended, reported, confidence),
        "non_response": non_response(intended, responders, completers, person_keys, follow_up),
        "people": rows,
    }


def person_rows(intended, reported, responders, keys):
    """[{id, intended, reported, statements}] of the responders who answered at least one statement in both
    tests: each person's means over the statements they answered in both, so that both sides measure the same."""
    rows = []
    for respondent in responders:
        before, after = intended.get(respondent, {}), reported.get(respondent, {})
        shared = [key for key in keys if key in before and key in after]
        if shared:
            rows.append({"id": respondent, "intended": fmean(before[key] for key in shared),
                         "reported": fmean(after[key] for key in shared), "statements": len(shared)})
    return rows


def item_rows(post, keys, intended, reported, confidence):
    """Per statement: the paired comparison among those who answered it in both tests; Holm's adjustment of the
    Wilcoxon p-values across statements (the points are ordinal: the signed-rank test is the one to read)."""
    texts = {key: dict(item.text) for key, item in _keyed(post).items()}
    rows = []
    for key in keys:
        pairs = [(intended[r][key], reported[r][key]) for r in reported if key in reported[r] and key in intended[r]]
        result = plain(stats.paired_comparison([a for a, _b in pairs], [b for _a, b in pairs],
                                               confidence=confidence))
        rows.append({"item_key": key, "text": texts.get(key, {}), "result": result})
    for row, adjusted in zip(rows, stats.holm([row["result"]["wilcoxon_p"] for row in rows]), strict=True):
        row["p_holm"] = adjusted
    return rows


def non_response(intended, responders, completers, keys, follow_up):
    """Did those who answered the follow-up intend a different use from those who did not? Each completer's mean
    intended use over the shared statements they answered, compared with Welch's t (responders − non-responders),
    as the attrition check compares pre-test scores."""
    answered = set(responders)
    means = {r: fmean(values[key] for key in keys if key in values) for r, values in intended.items()
             if any(key in values for key in keys)}
    result = plain(stats.compare_groups({RESPONDERS: [means[r] for r in completers if r in answered and r in means],
                                         NON_RESPONDERS: [means[r] for r in completers
                                                          if r not in answered and r in means]}))
    if not follow_up.items:
        result["reason"] = NO_FOLLOW_UP
    elif not keys:
        result["reason"] = NO_SHARED_USE_ITEMS
    return result


def _scale(post, keys):
    """{low, high} of the scale the person means are on (a Likert's 1–5, a 0–10), None without statements."""
    if not keys:
        return None
    points = _points(_keyed(post)[keys[0]])
    return {"low": int(points[0]), "high": int(points[-1])}
