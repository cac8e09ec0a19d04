"""The one staged-upload pipeline the participant lists, the attendance reports and the answer files share: the same
size limit and message, a confirmation that counts once, a discarded upload that cannot be confirmed."""
import pytest
from sqlalchemy import func, select

from assessments.models import ResponseImport
from assessments.services_builder import import_plain
from extensions import db
from tests.answer_files import GOOGLE_ES, PLAIN
from tests.conftest import ZOOM_S0, login, post_form
from tests.helpers import english_session as english
from tests.helpers import upload_answers, upload_list, upload_report
from training.models import AttendanceImport, AuditEvent, ImportBatch, Program


@pytest.fixture
def answers_pre_test(app, world):
    """The pre-test the answer files were exported from (its id)."""
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        db.session.commit()
        return questionnaire.id

LIST = "Nombre;Apellidos;Correo;País\nLuz;Ríos;luz.rios@example.mx;México\n".encode("cp1252")
KINDS = {  # model, who uploads, the action a confirmation records, the file
    "participant list": (ImportBatch, "admin", "participants.imported", "lista.csv"),
    "attendance report": (AttendanceImport, "organizer", "attendance.imported", "zoom.csv"),
    "answer file": (ResponseImport, "organizer", "responses.imported", "respuestas.csv"),
}
AGAIN = {  # what a second confirmation says (a participant list says again what the first one imported)
    "participant list": "Imported lista.csv: 1 new, 0 updated, 0 already registered.",
    "attendance report": "This report was already imported.",
    "answer file": "These answers were already imported.",
}


@pytest.fixture
def target(request, world):
    """kind → what its uploads belong to (the answer files need a questionnaire with questions)."""
    def owner(kind):
        if kind == "answer file":
            return request.getfixturevalue("answers_pre_test")
        return world["ids"]["program" if kind == "participant list" else "activity"]
    return owner


def send(client, kind, owner, content):
    upload = {"participant list": upload_list, "attendance report": upload_report, "answer file": upload_answers}
    return upload[kind](client, owner, content, filename=KINDS[kind][3])


def clean_file(kind):
    return {"participant list": LIST, "attendance report": ZOOM_S0.encode(), "answer file": GOOGLE_ES.encode()}[kind]


def confirm(client, kind, review):
    if kind == "participant list":
        return post_form(client, f"{review}/confirm", {}, page=review)
    return post_form(client, review, {"action": "confirm"})


def padded(content, size):
    """`content` with rows of filler added up to exactly `size` bytes."""
    filler = b"relleno@example.org\n"
    content += filler * ((size - len(content)) // len(filler))
    return content + b"x" * (size - len(content) - 1) + b"\n" if len(content) < size else content


def stored(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def recorded(app, action):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_refuses_a_file_over_the_size_limit_with_the_same_message(app, client, world, target, kind,
                                                                            monkeypatch):
    model, role, _action, _filename = KINDS[kind]
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 100 * 1024)
    login(client, world["emails"][role])
    english(client)
    before = stored(app, model)
    refused = send(client, kind, target(kind), padded(clean_file(kind), 100 * 1024 + 1))
    assert refused.status_code == 200
    assert 'id="file-error">The file is larger than 0.1 MB.</p>' in refused.get_data(as_text=True)
    assert stored(app, model) == before
    accepted = send(client, kind, target(kind), padded(clean_file(kind), 100 * 1024))
    assert accepted.status_code == 302 and stored(app, model) == before + 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_second_confirmation_of_every_kind_changes_nothing(app, client, world, target, kind):
    model, role, action, _filename = KINDS[kind]
    login(client, world["emails"][role])
    english(client)
    review = send(client, kind, target(kind), clean_file(kind)).headers["Location"]
    upload_id = int(review.rsplit("/", 1)[1])
    first = confirm(client, kind, review)
    assert first.status_code == 302 and recorded(app, action) == 1
    client.get(first.headers["Location"])  # read the first confirmation's message
    with app.app_context():
        done = db.session.get(model, upload_id)
        before = (done.status, done.applied_at, done.summary)
    assert before[0] == "applied" and before[2]
    again = confirm(client, kind, review)
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert AGAIN[kind] in client.get(again.headers["Location"]).get_data(as_text=True)
    assert recorded(app, action) == 1
    with app.app_context():
        done = db.session.get(model, upload_id)
        assert (done.status, done.applied_at, done.summary) == before


@pytest.mark.parametrize("kind, key", [("participant list", "batch"), ("attendance report", "report"),
                                       ("answer file", "response_import")])
def test_a_discarded_upload_of_every_kind_cannot_be_confirmed(app, client, world, kind, key):
    model, role, action, _filename = KINDS[kind]
    role = "focal_mx" if kind == "participant list" else role  # world's list is Mexico's focal point's
    review = {"batch": "/imports/{}", "report": "/attendance-imports/{}",
              "response_import": "/response-imports/{}"}[key].format(world["ids"][key])
    login(client, world["emails"][role])
    assert post_form(client, f"{review}/discard", {}, page=review).status_code == 302
    form_page = "/programs"
    if kind == "participant list":
        confirmed = post_form(client, f"{review}/confirm", {}, page=form_page)
    else:
        confirmed = post_form(client, review, {"action": "confirm"}, page=form_page)
    assert confirmed.status_code == 404 and recorded(app, action) == 0
    with app.app_context():
        assert db.session.get(model, world["ids"][key]).status == "discarded"


@pytest.mark.parametrize("model, key", [(ImportBatch, "batch"), (AttendanceImport, "report"),
                                        (ResponseImport, "response_import")])
def test_a_confirmation_that_loses_the_claim_writes_nothing(app, world, model, key):
    """Two confirmations read the upload waiting; the database lets one claim it: the other gets the first one's
    summary and plans and writes nothing."""
    from training.services_uploads import apply_once

    with app.app_context():
        upload = db.session.get(model, world["ids"][key])
        assert upload.status == "previewed"  # what the second confirmation saw
        db.session.expunge(upload)
        db.session.rollback()
        with db.engine.begin() as other:  # the first confirmation, committed meanwhile
            other.execute(model.__table__.update().where(model.__table__.c.id == upload.id)
                          .values(status="applied", summary={"imported": 1}))
        db.session.add(upload)
        never = pytest.fail
        assert apply_once(upload, lambda: never("planned"), lambda _plan: never("written")) == ({"imported": 1},
                                                                                                False)
        db.session.rollback()
        assert db.session.get(model, world["ids"][key]).summary == {"imported": 1}
