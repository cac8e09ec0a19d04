"""Split participants into work groups: fixed country clusters, or balanced mixes of countries and genders (pure)."""
import math
import random
from collections import Counter
from dataclasses import dataclass

MAX_GROUPS = 30
MAX_SWEEPS = 50  # gender balancing stops long before this on real programs; the cap bounds hostile input


@dataclass(frozen=True)
class Person:
    id: int
    country: str  # ISO code, or the organization for observers: what "country spread" is about
    gender: str = "not_recorded"


def country_clusters(people, clusters):
    """Groups by country: `clusters` is a list of country-code lists, one per group. People whose country no
    cluster names (observers, countries left out) join the smallest groups, so sizes stay as even as they can."""
    where = {code: index for index, codes in enumerate(clusters) for code in codes}
    groups = [[] for _ in clusters]
    leftovers = []
    for person in sorted(people, key=lambda p: p.id):
        if person.country in where:
            groups[where[person.country]].append(person.id)
        else:
            leftovers.append(person)
    for person in sorted(leftovers, key=lambda p: (p.country, p.id)):
        min(groups, key=len).append(person.id)
    return groups


def balanced_groups(people, count, seed=0):
    """`count` groups whose sizes differ by at most one, each country spread as evenly as the numbers allow
    (never more than ⌈its people / count⌉ in a group), then genders evened out by swapping people of the same
    country. The same people, count and seed always give the same groups."""
    if not 1 <= count <= MAX_GROUPS:
        raise ValueError("count")
    rng = random.Random(seed)
    ordered = _dealing_order(people, rng)
    groups = [[] for _ in range(count)]
    for position, person in enumerate(ordered):  # dealt like cards: consecutive people, consecutive groups
        groups[position % count].append(person)
    _even_out_genders(groups)
    return [[person.id for person in group] for group in groups]


def spread_report(people, groups):
    """Per group: its size, people per country and per gender (what the guarantees are checked on)."""
    by_id = {person.id: person for person in people}
    return [{"size": len(group), "countries": Counter(by_id[i].country for i in group),
             "genders": Counter(by_id[i].gender for i in group)} for group in groups]


def country_cap(people, count):
    """The most people of one country a group must hold, country by country."""
    return {country: math.ceil(total / count) for country, total in Counter(p.country for p in people).items()}


def _dealing_order(people, rng):
    """Countries one after the other (largest first, ties in seeded order), so each country's people go round
    the groups; genders are evened out afterwards."""
    shuffled = sorted(people, key=lambda p: p.id)
    rng.shuffle(shuffled)
    by_country = {}
    for person in shuffled:
        by_country.setdefault(person.country, []).append(person)
    tie_break = {country: rng.random() for country in sorted(by_country)}
    countries = sorted(by_country, key=lambda c: (-len(by_country[c]), tie_break[c]))
    return [person for country in countries for person in by_country[country]]


def _even_out_genders(groups):
    """Swap two people of the same country between groups whenever it makes the genders more even; country
    counts and group sizes are unchanged by such a swap."""
    for _sweep in range(MAX_SWEEPS):
        if not _one_improving_swap(groups):
            return


def _one_improving_swap(groups):
    for first in range(len(groups)):
        for second in range(first + 1, len(groups)):
            for i, a in enumerate(groups[first]):
                for j, b in enumerate(groups[second]):
                    if a.country != b.country or a.gender == b.gender:
                        continue
                    before = _imbalance(groups[first]) + _imbalance(groups[second])
                    groups[first][i], groups[second][j] = b, a
                    if _imbalance(groups[first]) + _imbalance(groups[second]) < before:
                        return True
                    groups[first][i], groups[second][j] = a, b
    return False


def _imbalance(group):
    """How far a group is from an even gender mix: sum of squared counts (smallest when counts are equal)."""
    return sum(count * count for count in Counter(person.gender for person in group).values())


def parse_clusters(text, code_of):
    """'Grupo 1: Belice, CR, México' per line → [(name or None, [codes])] and problems as (line, code, value).
    `code_of` turns a country name or code into an ISO code (None when unknown)."""
    clusters, problems, seen = [], [], {}
    for number, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        name, _colon, countries = line.rpartition(":") if ":" in line else ("", "", line)
        codes = []
        for token in (token.strip() for token in countries.replace(";", ",").split(",")):
            code = code_of(token) if token else None
            if token and code is None:
                problems.append((number, "unknown_country", token))
            elif code in seen:
                problems.append((number, "country_twice", token))
            elif code:
                seen[code] = number
                codes.append(code)
        if not codes and not any(p[0] == number for p in problems):
            problems.append((number, "no_country", line.strip()))
        clusters.append((name.strip() or None, codes))
    return clusters, problems


def split_languages(text, languages):
    """'Gobernanza | Governance' → {"es": "Gobernanza", "en": "Governance"} for languages ("es", "en"): one part
    per language, in the program's order (its default first); empty parts are left out, parts beyond the
    languages ignored. A line of today's two-part form reads the same in a program of Spanish and English."""
    parts = [part.strip() for part in text.split("|")]
    return {code: part for code, part in zip(languages, parts, strict=False) if part}


def join_languages(texts, languages):
    """The line split_languages reads back: the parts in `languages` order, joined by ' | ' (trailing empties
    left out)."""
    parts = [(texts or {}).get(code, "") for code in languages]
    while parts and not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def parse_perspectives(text, languages):
    """'Gobernanza | Governance' per line → [{"es": …, "en": …}]: one part per program language (see
    split_languages); only the first is needed."""
    return [split_languages(line, languages) for line in text.splitlines() if line.strip()]
