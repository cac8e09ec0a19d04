"""Question types: a registry of small classes that clean, score and summarize answers (pure).

Each type receives a `QuestionSpec` (plain values copied from the database) and the raw value a form or an
autosave request sent, and answers with a clean, JSON-ready value or an `AnswerError`. Scores are computed
here, on the server, never in the browser."""
from collections import Counter
from dataclasses import dataclass, field

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
LIKERT_POINTS = ("1", "2", "3", "4", "5")
SCALE_POINTS = tuple(str(n) for n in range(11))
TRUE_FALSE = ("true", "false")
QUESTIONNAIRE_KINDS = ("pre", "post", "follow_up")
DIMENSIONS = ("knowledge", "expectations", "satisfaction", "application")


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
    name = ""
    scorable = False
    needs_options = False  # the author writes the options (at least two)
    fixed_options = ()  # types whose options are always the same (Likert points, true/false)

    def option_keys(self, spec):
        return self.fixed_options or spec.options

    def clean(self, raw, spec):
        raise NotImplementedError

    def is_answered(self, value):
        return value not in (None, "", [])

    def score(self, value, spec):
        """Points earned, or None when the question is not scored (no right answer set)."""
        return None

    def summarize(self, values, spec):
        answered = [v for v in values if self.is_answered(v)]
        return Summary(len(answered), counts=dict(Counter(answered)) if self.option_keys(spec) else {})


class SingleChoice(QuestionType):
    name = "single_choice"
    scorable = True
    needs_options = True

    def clean(self, raw, spec):
        raw = _one(raw)
        if raw in ("", None):
            return None
        if raw not in self.option_keys(spec):
            raise AnswerError("unknown_option")
        return raw

    def score(self, value, spec):
        if not spec.correct:
            return None
        return float(spec.points) if value in spec.correct else 0.0


class TrueFalse(SingleChoice):
    name = "true_false"
    needs_options = False
    fixed_options = TRUE_FALSE


class MultipleChoice(QuestionType):
    name = "multiple_choice"
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

    def score(self, value, spec):
        """All or nothing: exactly the right options (partial credit would reward ticking everything)."""
        if not spec.correct:
            return None
        return float(spec.points) if set(value or []) == set(spec.correct) else 0.0

    def summarize(self, values, spec):
        answered = [v for v in values if self.is_answered(v)]
        return Summary(len(answered), counts=dict(Counter(key for v in answered for key in v)))


class Likert(QuestionType):
    """Five points, 1 (e.g. 'strongly disagree') to 5; the labels are the question's, the values are fixed."""
    name = "likert"
    fixed_options = LIKERT_POINTS

    def clean(self, raw, spec):
        raw = _one(raw)
        if raw in ("", None):
            return None
        if raw not in self.fixed_options:
            raise AnswerError("out_of_range")
        return int(raw)

    def summarize(self, values, spec):
        answered = [v for v in values if self.is_answered(v)]
        counts = Counter(str(v) for v in answered)
        mean = sum(answered) / len(answered) if answered else None
        return Summary(len(answered), counts=dict(counts), mean=mean)


class Scale(Likert):
    """0 to 10 (how likely, how useful)."""
    name = "scale"
    fixed_options = SCALE_POINTS


class ShortText(QuestionType):
    name = "short_text"
    limit = SHORT_TEXT_MAX

    def clean(self, raw, spec):
        raw = _one(raw)
        text = "" if raw is None else str(raw).replace("\x00", "").strip()
        if len(text) > self.limit:
            raise AnswerError("too_long", limit=self.limit)
        return text or None


class LongText(ShortText):
    name = "long_text"
    limit = LONG_TEXT_MAX


REGISTRY = {cls.name: cls() for cls in (SingleChoice, MultipleChoice, TrueFalse, Likert, Scale, ShortText,
                                         LongText)}
TYPE_NAMES = tuple(REGISTRY)


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
