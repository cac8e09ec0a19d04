"""A participant's personal data over stored uploads that cannot be read: the export and the erasure work whatever
was uploaded, search what they can, and name the files they could not search."""
import json

from sqlalchemy import select

from extensions import db
from tests.helpers import as_admin, erase_personal_data, export_personal_data
from tests.upload_files import HEADER_UTF16LE
from training.models import AuditEvent, ImportBatch

DAMAGED = "This Excel file is damaged or not a real XLSX workbook. Save it again from Excel and retry."


def store_list(app, world, filename, content, status="previewed"):
    with app.app_context():
        batch = ImportBatch(program_id=world["ids"]["program"], created_by=world["ids"]["admin"], filename=filename,
                            content=content, status=status)
        db.session.add(batch)
        db.session.commit()
        return batch.id


def stored(app, batch_id):
    with app.app_context():
        batch = db.session.get(ImportBatch, batch_id)
        return batch.content, batch.status


def test_a_list_that_breaks_its_encoding_is_still_searched_by_the_export_and_the_erasure(app, client, world):
    # The audit's file: a UTF-16 BOM, a header, a row naming Ixchel, then a lone surrogate.
    content = (b"\xff\xfe" + HEADER_UTF16LE + "Ixchel;Tzul Batz;ixchel.tzul@example.gt\r\n".encode("utf-16-le")
               + b"\x00\xd8\x41")
    broken = store_list(app, world, "roto.csv", content)
    as_admin(client, world)
    others = json.loads(export_personal_data(client, world["ids"]["mx1"]).read("personal-data.json"))
    assert "roto.csv" not in json.dumps(others) and others["unreadable_uploaded_files"] == []
    hers = json.loads(export_personal_data(client, world["ids"]["gt1"]).read("personal-data.json"))
    assert sorted(f["filename"] for f in hers["uploaded_files"]) == ["roto.csv", "zoom.csv"]
    assert erase_personal_data(client, world["ids"]["gt1"], reason="Asked", confirm="y").status_code == 302
    assert stored(app, broken) == (b"", "discarded")


def test_files_that_cannot_be_searched_are_named_in_the_export_and_deleted_by_an_erasure(app, client, world):
    waiting = store_list(app, world, "lista.xlsx", b"PK\x03\x04 not really a workbook")
    imported = store_list(app, world, "antigua.xlsx", b"PK\x03\x04 damaged since", status="applied")
    as_admin(client, world)
    for key in ("mx1", "obs1"):  # anyone of the program, mentioned in a readable file or not
        data = json.loads(export_personal_data(client, world["ids"][key]).read("personal-data.json"))
        assert [(f["filename"], f["kind"], f["status"], f["problem"]) for f in data["unreadable_uploaded_files"]] == [
            ("lista.xlsx", "participant_list", "previewed", DAMAGED),
            ("antigua.xlsx", "participant_list", "applied", DAMAGED)]
    assert stored(app, waiting)[0] != b""  # an export changes nothing
    response = erase_personal_data(client, world["ids"]["mx2"], reason="Asked", confirm="y")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be read to look for the person" in page
    assert "lista.xlsx" in page and "antigua.xlsx" in page
    # Nobody can tell whether they name her: both go, like the files that do; the imported one stays on record.
    assert stored(app, waiting) == (b"", "discarded")
    assert stored(app, imported) == (b"", "applied")
    assert stored(app, world["ids"]["batch"])[0] != b""  # Mexico's readable list does not name her
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erased"))
        assert event.details["uploads"] == 0 and event.details["unreadable_uploads"] == [
            {"kind": "participant_list", "id": waiting, "filename": "lista.xlsx"},
            {"kind": "participant_list", "id": imported, "filename": "antigua.xlsx"}]
