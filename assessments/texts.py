"""The words users read for the assessments' codes (answer errors, window states, kinds, dimensions)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .question_types import REGISTRY

KIND_LABELS = {"pre": _l("Pre-test"), "post": _l("Post-test"), "follow_up": _l("Follow-up")}
DIMENSION_LABELS = {"knowledge": _l("Knowledge"), "expectations": _l("Expectations"),
                    "satisfaction": _l("Satisfaction"), "application": _l("Application at work")}
PROGRESS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"),
                   "submitted": _l("Submitted")}
FINALIZED_LABELS = {"participant": _l("by the participant"), "window_closed": _l("when the window closed"),
                    "time_limit": _l("when the time limit passed"), "import": _l("imported")}
# A new questionnaire's title until the organizer writes one (stored data, in the program's languages at once; the
# glossary's names of the tests).
DEFAULT_TITLES = {
    "pre": {"es": "Evaluación previa (pre-test)", "en": "Pre-test", "fr": "Pré-test", "pt": "Pré-teste"},
    "post": {"es": "Evaluación posterior (post-test)", "en": "Post-test", "fr": "Post-test", "pt": "Pós-teste"},
    "follow_up": {"es": "Seguimiento", "en": "Follow-up", "fr": "Suivi", "pt": "Acompanhamento"},
}
FILE_PROBLEMS = {
    "too_large": _l("the file is too large"), "not_json": _l("the file is not a questionnaire file (JSON)"),
    "not_a_questionnaire": _l("the file is not a Capacita questionnaire"),
    "unknown_version": _l("the file comes from a version of Capacita this one cannot read"),
    "invalid": _l("the value is not valid"),
    "invalid_text": _l("texts must be given as text per language code (es, en, fr, pt)"),
    "missing_text": _l("the text is missing"), "missing": _l("there are no sections"),
    "too_many_questions": _l("too many questions"), "unknown_type": _l("unknown type of question"),
    "duplicate": _l("the item key is used twice"), "too_few": _l("at least two options are needed"),
    "invalid_key": _l("an option's key is missing, too long or repeated"),
}


def default_title(kind, languages):
    """A new questionnaire's title in each of the program's languages."""
    titles = DEFAULT_TITLES[kind]
    return {code: titles[code] for code in languages if code in titles} or dict(titles)


def type_label(name):
    """The builder's name for a question type, translated when it is shown (the type holds its msgid)."""
    kind = REGISTRY.get(name)
    return _l(kind.label) if kind is not None and kind.label else name


def file_problem_message(where, code):
    """'sections[2].questions[1].correct: the value is not valid' — where the file needs fixing, and why."""
    return _("%(where)s: %(problem)s", where=where, problem=FILE_PROBLEMS.get(code, code))


def answer_error_message(error):
    """The sentence a participant reads for an AnswerError."""
    if error.code == "too_long":
        return _("Please shorten your answer to %(limit)s characters.", limit=error.details.get("limit"))
    if error.code == "out_of_range":
        return _("Choose one of the points of the scale.")
    return _("Choose one of the options shown.")
