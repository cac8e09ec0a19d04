"""The words users read for the assessments' codes (answer errors, window states, kinds, dimensions)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

KIND_LABELS = {"pre": _l("Pre-test"), "post": _l("Post-test"), "follow_up": _l("Follow-up")}
DIMENSION_LABELS = {"knowledge": _l("Knowledge"), "expectations": _l("Expectations"),
                    "satisfaction": _l("Satisfaction"), "application": _l("Application at work")}
TYPE_LABELS = {"single_choice": _l("Single choice"), "multiple_choice": _l("Multiple choice"),
               "true_false": _l("True / false"), "likert": _l("Likert (5 points)"),
               "scale": _l("Scale 0–10"), "short_text": _l("Short text"), "long_text": _l("Long text")}
PROGRESS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"),
                   "submitted": _l("Submitted")}
FINALIZED_LABELS = {"participant": _l("by the participant"), "window_closed": _l("when the window closed"),
                    "time_limit": _l("when the time limit passed"), "import": _l("imported")}


def answer_error_message(error):
    """The sentence a participant reads for an AnswerError."""
    if error.code == "too_long":
        return _("Please shorten your answer to %(limit)s characters.", limit=error.details.get("limit"))
    if error.code == "out_of_range":
        return _("Choose one of the points of the scale.")
    return _("Choose one of the options shown.")
