"""The lessons' library from plain rows: the search's terms, the filters' values present and the lessons they keep
(pure)."""
from dataclasses import dataclass

from training.textkeys import fold

FILTERS = ("area", "sdg", "objective", "kind", "country", "program")
MAX_TERMS = 10  # words of a search that count: more only narrows what ten already found
MAX_TERM = 100  # characters of one word (search_text holds whole texts; a longer word is a paste, not a search)


@dataclass(frozen=True)
class Entry:
    """What the library's filters look at in one lesson: each filter's values, as the query string writes them."""
    id: int
    area: tuple  # the area in the reader's language, folded: ("inclusion economica y social",)
    sdg: tuple  # "4", "8"
    objective: tuple  # the Global Compact's objectives: "7", "16"
    kind: tuple  # ("positive",)
    country: tuple  # ISO codes of the territory
    program: tuple  # the program's code


def terms(query):
    """The search's words, folded as the lessons' search text is ('Económica' finds 'economica'), each once."""
    words = []
    for word in fold(query or "").split():
        word = word[:MAX_TERM]
        if word not in words:
            words.append(word)
    return words[:MAX_TERMS]


def like_pattern(term):
    """A LIKE pattern finding `term` anywhere, its own % and _ taken literally (escape character: backslash)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def entry(lesson_id, *, area, sdgs, objectives, kind, countries, program):
    """An Entry from the record's values: `area` its area in the reader's language, the links as stored."""
    return Entry(lesson_id, (fold(area),) if fold(area) else (), tuple(str(n) for n in sdgs or ()),
                 tuple(str(n) for n in objectives or ()), (kind,), tuple(countries or ()), (program,))


def options(entries):
    """filter name → the values present, sorted (numbers by number): what each filter may choose among."""
    def order(value):
        return (0, int(value), "") if value.isdigit() else (1, 0, value)

    return {name: sorted({value for item in entries for value in getattr(item, name)}, key=order)
            for name in FILTERS}


def filtered(entries, filters):
    """The entries having every chosen filter's value among theirs."""
    return [item for item in entries if all(value in getattr(item, name) for name, value in filters.items())]
