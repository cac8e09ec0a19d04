"""Stored uploads nobody imported: listed where each kind is uploaded, and discarded (the file deleted, the discard
in the audit log) by whoever may import that kind; an imported one stays as the record of its import."""
import pytest
from sqlalchemy import func, select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.test_training_bad_uploads import english
from tests.test_training_importing import BAD_ENCODINGS
from tests.test_training_imports import upload as upload_list
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


def _urls(world, kind):
    model, key, page, discard, form, role = KINDS[kind]
    upload_id, ids = world["ids"][key], world["ids"]
    return (_model(model), upload_id, page.format(upload_id), discard.format(upload_id),
            form.format(program=ids["program"], activity=ids["activity"], questionnaire=ids["questionnaire"]), role)


@pytest.mark.parametrize("kind", KINDS)
def test_a_waiting_upload_is_listed_and_discarded_with_its_file(app, client, world, kind):
    model, upload_id, page, discard, form, role = _urls(world, kind)
    login(client, world["emails"][role])
    english(client)
    listing = client.get(form).get_data(as_text=True)
    assert "Files waiting for confirmation" in listing and FILENAMES[kind] in listing and discard in listing
    assert f'action="{discard}"' in client.get(page).get_data(as_text=True)
    response = post_form(client, discard, {}, page=page)
    assert response.status_code == 302 and response.headers["Location"] == form
    after = client.get(form).get_data(as_text=True)
    assert f"{FILENAMES[kind]} was discarded" in after and "Files waiting for confirmation" not in after
    assert _stored(app, model, upload_id) is None and client.get(page).status_code == 404
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
    assert _stored(app, ImportBatch, world["ids"]["batch"]) is None


def test_an_unreadable_list_can_be_discarded_from_its_preview(app, client, world):
    login(client, world["emails"]["admin"])
    english(client)
    location = upload_list(client, world["ids"]["program"], BAD_ENCODINGS["UTF-16 BOM, lone surrogate"][0],
                           filename="roto.csv").headers["Location"]
    preview = client.get(location).get_data(as_text=True)
    assert "line 2 holds bytes" in preview and f'action="{location}/discard"' in preview
    assert post_form(client, f"{location}/discard", {}, page=location).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)
                                 .where(ImportBatch.filename == "roto.csv")) == 0


@pytest.mark.parametrize("kind", ["participant list", "attendance report"])
def test_an_imported_upload_stays_as_the_record_of_its_import(app, client, world, kind):
    model, upload_id, page, discard, _form, role = _urls(world, kind)
    with app.app_context():
        db.session.get(model, upload_id).status = "applied"
        db.session.commit()
    login(client, world["emails"][role])
    english(client)
    assert f'action="{discard}"' not in client.get(page).get_data(as_text=True)
    response = post_form(client, discard, {}, page=page)
    assert response.status_code == 302 and response.headers["Location"] == page
    assert "was imported: its file stays as the record" in client.get(page).get_data(as_text=True)
    stored = _stored(app, model, upload_id)
    assert stored is not None and stored.content != b""
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action.like("%discarded"))) == 0
