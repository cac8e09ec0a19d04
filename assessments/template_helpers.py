"""What templates need to show questions and answers in the reader's language (registered on the blueprint)."""
from flask_babel import gettext as _

from training.localized import pick

from . import bp
from .question_types import question_type
from .texts import DIMENSION_LABELS, KIND_LABELS, PROGRESS_LABELS, type_label


def option_labels(question, language, fallback):
    """[(key, label)] of a choice question in `language`: a type's fixed options (translated, or their keys),
    else the question's own options."""
    kind = question_type(question.type)
    if kind.fixed_options:
        return list(zip(kind.fixed_options, [_(label) for label in kind.fixed_labels] or kind.fixed_options,
                        strict=True))
    # The texts without the key: the fallback's last step ("any text") must not pick the key itself.
    return [(option["key"], pick({code: text for code, text in option.items() if code != "key"}, language, fallback)
             or option["key"]) for option in question.options]


def scale_points(question):
    return question_type(question.type).option_keys(question.spec())


def scale_ends(question, language, fallback):
    """(lowest point, its label, highest point, its label) of a scale question (Likert, 0–10…)."""
    points = scale_points(question)
    labels = question.scale_labels.get(language) or question.scale_labels.get(fallback) or []
    if len(labels) != 2 or not all(labels):
        labels = [_(label) for label in question_type(question.type).end_labels] or ["", ""]
    return points[0], labels[0], points[-1], labels[1]


def question_hint(question, language, fallback):
    """The line under a question that says how to answer it ('' when none): a scale's ends, or its type's hint."""
    kind = question_type(question.type)
    if kind.widget == "scale":
        low, low_label, high, high_label = scale_ends(question, language, fallback)
        return _("%(low)s = %(low_label)s; %(high)s = %(high_label)s", low=low, low_label=low_label, high=high,
                 high_label=high_label)
    return _(kind.hint, **kind.hint_values()) if kind.hint else ""


def answer_text(question, value, language, fallback):
    """A saved answer as the participant or an organizer reads it ('' when unanswered)."""
    kind = question_type(question.type)
    if not kind.is_answered(value):
        return ""
    return kind.display(value, dict(option_labels(question, language, fallback)), _)


def answer_cell(question, value, language, fallback):
    """A saved answer in a spreadsheet of answers: as its type writes it there ('' when unanswered)."""
    kind = question_type(question.type)
    if not kind.is_answered(value):
        return ""
    return kind.export_cell(value, dict(option_labels(question, language, fallback)), _)


def right_answer(question, language, fallback):
    """The right answer of a knowledge item in words (the options' labels, joined)."""
    labels = dict(option_labels(question, language, fallback))
    return "; ".join(labels.get(key, key) for key in question.correct)


@bp.app_context_processor
def inject():
    return {"pick": pick, "option_labels": option_labels, "scale_points": scale_points, "scale_ends": scale_ends,
            "question_hint": question_hint, "question_type": question_type, "answer_text": answer_text,
            "right_answer": right_answer, "kind_label": lambda kind: KIND_LABELS[kind],
            "dimension_label": lambda name: DIMENSION_LABELS[name], "type_label": type_label,
            "progress_label": lambda name: PROGRESS_LABELS[name]}
