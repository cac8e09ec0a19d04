"""Loading what the impact report computes on: the program's active participants and their submitted tests."""
from sqlalchemy import select

from extensions import db
from training.access import program_country_scope
from training.models import Delegation, Participant

from ..models import Answer, Attempt
from ..services_builder import program_questionnaires
from ..services_taking import SUBMITTED, sections_with_questions
from .services_cache import kept

# report.py (numpy and scipy: 100 MB and a second to load) is imported by the functions that use it: the app imports
# this module at start-up, and only the report's pages and command should pay for those libraries.


def impact_report(program, filters=None, scoped=True):
    """The report's figures for the participants the current user may see (every participant when `scoped` is
    false: the command line has no user)."""
    return scoped_report(program, program_country_scope(program) if scoped else None, filters)


def kept_report(program, scope, filters=None, fingerprint=None):
    """scoped_report's figures, computed once per state of the data they come from and kept for every process
    (services_cache): what the page, its downloads and the worker's files read."""
    chosen = {name: value for name, value in sorted((filters or {}).items()) if value}
    return kept(program, scope, "report", {"filters": chosen}, lambda: scoped_report(program, scope, chosen),
                fingerprint)


def scoped_report(program, scope, filters=None):
    """The report's figures for one country's participants (`scope`), or everyone's (None): the worker has no user,
    so the job says whose report it makes."""
    from .report import report

    people, pre, post = impact_inputs(program, scope)
    return report(people, pre, post, filters, follow_up=_test_data(program_questionnaires(program).get("follow_up")))


def impact_inputs(program, scope=None):
    """(respondents, pre-test, post-test) of the program's participants who are not withdrawn (of `scope`'s
    country only, when given)."""
    from .report import Respondent

    query = (select(Participant.id, Delegation.country_code, Participant.gender, Participant.profile,
                    Participant.erased_at.is_not(None))
             .join(Delegation, Participant.delegation_id == Delegation.id)
             .where(Participant.program_id == program.id, Participant.status != "withdrawn").order_by(Participant.id))
    if scope is not None:  # a focal point: their own country's delegation only
        query = query.where(Delegation.country_code == scope)
    rows = db.session.execute(query).all()
    people = [Respondent(pid, country or "", gender, profile, bool(erased))
              for pid, country, gender, profile, erased in rows]
    questionnaires = program_questionnaires(program)
    return people, _test_data(questionnaires.get("pre")), _test_data(questionnaires.get("post"))


def _test_data(questionnaire):
    from .report import Item, TakenTest

    if questionnaire is None:
        return TakenTest((), {})
    items = tuple(Item(question.id, question.item_key, question.dimension, question.spec(), dict(question.text),
                       dict(question.scale_labels or {}))
                  for section in sections_with_questions(questionnaire) for question in section.questions)
    attempts = dict(db.session.execute(select(Attempt.id, Attempt.participant_id).where(
        Attempt.questionnaire_id == questionnaire.id, Attempt.status == SUBMITTED)).all())
    answers = {participant_id: {} for participant_id in attempts.values()}
    for attempt_id, question_id, value in db.session.execute(
            select(Answer.attempt_id, Answer.question_id, Answer.value).join(Attempt)
            .where(Attempt.questionnaire_id == questionnaire.id, Attempt.status == SUBMITTED)):
        answers[attempts[attempt_id]][question_id] = value
    return TakenTest(items, answers)
