"""Group assignment guarantees (pure): sizes, country spread, gender mix, clusters, determinism."""
import random
from collections import Counter

import pytest

from training.grouping import Person, balanced_groups, country_cap, country_clusters, spread_report

COUNTRIES = ("BZ", "CA", "CR", "SV", "US", "GT", "HN", "MX", "NI", "PA", "DO")


def program_people(seed=1, size=103):
    """Uneven delegations and genders, as real lists are."""
    rng = random.Random(seed)
    return [Person(i, rng.choice(COUNTRIES[: rng.randint(3, 11)]), rng.choice(("female", "female", "male", "other")))
            for i in range(1, size + 1)]


@pytest.mark.parametrize("count", [2, 3, 4, 5, 7])
@pytest.mark.parametrize("seed", [0, 1, 2, 42])
def test_sizes_differ_by_at_most_one_and_no_country_is_over_represented(count, seed):
    people = program_people(seed)
    groups = balanced_groups(people, count, seed=seed)
    assert sorted(i for group in groups for i in group) == [p.id for p in people]  # everyone, once
    sizes = [len(group) for group in groups]
    assert max(sizes) - min(sizes) <= 1
    caps = country_cap(people, count)
    for report in spread_report(people, groups):
        assert all(n <= caps[country] for country, n in report["countries"].items())


def test_same_seed_same_groups_other_seed_other_groups():
    people = program_people()
    assert balanced_groups(people, 4, seed=7) == balanced_groups(list(reversed(people)), 4, seed=7)
    assert balanced_groups(people, 4, seed=7) != balanced_groups(people, 4, seed=8)


def test_genders_are_mixed_evenly_when_the_numbers_allow():
    # 9 countries × 2 women and 2 men, 4 groups: every group gets 4 or 5 women and as many men.
    people = [Person(n * 10 + k, country, "female" if k < 2 else "male")
              for n, country in enumerate(COUNTRIES[:9]) for k in range(4)]
    for seed in range(5):
        groups = balanced_groups(people, 4, seed=seed)
        for report in spread_report(people, groups):
            assert abs(report["genders"]["female"] - report["genders"]["male"]) <= 1, report


def test_a_country_with_fewer_people_than_groups_puts_at_most_one_in_each():
    people = [Person(i, "MX" if i <= 3 else "GT", "female") for i in range(1, 13)]
    for report in spread_report(people, balanced_groups(people, 4, seed=3)):
        assert report["countries"]["MX"] <= 1 and report["size"] == 3


def test_more_groups_than_people_and_bad_counts():
    groups = balanced_groups([Person(1, "MX"), Person(2, "GT")], 3)
    assert sorted(len(g) for g in groups) == [0, 1, 1]
    with pytest.raises(ValueError):
        balanced_groups([Person(1, "MX")], 0)


def test_country_clusters_as_in_session_2():
    clusters = [["BZ", "CR", "MX", "PA", "DO"], ["GT", "SV", "HN", "NI"]]
    people = [Person(1, "MX"), Person(2, "GT"), Person(3, "CR"), Person(4, "HN"), Person(5, "NI"),
              Person(6, "CA"), Person(7, "Red Civil"), Person(8, "SV")]
    groups = country_clusters(people, clusters)
    assert groups[0][:2] == [1, 3] and groups[1][:4] == [2, 4, 5, 8]
    # Canada and the observer, named in no cluster, go to the smaller group first.
    assert sorted(groups[0]) == [1, 3, 6, 7] and sorted(groups[1]) == [2, 4, 5, 8]
    assert Counter(len(g) for g in groups) == {4: 2}


def test_cluster_lines_are_read_with_names_or_codes():
    from training.countries import code_from_name
    from training.grouping import parse_clusters

    clusters, problems = parse_clusters("Grupo 1: Belice, CR, México; Panamá, DO\n\nGT, El Salvador, HN, NI\n",
                                        code_from_name)
    assert problems == []
    assert clusters == [("Grupo 1", ["BZ", "CR", "MX", "PA", "DO"]), (None, ["GT", "SV", "HN", "NI"])]
    _clusters, problems = parse_clusters("A: MX, Narnia\nB: México\nC:\n", code_from_name)
    assert problems == [(1, "unknown_country", "Narnia"), (2, "country_twice", "México"), (3, "no_country", "C:")]


def test_perspective_lines_in_two_languages():
    from training.grouping import parse_perspectives

    # Today's two-part lines read the same in a program of Spanish and English; a missing part is left out (the
    # page shows the default language's text in its place).
    assert parse_perspectives("Gobernanza | Governance\nEmpleabilidad\n", ("es", "en")) == \
        [{"es": "Gobernanza", "en": "Governance"}, {"es": "Empleabilidad"}]


def test_perspective_lines_follow_the_program_languages_default_first():
    from training.grouping import join_languages, parse_perspectives, split_languages

    languages = ("fr", "pt", "es", "en")
    lines = "Gouvernance | Governança | Gobernanza | Governance\nEmployabilité |  | Empleabilidad\n"
    assert parse_perspectives(lines, languages) == [
        {"fr": "Gouvernance", "pt": "Governança", "es": "Gobernanza", "en": "Governance"},
        {"fr": "Employabilité", "es": "Empleabilidad"}]
    assert split_languages("Seul | Sozinho | extra", ("fr", "pt")) == {"fr": "Seul", "pt": "Sozinho"}
    assert join_languages({"fr": "Employabilité", "es": "Empleabilidad"}, languages) == \
        "Employabilité |  | Empleabilidad"
    assert join_languages({"en": "Only English"}, ("es", "en")) == " | Only English"


def test_countries_by_their_name_in_any_of_the_four_languages_and_their_main_language():
    from training.countries import code_from_name, main_language

    assert [code_from_name(name) for name in ("Mexique", "México", "Mexico", "États-Unis", "Estados Unidos",
                                              "Canadá", "Haïti", "Brésil")] == \
        ["MX", "MX", "MX", "US", "US", "CA", "HT", "BR"]
    assert main_language("CA") == "en" and main_language("CA", ["es", "fr"]) == "fr"
    assert main_language("BR", ["fr", "pt"]) == "pt" and main_language("HT", ("es", "fr")) == "fr"
    assert main_language("MX", ["fr", "pt"]) is None  # the caller falls back to the program's default
