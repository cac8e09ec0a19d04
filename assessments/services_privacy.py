"""Tests in a participant's personal data: attempts and answers for the export; on erasure the scores and chosen
options stay (the impact statistics count them, attached to the anonymized person) and written answers go.
Also how the audit log names and links questionnaires and answer files."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from extensions import db
from training.localized import pick
from training.services_audit import register_audit_object
from training.services_privacy import register_section

from .impact.services_cache import forget
from .models import Answer, Attempt, Question, Questionnaire, ResponseImport
from .models_reminders import FollowUpSent
from .question_types import REGISTRY


def written_types():
    """People write names, workplaces and stories in open answers: those are erased with the rest."""
    return [name for name, kind in REGISTRY.items() if kind.written]


def _iso(moment):
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _export(participant):
    attempts = db.session.scalars(select(Attempt).where(Attempt.participant_id == participant.id)
                                  .options(selectinload(Attempt.questionnaire)).order_by(Attempt.id)).all()
    answers = _answers_by_attempt([attempt.id for attempt in attempts])
    return [{"questionnaire": attempt.questionnaire.kind, "title": attempt.questionnaire.title,
             "status": attempt.status, "started_at": _iso(attempt.started_at),
             "submitted_at": _iso(attempt.submitted_at), "finalized_by": attempt.finalized_by,
             "score": attempt.score, "max_score": attempt.max_score, "answers": answers.get(attempt.id, [])}
            for attempt in attempts]


def _answers_by_attempt(attempt_ids):
    rows = db.session.execute(select(Answer, Question).join(Question, Answer.question_id == Question.id)
                              .where(Answer.attempt_id.in_(attempt_ids or [-1]))
                              .order_by(Question.section_id, Question.position))
    found = {}
    for answer, question in rows:
        found.setdefault(answer.attempt_id, []).append({
            "question": question.text, "type": question.type, "item_key": question.item_key,
            "value": answer.value, "saved_at": _iso(answer.saved_at)})
    return found


def _erase(participant, _actor_id):
    theirs = select(Attempt.id).where(Attempt.participant_id == participant.id)
    written = select(Question.id).where(Question.type.in_(written_types()))
    deleted = db.session.execute(delete(Answer).where(Answer.attempt_id.in_(theirs), Answer.question_id.in_(written))
                                 .execution_options(synchronize_session=False)).rowcount
    forget(participant.program_id)  # the impact report's kept figures quote written answers
    return {"written_answers": deleted}


def _follow_ups_export(participant):
    """Which follow-up surveys were sent to the person, and when (what it asked is in their tests' answers)."""
    rows = db.session.execute(select(FollowUpSent.sent_at, Questionnaire).join(Questionnaire)
                              .where(FollowUpSent.participant_id == participant.id).order_by(FollowUpSent.id))
    return [{"questionnaire": questionnaire.kind, "title": questionnaire.title, "sent_at": _iso(sent_at)}
            for sent_at, questionnaire in rows]


def _follow_ups_erase(participant, _actor_id):
    """The record of when they were sent it goes: an erased person is never sent it again (the audience excludes
    them) and the use-at-work figures count answers, not this record."""
    deleted = db.session.execute(delete(FollowUpSent).where(FollowUpSent.participant_id == participant.id)
                                 .execution_options(synchronize_session=False)).rowcount
    return {"follow_ups_sent": deleted}


def _uploads(participant):
    files = db.session.scalars(select(ResponseImport).join(Questionnaire)
                               .where(Questionnaire.program_id == participant.program_id).order_by(ResponseImport.id))
    return [("answer_file", upload) for upload in files]


def register(app):
    """The tests' section of personal data and the audit log's questionnaires and answer files (assessments'
    `init_app` calls it)."""
    register_section(app, "tests", export=_export, erase=_erase, uploads=_uploads)
    register_section(app, "follow_up_surveys", export=_follow_ups_export, erase=_follow_ups_erase)
    register_audit_object(app, Questionnaire, _l("Questionnaire"),
                          lambda q, lang: pick(q.title, lang, q.program.default_language) or q.kind,
                          lambda q: ("assessments.questionnaire", {"questionnaire_id": q.id}))
    register_audit_object(app, ResponseImport, _l("Answer file"), lambda u, _lang: u.filename,
                          lambda u: ("assessments.response_import", {"import_id": u.id}))
