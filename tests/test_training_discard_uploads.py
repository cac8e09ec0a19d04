"""Stored uploads nobody imported: listed where each kind is uploaded, and discarded (the file deleted, the discard
in the audit log) by whoever may import that kind; an imported one stays as the record of its import."""
import pytest
from sqlalchemy import func, select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import english_session, upload_list
from tests.upload_files import BAD_ENCODINGS
from training.models import AuditEvent, ImportBatch

KINDS = {  # world's waiting upload of each kind: (model, id key, its page, discard URL, upload page, who may)
    "participant list": ("training.models:ImportBatch", "batch", "/imports/{}", "/imports/{}/discard",
                         "/programs/{program}/participants/import", "admin"),
    "attendance report": ("training.models:AttendanceImport", "report", "/attendance-imports/{}",
                          "/attendance-imports/{}/discard", "/activities/{activity}/attendance/import", "organizer"),
    "answer file": ("assessments.models:ResponseImport", "response_import", "/response-imports/{}",
                    "/response-imports/{}/discard", "/questionnaires/{questionnaire}/responses/import", "organizer"),
}
FILENAMES = {"participant list": "mexico.csv", "attendance report": "zoom.csv", "answer file": "respuestas.csv"}
ACTIONS = {"participant list": "participants.import_discarded", "attendance report": "attendance.import_discarded",
           "answer file": "responses.import_discarded"}


def _model(path):
    module, name = path.split(":")
    return getattr(__import__(module, fromlist=[name]), name)


def _stored(app, model, upload_id):
    with app.app_context():
        return db.session.get(model, upload_id)


def _discarded(app, model, upload_id):
    """Discarded as an erasure discards: the row stays (its id is never another file's), its bytes are gone."""
    stored = _stored(app, model, upload_id)
    return (stored.status, stored.content) == ("discarded", b"")


def _urls(world, kind):
    model, key, page, discard, form, role = KINDS[kind]
    upload_id, ids = world["ids"][key], world["ids"]
    return (_model(model), upload_id, page.format(upload_id), discard.format(upload_id),
            form.format(program=ids["program"], activity=ids["activity"], questionnaire=ids["questionnaire"]), role)


@pytest.mark.parametrize("kind", KINDS)
def test_a_waiting_upload_is_listed_and_discarded_with_its_file(app, client, world, kind):
    model, upload_id, page, discard, form, role = _urls(world, kind)
    login(client, world["emails"][role])
    english_session(client)
    listing = client.get(form).get_data(as_text=True)
    assert "Files waiting for confirmation" in listing and FILENAMES[kind] in listing and discard in listing
    assert f'action="{discard}"' in client.get(page).get_data(as_text=True)
    response = post_form(client, discard, {}, page=page)
    assert response.status_code == 302 and response.headers["Location"] == form
    after = client.get(form).get_data(as_text=True)
    assert f"{FILENAMES[kind]} was discarded" in after and "Files waiting for confirmation" not in after
    assert _discarded(app, model, upload_id) and client.get(page).status_code == 404
    assert post_form(client, discard, {}, page=form).status_code == 404  # gone: nothing to discard twice
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == ACTIONS[kind]))
        assert (event.object_id, event.user_id, event.details) == (upload_id, world["ids"][role],
                                                                   {"filename": FILENAMES[kind]})
        assert event.program_id is not None
    login(client, world["emails"]["admin"])
    log = client.get("/audit").get_data(as_text=True)
    assert "discarded" in log and FILENAMES[kind] in log


@pytest.mark.parametrize("kind", KINDS)
def test_discarding_needs_the_csrf_token_and_the_right_to_import(app, client, world, kind):
    model, upload_id, page, discard, _form, role = _urls(world, kind)
    login(client, world["emails"][role])
    assert client.post(discard).status_code == 400
    outsider = {"participant list": "facilitator", "attendance report": "focal_mx", "answer file": "facilitator"}
    login(client, world["emails"][outsider[kind]])
    token = csrf_from(client.get("/programs").get_data(as_text=True))
    assert client.post(discard, data={"csrf_token": token}).status_code == 403
    assert _stored(app, model, upload_id) is not None


def test_a_focal_point_discards_only_their_own_lists(app, client, world):
    discard = f"/imports/{world['ids']['batch']}/discard"
    login(client, world["emails"]["focal_gt"])
    token = csrf_from(client.get("/programs").get_data(as_text=True))
    assert client.post(discard, data={"csrf_token": token}).status_code == 404
    assert "mexico.csv" not in client.get(f"/programs/{world['ids']['program']}/participants/import").get_data(
        as_text=True)
    login(client, world["emails"]["focal_mx"])
    assert post_form(client, discard, {}, page=f"/imports/{world['ids']['batch']}").status_code == 302
    assert _discarded(app, ImportBatch, world["ids"]["batch"])


def test_an_unreadable_list_can_be_discarded_from_its_preview(app, client, world):
    login(client, world["emails"]["admin"])
    english_session(client)
    location = upload_list(client, world["ids"]["program"], BAD_ENCODINGS["UTF-16 BOM, lone surrogate"][0],
                           filename="roto.csv").headers["Location"]
    preview = client.get(location).get_data(as_text=True)
    assert "line 2 holds bytes" in preview and f'action="{location}/discard"' in preview
    assert post_form(client, f"{location}/discard", {}, page=location).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ImportBatch.status).where(ImportBatch.filename == "roto.csv")) == "discarded"


@pytest.mark.parametrize("kind", ["participant list", "attendance report"])
def test_an_imported_upload_stays_as_the_record_of_its_import(app, client, world, kind):
    model, upload_id, page, discard, _form, role = _urls(world, kind)
    with app.app_context():
        db.session.get(model, upload_id).status = "applied"
        db.session.commit()
    login(client, world["emails"][role])
    english_session(client)
    assert f'action="{discard}"' not in client.get(page).get_data(as_text=True)
    response = post_form(client, discard, {}, page=page)
    assert response.status_code == 302 and response.headers["Location"] == page
    assert "was imported: its file stays as the record" in client.get(page).get_data(as_text=True)
    stored = _stored(app, model, upload_id)
    assert stored is not None and stored.content != b""
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action.like("%discarded"))) == 0


def test_a_confirmation_that_lands_first_wins_over_a_discard_holding_an_older_view(app, world):
    """The database decides: a discard working from what it read before a confirmation changes nothing."""
    from training.services_uploads import discard_upload

    with app.app_context():
        batch = db.session.get(ImportBatch, world["ids"]["batch"])
        assert batch.status == "previewed"  # what the discard saw
        db.session.expunge(batch)  # kept as it was read; the read's transaction ends (SQLite's lock with it)
        db.session.rollback()
        with db.engine.begin() as other:  # a confirmation in another request, committed meanwhile
            other.execute(ImportBatch.__table__.update().where(ImportBatch.__table__.c.id == batch.id)
                          .values(status="applied"))
        db.session.add(batch)
        assert discard_upload(batch, world["ids"]["admin"], "participants.import_discarded") is False
        db.session.rollback()
    stored = _stored(app, ImportBatch, world["ids"]["batch"])
    assert stored.status == "applied" and stored.content != b""


def test_a_focal_point_is_not_shown_another_countrys_waiting_list_they_uploaded(app, client, world):
    """Scoped by country as well as by uploader: a list of Mexico's uploaded by Guatemala's focal point (before a
    change of country, say) is not theirs to see."""
    with app.app_context():
        db.session.get(ImportBatch, world["ids"]["batch"]).created_by = world["ids"]["focal_gt"]
        db.session.commit()
    login(client, world["emails"]["focal_gt"])
    page = client.get(f"/programs/{world['ids']['program']}/participants/import").get_data(as_text=True)
    assert "mexico.csv" not in page
    assert client.get(f"/imports/{world['ids']['batch']}").status_code == 404
