"""Importing participant lists through the web and the command line: preview, all or nothing, scoping."""
import re

from sqlalchemy import func, select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import upload_list as upload
from tests.upload_files import csv_bytes, xlsx_bytes
from training.models import Participant

HEADER = ["Nombre(s)", "Apellido(s)", "Cargo/Puesto", "Institución", "Correo electrónico", "País", "Sexo"]


def confirm(client, preview_url):
    return post_form(client, f"{preview_url}/confirm", {}, page=preview_url)


def count(app, **where):
    with app.app_context():
        query = select(func.count()).select_from(Participant)
        for name, value in where.items():
            query = query.where(getattr(Participant, name) == value)
        return db.session.scalar(query)


def test_a_clean_cp1252_list_is_previewed_then_imported(app, client, world):
    login(client, world["emails"]["admin"])
    content = csv_bytes([HEADER,
                         ["Ana Lucía", "Peña", "Consejera", "STPS", "ana.pena@stps.gob.mx", "México", "F"],
                         ["Ixchel", "Tzul Batz", "", "", "IXCHEL.TZUL@example.gt", "Guatemala", ""],  # unchanged
                         ["Óscar", "Cojtí Xoc", "Inspector", "MINTRAB", "oscar.cojti@example.gt", "GT", "M"]])
    response = upload(client, world["ids"]["program"], content)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ana Lucía Peña" in preview and "Nuevo" in preview and "Actualización" in preview
    assert "Ya registrada" in preview and "with errors" not in preview
    assert count(app) == 5  # nothing written by the preview
    done = confirm(client, response.headers["Location"])
    assert done.status_code == 302
    assert count(app) == 6
    with app.app_context():
        ana = db.session.scalar(select(Participant).where(Participant.email_key == "ana.pena@stps.gob.mx"))
        assert (ana.given_names, ana.institution, ana.timezone) == ("Ana Lucía", "STPS", "America/Mexico_City")
        oscar = db.session.scalar(select(Participant).where(Participant.email_key == "oscar.cojti@example.gt"))
        assert (oscar.family_names, oscar.position) == ("Cojtí Xoc", "Inspector")
    # The update refreshed the search key too: the new surname is found, accents ignored.
    found = client.get(f"/programs/{world['ids']['program']}/participants", query_string={"q": "cojti xoc"})
    assert "Cojtí Xoc" in found.get_data(as_text=True)
    # A second confirmation (double click, second tab) does not import again.
    again = confirm(client, response.headers["Location"])
    assert (again.status_code, again.headers["Location"]) == (302, f"/programs/{world['ids']['program']}/participants")
    assert count(app) == 6
    with app.app_context():
        from training.models import AuditEvent

        imports = select(func.count()).where(AuditEvent.action == "participants.imported")
        assert db.session.scalar(imports) == 1


def test_a_list_with_errors_names_every_bad_row_and_imports_nothing(app, client, world):
    login(client, world["emails"]["admin"])
    content = xlsx_bytes([HEADER + ["Teléfono"],
                          ["Bien", "Escrito", "", "", "bien@example.mx", "México", "M", "555"],
                          ["Sin", "Correo", "", "", "", "México", "M", ""],
                          ["Mal", "Correo", "", "", "mal@", "Guatemala", "M", ""],
                          ["Otro", "País", "", "", "otro@example.org", "Atlantis", "F", ""]])
    response = upload(client, world["ids"]["program"], content, filename="lista.xlsx")
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 filas deben corregirse" in preview
    assert "Correo electrónico falta." in preview
    assert "“mal@” no es un correo electrónico válido." in preview
    assert "“Atlantis” no es un país que conozcamos." in preview
    assert "Estas columnas no se usan:" in preview and "Teléfono" in preview
    assert "/confirm" not in preview
    forced = client.post(f"{response.headers['Location']}/confirm", data={"csrf_token": csrf_from(preview)})
    assert forced.status_code == 200 and "No se importó nada" in forced.get_data(as_text=True)
    assert count(app) == 5


def test_files_that_are_not_lists_get_a_clear_message(client, world):
    login(client, world["emails"]["admin"])
    response = upload(client, world["ids"]["program"], b"\x89PNG\r\n\x1a\n\x00\x00\x00", filename="lista.csv")
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Este archivo no es una hoja de cálculo CSV ni de Excel (XLSX)." in preview


def test_files_over_the_size_limit_are_refused_at_upload(app, client, world):
    login(client, world["emails"]["admin"])
    app.config["IMPORT_MAX_BYTES"] = 1000
    try:
        response = upload(client, world["ids"]["program"], b"a;b\n" * 400)
    finally:
        app.config["IMPORT_MAX_BYTES"] = 5 * 1024 * 1024
    assert response.status_code == 200
    assert 'id="file-error">El archivo pesa más de' in response.get_data(as_text=True)


def test_a_focal_point_imports_only_into_their_delegation(app, client, world):
    login(client, world["emails"]["focal_gt"])
    content = csv_bytes([HEADER, ["Rosa", "Xol", "", "", "rosa@example.gt", "", "F"],
                         ["Intruso", "Mexicano", "", "", "intruso@example.mx", "México", "M"]])
    response = upload(client, world["ids"]["program"], content, delegation=str(world["ids"]["mx"]))
    assert response.status_code == 200 and 'id="delegation_id-error"' in response.get_data(as_text=True)
    response = upload(client, world["ids"]["program"], content, delegation=str(world["ids"]["gt"]))
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "México es otra delegación" in preview
    assert count(app, email_key="intruso@example.mx") == 0
    # Another focal point cannot even look at this batch.
    other = app.test_client()
    login(other, world["emails"]["focal_mx"])
    assert other.get(response.headers["Location"]).status_code == 404


def test_quota_is_checked_at_preview_and_again_at_confirmation(app, client, world):
    login(client, world["emails"]["admin"])
    content = csv_bytes([HEADER, ["Luz", "Ríos", "", "", "luz2@example.mx", "México", "F"]])  # MX: 1 place left
    response = upload(client, world["ids"]["program"], content)
    assert "/confirm" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():  # someone fills the last place meanwhile
        db.session.add(Participant(program_id=world["ids"]["program"], delegation_id=world["ids"]["mx"],
                                   given_names="Otra", family_names="Persona", email="o@example.mx",
                                   email_key="o@example.mx", timezone="UTC"))
        db.session.commit()
    result = confirm(client, response.headers["Location"])
    assert result.status_code == 200 and "no le quedan lugares" in result.get_data(as_text=True)
    assert count(app, email_key="luz2@example.mx") == 0


def test_cli_import_dry_run_then_real(app, world, tmp_path):
    path = tmp_path / "guatemala.csv"
    path.write_bytes(csv_bytes([HEADER, ["Rosa", "Xol", "", "", "rosa@example.gt", "", "F"]], ",", "utf-8",
                               b"\xef\xbb\xbf"))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import-participants", str(path), "--program", "test-2026", "--country", "GT",
                              "--dry-run"])
    assert dry.exit_code == 0 and "would import: 1 new" in dry.output
    assert count(app, email_key="rosa@example.gt") == 0
    real = runner.invoke(args=["import-participants", str(path), "--program", "TEST-2026", "--country", "gt"])
    assert real.exit_code == 0 and "imported: 1 new" in real.output
    assert count(app, email_key="rosa@example.gt") == 1


def test_cli_import_prints_one_line_per_problem_with_row_numbers(app, world, tmp_path):
    path = tmp_path / "mal.csv"
    path.write_bytes(csv_bytes([HEADER, ["A", "B", "", "", "a@example.mx", "México", "F"],
                                ["", "C", "", "", "c@", "México", "F"], ["D", "E", "", "", "a@example.mx", "MX", "F"]]))
    result = app.test_cli_runner().invoke(args=["import-participants", str(path), "--program", "TEST-2026"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert [re.match(r"row (\d+):", line).group(1) for line in lines] == ["3", "3", "4"]
    assert count(app) == 5


def test_cli_import_refuses_what_is_not_a_table(app, world, tmp_path):
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    result = app.test_cli_runner().invoke(args=["import-participants", str(path), "--program", "TEST-2026"])
    assert result.exit_code == 1 and "dañado" in result.stderr


def test_a_crash_in_the_middle_of_an_import_leaves_nothing(app, client, world, monkeypatch):
    import training.services_imports as service

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    login(client, world["emails"]["admin"])
    content = csv_bytes([HEADER, ["Luz", "Ríos", "", "", "luz3@example.mx", "México", "F"],
                         ["Rosa", "Xol", "", "", "rosa3@example.gt", "Guatemala", "F"]])
    response = upload(client, world["ids"]["program"], content)
    monkeypatch.setattr(service, "record", crash)  # fails after the rows were inserted
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        result = confirm(client, response.headers["Location"])
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert result.status_code == 500
    assert count(app) == 5
    monkeypatch.undo()
    assert confirm(client, response.headers["Location"]).status_code == 302  # the batch can still be confirmed
    assert count(app) == 7


def test_a_focal_points_change_sends_a_confirmed_list_back_for_review(app, client, world):
    from training.models import Delegation

    with app.app_context():
        db.session.get(Delegation, world["ids"]["gt"]).status = "confirmed"
        db.session.commit()
    login(client, world["emails"]["focal_gt"])
    content = csv_bytes([HEADER, ["Rosa", "Xol", "", "", "rosa4@example.gt", "", "F"]])
    response = upload(client, world["ids"]["program"], content, delegation=str(world["ids"]["gt"]))
    confirm(client, response.headers["Location"])
    with app.app_context():
        assert db.session.get(Delegation, world["ids"]["gt"]).status == "list_received"
