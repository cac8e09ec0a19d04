"""How often a Zoom name that matches nobody exactly gets the right person as its top suggestion, on the demo's 113
participants: "MX - Full Name", the full name with one typo, initials and surnames, initials and the first surname;
and how often a name that is nobody's (one person's given names with another's surnames) gets any suggestion.
Before: the rule until RapidFuzz (registrants whose names hold every word of the report's); after: `suggest`.

Run: .venv/bin/python benchmarks/attendance_names.py [--json]
"""
import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.attendance.suggestions import suggest  # noqa: E402
from training.demo_data import MEMBER_COUNTRIES, OBSERVERS, delegation_people, observer_people  # noqa: E402
from training.textkeys import name_key  # noqa: E402


class Person:
    def __init__(self, person_id, person, prefix):
        self.id, self.given_names, self.family_names = person_id, person.given_names, person.family_names
        self.prefix = prefix


def demo_registrants():
    """The demo's people as `flask demo` loads them (Nicaragua short of its quota), ids in loading order."""
    people = []
    for country in MEMBER_COUNTRIES:
        people += [(p, country) for p in delegation_people(country, 7 if country == "NI" else 10)]
    for organization, quota in OBSERVERS:
        acronym = organization.rsplit("(", 1)[-1].rstrip(")")
        people += [(p, acronym) for p in observer_people(organization, quota)]
    return [Person(index + 1, person, prefix) for index, (person, prefix) in enumerate(people)]


def before(name, registrants):
    """Suggestions before RapidFuzz: registrants whose names hold every word of the report's."""
    words = set(name_key(name).split())
    if len(words) < 2:
        return []
    return [p.id for p in registrants if words <= set(name_key(f"{p.given_names} {p.family_names}").split())][:3]


def with_typo(text, rng):
    """One keyboard slip in a letter: a letter replaced, dropped, doubled, or swapped with the next."""
    positions = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rng.choice(positions)
    kind = rng.choice(("replace", "drop", "double", "swap"))
    if kind == "replace":
        return text[:i] + rng.choice([c for c in "aeioulnrst" if c != text[i].lower()]) + text[i + 1:]
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "double":
        return text[:i] + text[i] + text[i:]
    j = i + 1 if i + 1 < len(text) and text[i + 1].isalpha() else i - 1
    a, b = sorted((i, j))
    return text[:a] + text[b] + text[a] + text[b + 1:]


def initials(given):
    return " ".join(f"{word[0]}." for word in given.split())


VARIANTS = {
    "prefix": lambda p, rng: f"{p.prefix} - {p.given_names} {p.family_names}",
    "typo": lambda p, rng: with_typo(f"{p.given_names} {p.family_names}", rng),
    "initials": lambda p, rng: f"{initials(p.given_names)} {p.family_names}",
    "initials_first_surname": lambda p, rng: f"{initials(p.given_names)} {p.family_names.split()[0]}",
}


def measure(registrants, rule):
    rng = random.Random(2021)
    results = {}
    for variant, make in VARIANTS.items():
        top = in_three = none = 0
        for person in registrants:
            found = rule(make(person, rng), registrants)
            top += bool(found) and found[0] == person.id
            in_three += person.id in found
            none += not found
        results[variant] = {"top": top, "in_top_3": in_three, "no_suggestion": none}
    results["strangers_with_a_suggestion"] = sum(bool(rule(name, registrants)) for name in strangers(registrants))
    return results


def strangers(registrants):
    """Names of nobody registered: each person's given names with the next different surnames."""
    full = {name_key(f"{p.given_names} {p.family_names}") for p in registrants}
    names = []
    for person, other in zip(registrants, registrants[7:] + registrants[:7], strict=True):
        name = f"{person.given_names} {other.family_names}"
        if name_key(name) not in full:
            names.append(name)
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    registrants = demo_registrants()
    names = [name_key(f"{p.given_names} {p.family_names}") for p in registrants]
    shared = sum(1 for name in names if names.count(name) > 1)
    results = {"participants": len(registrants), "sharing_a_full_name": shared,
               "strangers": len(strangers(registrants)),
               "before": measure(registrants, before), "after": measure(registrants, suggest)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{results['participants']} demo participants ({shared} share their full name with another); "
          f"right person as top suggestion (in the top 3; no suggestion at all):")
    for variant in VARIANTS:
        cells = [f"{rule:>6}: {r['top']:>3} ({r['in_top_3']:>3}; {r['no_suggestion']:>3})"
                 for rule, r in (("before", results["before"][variant]), ("after", results["after"][variant]))]
        print(f"  {variant:<24}" + "   ".join(cells))
    strays = {rule: results[rule]["strangers_with_a_suggestion"] for rule in ("before", "after")}
    print(f"  names of nobody registered that get a suggestion: before {strays['before']}, after {strays['after']} "
          f"of {results['strangers']}")


if __name__ == "__main__":
    main()
