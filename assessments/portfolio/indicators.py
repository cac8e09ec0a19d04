"""The portfolio's indicators from plain rows: who registered, attended, completed and was certified, by program,
country, gender, profile and year; knowledge gain per program; satisfaction and intended use (pure)."""
from dataclasses import dataclass

DIMENSIONS = ("program", "country", "gender", "profile", "year")
FILTERS = ("year", "country", "program", "gender", "profile")
COUNTS = ("registered", "attending", "completing", "certified")


@dataclass(frozen=True)
class Person:
    """A registered (not withdrawn) participant of one program, as the portfolio counts them."""
    id: int
    program: str  # the program's code
    country: str
    gender: str
    profile: str
    year: str  # the year the program starts ("" without dates)
    attending: bool = False  # at least one session or course marked present, late or completed
    completing: bool = False  # meets the program's completion rule (its certificate settings)
    certified: bool = False  # holds a valid certificate
    person: str = ""  # the e-mail key that recognizes the same person across programs


def options(people):
    """filter name → the values present, sorted: what a filter may choose among."""
    return {name: sorted({getattr(person, name) for person in people} - {""}) for name in FILTERS}


def choose(arguments, available):
    """(filters, refused names): each filter of `available` (name → values present) given a value that is one of
    its values; a value that is not is refused and that filter left out (a typo must not silently read as
    'everyone'). The lessons' library chooses its filters with it too."""
    chosen, refused = {}, []
    for name in available:
        value = str(arguments.get(name) or "").strip()
        if not value:
            continue
        if value in available.get(name, ()):
            chosen[name] = value
        else:
            refused.append(name)
    return chosen, refused


def filtered(people, filters):
    return [person for person in people if all(getattr(person, name) == value for name, value in filters.items())]


def tally(people):
    return {"registered": len(people), **{name: sum(getattr(p, name) for p in people) for name in COUNTS[1:]}}


def distinct_people(people):
    """{"people": how many different people (by e-mail) the registrations are, "returning": how many of them are
    registered in more than one program}: registrations count a person once per program they take part in."""
    programs = {}
    for person in people:
        programs.setdefault(person.person or f"#{person.id}", set()).add(person.program)
    return {"people": len(programs), "returning": sum(len(codes) > 1 for codes in programs.values())}


def breakdown(people, dimension):
    """[{"value", "registered", "attending", "completing", "certified"}] per value of `dimension`, largest first."""
    groups = {}
    for person in people:
        groups.setdefault(getattr(person, dimension), []).append(person)
    rows = [{"value": value, **tally(members)} for value, members in groups.items()]
    key = (lambda row: row["value"]) if dimension in ("program", "year") else (lambda row: (-row["registered"],
                                                                                            row["value"]))
    return sorted(rows, key=key)


def fact_rows(people):
    """One row per program × country × gender × profile × year with its four counts: the feed's long table, which
    a BI tool sums along any of its columns."""
    groups = {}
    for person in people:
        groups.setdefault(tuple(getattr(person, name) for name in DIMENSIONS), []).append(person)
    return [{**dict(zip(DIMENSIONS, key, strict=True)), **tally(members)} for key, members in sorted(groups.items())]


def knowledge_gain(program, before, after, confidence=0.95):
    """The paired comparison (post − pre) of the percent scores of one program's pairs: percent, so programs whose
    tests have different maxima sit on one scale."""
    from ..stats import paired_comparison  # scipy loads with the first chart, not with the app (startup test)

    result = paired_comparison(before, after, confidence=confidence, max_score=100)
    return {"program": program, "n_pairs": result.n_pairs, "mean_pre": _finite(result.mean_pre),
            "mean_post": _finite(result.mean_post), "mean_diff": _finite(result.mean_diff),
            "ci_low": _finite(result.ci_low), "ci_high": _finite(result.ci_high), "p_value": _finite(result.p_value)}


def percent(scores, maximum):
    """respondent id → score as a percent of `maximum` (nothing when there is no maximum)."""
    return {respondent: 100 * score / maximum for respondent, score in scores.items()} if maximum else {}


def _finite(value):
    return None if value is None or value != value or value in (float("inf"), float("-inf")) else float(value)
