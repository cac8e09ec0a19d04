"""Uploads that break their own encoding or format: every page and command that reads them answers with the file's
message, never a 500; the participant list, the Zoom report and the answers file alike."""
import json

import pytest
from sqlalchemy import func, select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import english_session, export_personal_data, upload_answers, upload_list, upload_report
from tests.upload_files import BAD_ENCODINGS, huge_inline_cell
from training.models import AttendanceImport, ImportBatch

UNDECODABLE = "This file starts like {encoding} text, but line {line} holds bytes that are not {encoding}"


@pytest.mark.parametrize("data, encoding, line", BAD_ENCODINGS.values(), ids=BAD_ENCODINGS.keys())
def test_a_participant_list_that_breaks_its_encoding_gets_its_message_at_preview_and_confirm(
        app, client, world, data, encoding, line):
    login(client, world["emails"]["admin"])
    english_session(client)
    response = upload_list(client, world["ids"]["program"], data)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    message = UNDECODABLE.format(encoding=encoding, line=line)
    assert preview.status_code == 200 and message in preview.get_data(as_text=True)
    confirmed = post_form(client, f"{response.headers['Location']}/confirm", {}, page=response.headers["Location"])
    assert confirmed.status_code == 200 and message in confirmed.get_data(as_text=True)


@pytest.mark.parametrize("data, encoding, line", BAD_ENCODINGS.values(), ids=BAD_ENCODINGS.keys())
def test_a_zoom_report_that_breaks_its_encoding_gets_its_message_at_review(app, client, world, data, encoding, line):
    login(client, world["emails"]["organizer"])
    english_session(client)
    response = upload_report(client, world["ids"]["activity"], data)
    assert response.status_code == 302
    review = client.get(response.headers["Location"])
    assert review.status_code == 200
    assert UNDECODABLE.format(encoding=encoding, line=line) in review.get_data(as_text=True)
    confirmed = post_form(client, response.headers["Location"], {"action": "confirm"})
    assert confirmed.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AttendanceImport)
                                 .where(AttendanceImport.status == "applied")) == 0


@pytest.mark.parametrize("data, encoding, line", BAD_ENCODINGS.values(), ids=BAD_ENCODINGS.keys())
def test_an_answers_file_that_breaks_its_encoding_is_refused_next_to_the_field(app, client, world, data, encoding,
                                                                               line):
    login(client, world["emails"]["organizer"])
    english_session(client)
    response = upload_answers(client, world["ids"]["questionnaire"], data)
    assert response.status_code == 200
    assert UNDECODABLE.format(encoding=encoding, line=line) in response.get_data(as_text=True)


@pytest.mark.parametrize("command", ["import-participants", "import-attendance", "import-responses"])
def test_the_commands_print_the_files_message_and_exit_1(app, world, tmp_path, command):
    data, _encoding, line = BAD_ENCODINGS["UTF-16 BOM, lone surrogate"]
    path = tmp_path / "lista.csv"
    path.write_bytes(data)
    target = {"import-participants": ["--program", "TEST-2026"],
              "import-attendance": ["--program", "TEST-2026", "--activity", "S0"],
              "import-responses": ["--questionnaire", str(world["ids"]["questionnaire"])]}[command]
    with app.app_context():
        batches = db.session.scalar(select(func.count()).select_from(ImportBatch))
    result = app.test_cli_runner().invoke(args=[command, str(path), *target])
    assert result.exit_code == 1
    assert f"línea {line}" in result.stderr and "UTF-16" in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ImportBatch)) == batches


def test_a_small_workbook_with_a_150_mb_cell_is_refused_by_every_reader(app, client, world):
    data = huge_inline_cell()
    message = "Cell A2 holds more than 32767 characters"
    login(client, world["emails"]["admin"])
    english_session(client)
    response = upload_list(client, world["ids"]["program"], data, filename="lista.xlsx")
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200 and message in preview.get_data(as_text=True)
    report = upload_report(client, world["ids"]["activity"], data, filename="zoom.xlsx")
    assert message in client.get(report.headers["Location"]).get_data(as_text=True)
    answers = upload_answers(client, world["ids"]["questionnaire"], data, filename="respuestas.xlsx")
    assert answers.status_code == 200 and message in answers.get_data(as_text=True)
    exported = json.loads(export_personal_data(client, world["ids"]["mx1"]).read("personal-data.json"))
    assert sorted((f["filename"], f["problem"][:len(message)]) for f in exported["unreadable_uploaded_files"]) == [
        ("lista.xlsx", message), ("zoom.xlsx", message)]
