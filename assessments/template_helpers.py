"""What templates need to show questions and answers in the reader's language (registered on the blueprint)."""
from flask_babel import gettext as _

from training.localized import pick

from . import bp
from .question_types import LIKERT_POINTS, REGISTRY, SCALE_POINTS, TRUE_FALSE
from .texts import DIMENSION_LABELS, KIND_LABELS, PROGRESS_LABELS, TYPE_LABELS


def option_labels(question, language, fallback):
    """[(key, label)] of a choice question in `language`."""
    if question.type == "true_false":
        return list(zip(TRUE_FALSE, (_("True"), _("False")), strict=True))
    return [(option["key"], pick(option, language, fallback) or option["key"]) for option in question.options]


def scale_points(question):
    return LIKERT_POINTS if question.type == "likert" else SCALE_POINTS


def scale_ends(question, language, fallback):
    """(lowest point, its label, highest point, its label) of a Likert or 0–10 question."""
    points = scale_points(question)
    labels = question.scale_labels.get(language) or question.scale_labels.get(fallback) or []
    if len(labels) != 2 or not all(labels):
        labels = ((_("Strongly disagree"), _("Strongly agree")) if question.type == "likert"
                  else (_("Not at all"), _("Completely")))
    return points[0], labels[0], points[-1], labels[1]


def answer_text(question, value, language, fallback):
    """A saved answer as the participant or an organizer reads it ('' when unanswered)."""
    if not REGISTRY[question.type].is_answered(value):
        return ""
    if question.type in ("single_choice", "true_false", "multiple_choice"):
        labels = dict(option_labels(question, language, fallback))
        keys = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(key, key) for key in keys)
    if question.type in ("likert", "scale"):
        return _("%(value)s of %(top)s", value=value, top=scale_points(question)[-1])
    return str(value)


@bp.app_context_processor
def inject():
    return {"pick": pick, "option_labels": option_labels, "scale_points": scale_points, "scale_ends": scale_ends,
            "answer_text": answer_text, "kind_label": lambda kind: KIND_LABELS[kind],
            "dimension_label": lambda name: DIMENSION_LABELS[name], "type_label": lambda name: TYPE_LABELS[name],
            "progress_label": lambda name: PROGRESS_LABELS[name]}
