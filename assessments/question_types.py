"""Question types: a registry of small classes, each owning how its answers are read, shown, scored and reported
(pure).

Each type receives a `QuestionSpec` (plain values copied from the database) and the raw value a form, an autosave
request or an imported cell sent, and answers with a clean, JSON-ready value or an `AnswerError`. Scores are
computed here, on the server, never in the browser. A type also says which widget the test page draws it with,
how the page's script reads it (`answer_kind`) and which block of the impact report counts it; the templates,
the script, the imports, the exports and the report ask the type, never its name, so a new type is one class
given to `register`."""
import re
from collections import Counter
from dataclasses import dataclass, field

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
LIKERT_POINTS = ("1", "2", "3", "4", "5")
SCALE_POINTS = tuple(str(n) for n in range(11))
TRUE_FALSE = ("true", "false")
QUESTIONNAIRE_KINDS = ("pre", "post", "follow_up")
DIMENSIONS = ("knowledge", "expectations", "satisfaction", "application")
# The test page's partials (templates/assessments/_question.html), each with how the page's script reads its
# answer: one checked input, every checked input, or the typed text.
WIDGETS = {"choice": "one", "checkboxes": "many", "scale": "one", "text": "text", "textarea": "text"}
# The impact report's blocks besides the knowledge score (which takes every scorable type with a right answer).
DISTRIBUTION, FREE_TEXT = "distribution", "free_text"
IMPACT_BLOCKS = (DISTRIBUTION, FREE_TEXT, None)
NAME_MAX = 20  # questions.type is a String(20)
_NAME = re.compile(rf"[a-z][a-z0-9_]{{0,{NAME_MAX - 1}}}")


def N_(message):
    """Marks a message for the catalogs (pybabel finds N_); the Flask side translates it where it is shown."""
    return message


def plain_gettext(message, **values):
    """What `gettext` does without a catalog: the message with its values (for callers outside a request)."""
    return message % values if values else message


class AnswerError(ValueError):
    """An answer the question cannot take; `code` says why (translated by the caller)."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class QuestionSpec:
    type: str
    options: tuple = ()  # option keys, in order (choice types)
    correct: tuple = ()  # keys of the right options (knowledge items), "true"/"false" for true/false
    points: float = 0.0
    required: bool = False


@dataclass
class Summary:
    answered: int
    counts: dict = field(default_factory=dict)  # option key → how many chose it
    mean: float | None = None


class QuestionType:
    """What every type declares; subclasses override the attributes and methods that differ."""
    name = ""  # stored in questions.type: lower-case letters, digits and _, up to NAME_MAX
    label = ""  # the builder's name for the type (a msgid, marked with N_)
    widget = "text"  # the test page's partial (WIDGETS)
    limit = None  # text widgets: the most characters an answer has
    hint = None  # a msgid shown under the question (with `hint_values()`), e.g. how many characters
    scorable = False  # may have a right answer and points (knowledge items)
    needs_options = False  # the author writes the options (at least two)
    fixed_options = ()  # types whose options are always the same (Likert points, true/false)
    fixed_labels = ()  # msgids of the fixed options, in their order (true/false); none: the keys are shown
    end_labels = ()  # msgids of a scale's lowest and highest points when the question names none
    point_labels = ()  # msgids of every point, named by the report's legend when the question keeps end_labels
    impact = None  # the impact report's block (IMPACT_BLOCKS): DISTRIBUTION wants integer points
    agreeing = ()  # DISTRIBUTION: the points counted as agreeing
    reliability = False  # DISTRIBUTION: Cronbach's alpha is computed over a dimension's questions of this type
    unipolar = False  # DISTRIBUTION: the points run from none to most (0–10), not from disagreeing to agreeing
    written = False  # people write in their own words (names, workplaces): erased with the person

    @property
    def answer_kind(self):
        """How the page's script reads the answer (rendered as data-answer-kind): "one", "many" or "text"."""
        return WIDGETS[self.widget]

    def option_keys(self, spec):
        return self.fixed_options or spec.options

    def hint_values(self):
        return {}

    def clean(self, raw, spec):
        raise NotImplementedError

    def from_cell(self, cell):
        """The raw value `clean` takes for a non-blank imported cell (`responses_import.Cell`), or AnswerError."""
        return cell.text

    def is_answered(self, value):
        return value not in (None, "", [])

    def display(self, value, labels, gettext=plain_gettext):
        """An answered value as people read it; `labels` maps option keys to their words in the reader's
        language."""
        return str(value)

    def export_cell(self, value, labels, gettext=plain_gettext):
        """An answered value in a spreadsheet cell (numbers stay numbers)."""
        return self.display(value, labels, gettext)

    def score(self, value, spec):
        """Points earned, or None when the question is not scored (no right answer set)."""
        return None

    def summarize(self, values, spec):
        answered = [v for v in values if self.is_answered(v)]
        return Summary(len(answered), counts=dict(Counter(answered)) if self.option_keys(spec) else {})


REGISTRY = {}
_generation = [0]  # bumped by every register/unregister: what was rendered for the old types is not reused


def registry_generation():
    return _generation[0]


def register(type_class):
    """Add a question type (also a class decorator): from then on it can be stored, built, taken, imported,
    exported and reported. ValueError when its name is taken or a declaration is not one the app knows."""
    name = type_class.name
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"a question type's name is lower-case letters, digits and _ (up to {NAME_MAX}): {name!r}")
    if name in REGISTRY:
        raise ValueError(f"the question type {name!r} is already registered")
    for attribute, allowed in (("widget", tuple(WIDGETS)), ("impact", IMPACT_BLOCKS)):
        if getattr(type_class, attribute) not in allowed:
            raise ValueError(f"{name}: {attribute} must be one of {allowed}")
    if type_class.fixed_labels and len(type_class.fixed_labels) != len(type_class.fixed_options):
        raise ValueError(f"{name}: one fixed label per fixed option")
    if type_class.point_labels and len(type_class.point_labels) != len(type_class.fixed_options):
        raise ValueError(f"{name}: one point label per fixed option")
    points = type_class.fixed_options
    if (type_class.widget == "scale" or type_class.impact == DISTRIBUTION) \
            and not (points and all(re.fullmatch(r"-?\d+", point) for point in points)):
        raise ValueError(f"{name}: a scale and a distribution have whole-number fixed options (the points)")
    REGISTRY[name] = type_class()
    _generation[0] += 1
    return type_class


def unregister(name):
    """Remove a type (tests that registered one); questions stored with it can no longer be read."""
    REGISTRY.pop(name, None)
    _generation[0] += 1


def type_names():
    return tuple(REGISTRY)


@register
class SingleChoice(QuestionType):
    name = "single_choice"
    label = N_("Single choice")
    widget = "choice"
    scorable = True
    needs_options = True

    def clean(self, raw, spec):
        raw = _one(raw)
        if raw in ("", None):
            return None
        if raw not in self.option_keys(spec):
            raise AnswerError("unknown_option")
        return raw

    def from_cell(self, cell):
        return cell.option()

    def display(self, value, labels, gettext=plain_gettext):
        return labels.get(value, value)

    def score(self, value, spec):
        if not spec.correct:
            return None
        return float(spec.points) if value in spec.correct else 0.0


@register
class MultipleChoice(QuestionType):
    name = "multiple_choice"
    label = N_("Multiple choice")
    widget = "checkboxes"
    hint = N_("Choose every option that applies.")
    scorable = True
    needs_options = True

    def clean(self, raw, spec):
        if raw is not None and not isinstance(raw, str | list | tuple):
            raise AnswerError("malformed")  # a number or an object from a tampered request
        values = [raw] if isinstance(raw, str) else list(raw or [])
        values = [v for v in values if v != ""]
        if any(not isinstance(v, str) or v not in spec.options for v in values):
            raise AnswerError("unknown_option")
        chosen = set(values)
        return [key for key in spec.options if key in chosen]  # the options' order, each once

    def from_cell(self, cell):
        return cell.options()

    def display(self, value, labels, gettext=plain_gettext):
        return "; ".join(labels.get(key, key) for key in value)

    def score(self, value, spec):
        """All or nothing: exactly the right options (partial credit would reward ticking everything)."""
        if not spec.correct:
            return None
        return float(spec.points) if set(value or []) == set(spec.correct) else 0.0

    def summarize(self, values, spec):
        answered = [v for v in values if self.is_answered(v)]
        return Summary(len(answered), counts=dict(Counter(key for v in answered for key in v)))


@register
class TrueFalse(SingleChoice):
    name = "true_false"
    label = N_("True / false")
    needs_options = False
    fixed_options = TRUE_FALSE
    fixed_labels = (N_("True"), N_("False"))

    def from_cell(self, cell):
        return cell.truth()


@register
class Likert(QuestionType):
    """Five points, 1 (e.g. 'strongly disagree') to 5; the labels are the question's, the values are fixed."""
    name = "likert"
    label = N_("Likert (5 points)")
    widget = "scale"
    fixed_options = LIKERT_POINTS
    end_labels = (N_("Strongly disagree"), N_("Strongly agree"))
    point_labels = (N_("Strongly disagree"), N_("Disagree"), N_("Neither agree nor disagree"), N_("Agree"),
                    N_("Strongly agree"))
    impact = DISTRIBUTION
    agreeing = ("4", "5")
    reliability = True

    def clean(self, raw, spec):
        raw = _one(raw)
        if raw in ("", None):
            return None
        if raw not in self.fixed_options:
            raise AnswerError("out_of_range")
        return int(raw)

    def from_cell(self, cell):
        return cell.point(int(self.fixed_options[0]), int(self.fixed_options[-1]))

    def display(self, value, labels, gettext=plain_gettext):
        return gettext(N_("%(value)s of %(top)s"), value=value, top=self.fixed_options[-1])

    def export_cell(self, value, labels, gettext=plain_gettext):
        return value

    def summarize(self, values, spec):
        answered = [v for v in values if self.is_answered(v)]
        counts = Counter(str(v) for v in answered)
        mean = sum(answered) / len(answered) if answered else None
        return Summary(len(answered), counts=dict(counts), mean=mean)


@register
class Scale(Likert):
    """0 to 10 (how likely, how useful)."""
    name = "scale"
    label = N_("Scale 0–10")
    fixed_options = SCALE_POINTS
    end_labels = (N_("Not at all"), N_("Completely"))
    point_labels = ()  # eleven words would not help: the legend numbers the points and names the ends
    unipolar = True
    agreeing = tuple(str(n) for n in range(7, 11))  # 7–10 of 10
    reliability = False


@register
class ShortText(QuestionType):
    name = "short_text"
    label = N_("Short text")
    hint = N_("Up to %(limit)s characters.")
    impact = FREE_TEXT
    written = True
    limit = SHORT_TEXT_MAX

    def hint_values(self):
        return {"limit": self.limit}

    def clean(self, raw, spec):
        raw = _one(raw)
        text = "" if raw is None else str(raw).replace("\x00", "").strip()
        if len(text) > self.limit:
            raise AnswerError("too_long", limit=self.limit)
        return text or None


@register
class LongText(ShortText):
    name = "long_text"
    label = N_("Long text")
    widget = "textarea"
    limit = LONG_TEXT_MAX


def question_type(name):
    return REGISTRY[name]


def clean_answer(spec, raw):
    """The stored form of `raw` for a question of `spec`, or AnswerError."""
    return REGISTRY[spec.type].clean(raw, spec)


def attempt_score(specs_and_values):
    """(earned, possible) over the scored questions of one attempt; unanswered scored questions earn 0."""
    earned = possible = 0.0
    for spec, value in specs_and_values:
        kind = REGISTRY[spec.type]
        if not kind.scorable or not spec.correct:
            continue
        possible += spec.points
        earned += kind.score(value, spec) if kind.is_answered(value) else 0.0
    return earned, possible


def percent(earned, possible):
    """Score as a percentage of the possible points (None when nothing in the questionnaire is scored)."""
    return None if not possible else round(100 * earned / possible, 1)


def _one(raw):
    """Forms send one value; a list (a tampered request) keeps its last, like a browser's last field wins."""
    if isinstance(raw, list | tuple):
        return raw[-1] if raw else None
    if raw is not None and not isinstance(raw, str | int):
        raise AnswerError("malformed")
    return None if raw is None else str(raw)
