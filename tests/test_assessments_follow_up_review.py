"""The follow-up survey: its sending record in personal data; no revoked or withdrawn link kept alive."""
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


def test_the_follow_up_window_keeps_no_revoked_or_withdrawn_link_alive(app, client, survey):  # noqa: F811
    from tests.conftest import csrf_from
    from tests.helpers import link_for, path_of
    from training.models import Participant
    from training.services_links import revoke_link

    organizer = app.test_client()
    login(organizer, "org@example.org")
    schedule(organizer, survey, action="send_now", weeks_open="4")
    revoked, withdrawn = path_of(link_for(app, survey["mx1"])), path_of(link_for(app, survey["mx2"]))
    page = client.get(withdrawn)
    assert page.status_code == 200  # the window keeps the ended program's links working
    client.post(withdrawn, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert client.get("/me/tests/follow_up").status_code == 200
    with app.app_context():
        revoke_link(db.session.get(Participant, survey["mx1"]), None)
        db.session.get(Participant, survey["mx2"]).status = "withdrawn"
        db.session.commit()
    assert client.get("/me/tests/follow_up").status_code in (302, 403)  # the session ends with the withdrawal
    assert app.test_client().get(revoked).status_code == 404 and app.test_client().get(withdrawn).status_code == 404
