"""A lesson learned's document as plain values: the secretariat's form's blocks in order and the texts to fill them
(pure; no reportlab, so a page can show the blocks without loading the PDF library)."""
from dataclasses import dataclass, field

# The form's blocks after the header, in its order: a narrative field's name, or one of the blocks drawn from lists
# ("sdgs", "gcm": principles and objectives, "kind": the two boxes). A field in JUDGMENTS gets an upper-case label.
BLOCKS = ("finding", "description", "context", "goals", "beneficiaries", "sdgs", "gcm", "kind", "successes",
          "challenges", "learned", "not_learned", "territory", "actors", "added_value", "effectiveness",
          "important", "useful", "equitable", "economic", "keywords")
JUDGMENTS = ("important", "useful", "equitable", "economic")
HINTS = ("actors", "added_value")  # a label with a second line in brackets: "(ONG, Gobierno, Empresa)"
# Every label the caller gives, already in the document's language: one per block and narrative field, the header's
# two ("area", "code"), the Global Compact's two lists, the two types, the hints, and "page" with %(page)s and
# %(pages)s.
LABEL_KEYS = frozenset({*BLOCKS, "area", "code", "principles", "objectives", "positive", "negative", "page",
                        *(f"{name}_hint" for name in HINTS)})


@dataclass(frozen=True)
class LessonDocument:
    """One lesson's values, each text already in the document's language ('' where the record has none)."""
    code: str
    kind: str  # "positive" or "negative"
    texts: dict  # narrative field → text ("area", "finding", … "keywords"), as typed
    sdgs: tuple = ()  # labels as shown: "4. Quality education"
    principles: tuple = ()  # "a) Centrarse en las personas"
    objectives: tuple = ()  # "Objetivo 7: Abordar y reducir las vulnerabilidades en la migración"
    program: str = ""  # the footer's line: the program's title and code
    labels: dict = field(default_factory=dict)  # every key of LABEL_KEYS
