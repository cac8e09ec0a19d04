"""What a person's history across programs shows of their tests: the scores of their submitted pre- and post-test."""
from babel.numbers import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import db
from training.labels import current_language

from .models import Attempt, Questionnaire
from .question_types import percent


def test_scores(participant_ids):
    """participant id → "Pre-test 40 % · post-test 85 %" (— for a test not submitted or not scored)."""
    rows = db.session.execute(
        select(Attempt.participant_id, Questionnaire.kind, Attempt.score, Attempt.max_score)
        .join(Attempt.questionnaire)
        .where(Attempt.participant_id.in_(list(participant_ids)), Attempt.status == "submitted",
               Questionnaire.kind.in_(("pre", "post"))))
    scores = {}
    for participant_id, kind, score, maximum in rows:
        scores.setdefault(participant_id, {})[kind] = percent(score, maximum) if score is not None else None
    return {participant_id: _("Pre-test %(pre)s · post-test %(post)s", pre=_shown(found.get("pre")),
                              post=_shown(found.get("post")))
            for participant_id, found in scores.items()}


def _shown(value):
    return "—" if value is None else f"{format_decimal(value, locale=current_language())} %"
