"""Answers collected elsewhere: keep the upload and its column mapping, plan it against the participants, apply
it once (every matched row becomes a submitted attempt scored by the server)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from extensions import db
from training.labels import TABLE_PROBLEMS, problem_text
from training.models import Participant, utcnow
from training.services import ServiceError, record
from training.services_uploads import UploadNotClean, apply_once, stage_upload, waiting_uploads
from training.tabular import TableError, read_table

from .models import Attempt, Question, ResponseImport, Section
from .responses_import import EMAIL, IGNORE, Person, QuestionInfo, guess_mapping, match_rows, plan_responses
from .services import CLOSED, save_answer, start_attempt, submit_attempt

RESPONSE_PROBLEMS = {
    "missing_email": _l("The row has no e-mail."),
    "invalid_email": _l("“%(value)s” is not an e-mail address."),
    "duplicate_email": _l("%(value)s answered more than once in the file (first on row %(first)s): keep one row."),
    "unknown_option": _l("“%(value)s” is not one of the question's options."),
    "out_of_range": _l("“%(value)s” is not a point of the question's scale (%(low)s to %(high)s)."),
    "too_long": _l("The answer is longer than %(limit)s characters."),
    "malformed": _l("“%(value)s” cannot be read as an answer."),
    "no_email_column": _l("No column holds the participants' e-mail: choose it in the list of columns."),
    "two_email_columns": _l("Only one column can hold the e-mail."),
    "question_twice": _l("This question is already read from the column “%(other)s”."),
    "no_question_columns": _l("No column is read as a question: choose at least one in the list of columns."),
}
OUTCOME_LABELS = {
    "import": _l("To import"),
    "resume": _l("To import (their attempt in progress is completed)"),
    "answered": _l("Already answered: skipped"),
    "unmatched": _l("No participant with this e-mail"),
    "withdrawn": _l("Withdrawn: not imported"),
    "empty": _l("No answers: skipped"),
    "error": _l("To be fixed"),
}


class ResponsesNotClean(UploadNotClean):
    """The file or its mapping has problems: nothing was written."""


class _Details(dict):
    def __missing__(self, key):
        return "—"  # a message never fails for a detail its problem did not carry


def problem_message(problem):
    """A problem of the plan as a sentence in the current language."""
    return str(RESPONSE_PROBLEMS[problem.code]) % _Details(problem.details)


def ordered_questions(questionnaire):
    """The questionnaire's questions in the order participants see them (sections, then positions)."""
    return db.session.scalars(select(Question).join(Section, Section.id == Question.section_id)
                              .where(Question.questionnaire_id == questionnaire.id)
                              .order_by(Section.position, Section.id, Question.position, Question.id)).all()


def question_infos(questions):
    return [QuestionInfo(q.id, q.type, dict(q.text or {}), tuple(q.options or ()), dict(q.scale_labels or {}),
                         q.item_key, q.required) for q in questions]


def store_upload(questionnaire, actor_id, filename, content, max_rows):
    """Keep a readable export with its guessed mapping (ServiceError on the 'file' field otherwise)."""
    questions = ordered_questions(questionnaire)
    if not questions:
        raise ServiceError("file", _l("This questionnaire has no questions yet: add them before importing answers."))
    try:
        table = read_table(content, filename, max_rows=max_rows)  # before anything is written: no lock held
    except TableError as error:
        raise ServiceError("file", problem_text(TABLE_PROBLEMS, error.code, error.details)) from error
    mapping = guess_mapping(table.headers, table.rows, question_infos(questions))
    return stage_upload(ResponseImport, actor_id, "responses.file_uploaded", filename, content,
                        questionnaire_id=questionnaire.id,
                        mapping=_stored(mapping))


def waiting_imports(questionnaire):
    """The questionnaire's answer files waiting for their confirmation."""
    return waiting_uploads(ResponseImport, ResponseImport.questionnaire_id == questionnaire.id)


def mapping_of(upload, questions, width):
    """The saved mapping (column index → EMAIL, question id or IGNORE); ids of deleted questions are ignored."""
    known = {question.id for question in questions}
    mapping = {index: IGNORE for index in range(width)}
    for key, value in (upload.mapping or {}).items():
        index = int(key) if str(key).isdecimal() else -1
        if 0 <= index < width and (value == EMAIL or value in known):
            mapping[index] = value
    return mapping


def save_mapping(upload, actor_id, choices, width):
    """Keep the reviewer's choice per column (`choices`: index → "email", "ignore" or a question id as text);
    a column the form did not send keeps its mapping. True when something changed (and recorded)."""
    questions = ordered_questions(upload.questionnaire)
    known = {str(question.id): question.id for question in questions}
    mapping = mapping_of(upload, questions, width)
    before = dict(mapping)
    for index, choice in choices.items():
        if 0 <= index < width and (choice in (EMAIL, IGNORE) or choice in known):
            mapping[index] = known.get(choice, choice)
    if _stored(mapping) == upload.mapping:
        return mapping != before
    upload.mapping = _stored(mapping)
    db.session.flush()
    record(actor_id, "responses.import_mapped", upload, filename=upload.filename)
    return mapping != before


def plan_import(upload, table):
    """The file read with the saved mapping and matched against the program's participants as they are now."""
    questions = ordered_questions(upload.questionnaire)
    plan = plan_responses(table, question_infos(questions), mapping_of(upload, questions, len(table.headers)))
    return match_rows(plan, _people(upload.questionnaire))


def participant_names(plan):
    """participant id → full name, for the rows the plan matched."""
    ids = {row.participant_id for row in plan.rows if row.participant_id}
    if not ids:
        return {}
    rows = db.session.execute(select(Participant.id, Participant.given_names, Participant.family_names)
                              .where(Participant.id.in_(ids)))
    return {pid: f"{given} {family}".strip() for pid, given, family in rows}


def apply_import(upload, actor_id, table, now=None):
    """Import a clean plan once: a second confirmation returns the first one's summary and (…, False).
    Raises ResponsesNotClean (the caller rolls back) if the file or its mapping has problems."""
    now = now or utcnow()
    # planned after the claim: attempts as they are now
    return apply_once(upload, lambda: plan_import(upload, table), lambda plan: _imported(upload, plan, actor_id, now),
                      not_clean=ResponsesNotClean, now=now)


def _imported(upload, plan, actor_id, now):
    skipped = _write(plan, upload.questionnaire, now)
    summary = plan.summary()
    summary["imported"] = summary["to_import"] - len(skipped)
    summary["answered"] += len(skipped)
    record(actor_id, "responses.imported", upload, questionnaire=upload.questionnaire_id, filename=upload.filename,
           **{key: summary[key] for key in ("imported", "answered", "unmatched", "withdrawn", "empty")})
    return summary


def _write(plan, questionnaire, now):
    """Start, fill and submit one attempt per importable row; rows whose participant submitted meanwhile are
    returned (skipped). The sequence number is the import's time in milliseconds: larger than any a browser
    counted since its attempt started, so the file's answers replace what an attempt in progress saved."""
    questions = {question.id: question for question in ordered_questions(questionnaire)}
    seq = int(now.timestamp() * 1000)
    skipped = []
    for row in plan.with_outcome("import", "resume"):
        attempt = start_attempt(questionnaire, db.session.get(Participant, row.participant_id), now=now)
        closed = attempt.status != "in_progress" or any(
            save_answer(attempt, questions[question_id], raw, seq, now=now) == CLOSED
            for question_id, raw in row.answers.items())
        if closed or not submit_attempt(attempt, finalized_by="import", now=now):
            skipped.append(row)
    return skipped


def _people(questionnaire):
    attempts = dict(db.session.execute(select(Attempt.participant_id, Attempt.status)
                                       .where(Attempt.questionnaire_id == questionnaire.id)).all())
    rows = db.session.execute(select(Participant.id, Participant.email_key, Participant.status)
                              .where(Participant.program_id == questionnaire.program_id))
    return {key: Person(pid, status == "withdrawn", attempts.get(pid)) for pid, key, status in rows}


def _stored(mapping):
    return {str(index): value for index, value in sorted(mapping.items())}
