"""The follow-up survey under review: the sending record in a person's personal data (export and erasure)."""
import json

from sqlalchemy import func, select

from assessments.models_reminders import FollowUpSent
from extensions import db
from tests.conftest import login
from tests.helpers import erase_personal_data, export_personal_data
from tests.test_assessments_follow_up import schedule, survey  # noqa: F401 (the fixture)
from training.models import AuditEvent


def _sent_rows(app, participant_id):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FollowUpSent)
                                 .where(FollowUpSent.participant_id == participant_id))


def test_the_export_says_when_the_follow_up_was_sent_and_erasure_removes_the_record(app, client, survey):  # noqa: F811
    login(client, "org@example.org")
    schedule(client, survey, action="send_now", weeks_open="3")
    assert _sent_rows(app, survey["mx1"]) == 1
    login(client, "admin@example.org")
    archive = export_personal_data(client, survey["mx1"])
    data = json.loads(archive.read(next(name for name in archive.namelist() if name.endswith(".json"))))
    (sent,) = data["follow_up_surveys"]
    assert sent["questionnaire"] == "follow_up" and sent["title"]["es"] == "Seguimiento" and sent["sent_at"]
    assert erase_personal_data(client, survey["mx1"], reason="Lo pidió", confirm="y").status_code == 302
    assert _sent_rows(app, survey["mx1"]) == 0 and _sent_rows(app, survey["mx2"]) == 1
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erased"))
        assert event.details["follow_ups_sent"] == 1
