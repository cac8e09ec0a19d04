"""Who qualifies and why not, issuing (one, a selection, everyone), revoking and reissuing, downloads, through HTTP."""
import hashlib
import io
import threading
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from certificates.models import Certificate
from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import enter, link_for
from training.models import Activity, Attendance, AuditEvent, OutboundMessage, Participant, Program
from training.models_jobs import Job

DRAWING = "certificates.tasks.draw_certificates"  # the drawing job's kind (its task's name)


def screen(client, program_id, **args):
    return client.get(f"/programs/{program_id}/certificates", query_string=args).get_data(as_text=True)


def issue(client, program_id, **data):
    page = f"/programs/{program_id}/certificates"
    return post_form(client, f"/programs/{program_id}/certificates/issue", data, page=page)


def certificates_of(app, key, world):
    with app.app_context():
        return db.session.scalars(select(Certificate).where(Certificate.participant_id == world["ids"][key])
                                  .order_by(Certificate.id)).all()


def test_the_screen_says_who_qualifies_and_exactly_what_is_missing(client, course):
    login(client, course["emails"]["organizer"])
    html = screen(client, course["ids"]["program"])
    assert "Cumple los requisitos: 2" in html and "Emitido: 1" in html and "Aún no: 2" in html
    not_yet = screen(client, course["ids"]["program"], status="not_yet")
    assert "Tzul" not in not_yet and "Núñez" not in not_yet  # issued and eligible are elsewhere
    assert "Cojtí" in not_yet and "Ruiz" in not_yet
    assert "S0 · Sesión 0" in not_yet  # activities named by code and title
    assert not_yet.count("<li>") >= 4  # gt2: absent + post-test; obs1: excused + post-test
    conflict = screen(client, course["ids"]["program"], status="conflict")
    assert "Tzul Batz" in conflict and "Cojtí" not in conflict


def test_the_export_lists_status_and_reasons_in_the_readers_language(client, course):
    login(client, course["emails"]["admin"])
    client.post("/language", data={"language": "en", "next": "/",
                                   "csrf_token": csrf_from(client.get("/login").get_data(as_text=True))})
    csv_text = client.get(f"/programs/{course['ids']['program']}/certificates.csv",
                          query_string={"status": "not_yet", "sep": "comma"}).get_data(as_text=True)
    rows = csv_text.splitlines()  # commas asked for: the Spanish program's default is ";"
    assert rows[0].lstrip("\ufeff").startswith("Family names,Given names,E-mail,Delegation,Status,What is missing")
    cojti = next(row for row in rows if "Cojtí" in row)
    assert "Not yet" in cojti and "Absent from S0" in cojti and "Post-test not submitted" in cojti
    assert "Excused from S0" in next(row for row in rows if "Ruiz" in row)


def test_issuing_everyone_issues_the_eligible_only_once_with_a_pdf_and_its_hash(app, client, course, run_tasks):
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    assert issue(client, program, everyone="y").status_code == 302
    assert issue(client, program, everyone="y").status_code == 302  # twice: nothing new
    run_tasks()  # the worker draws the PDFs
    first = certificates_of(app, "mx1", course)
    assert len(first) == 1 and len(certificates_of(app, "mx2", course)) == 1
    assert certificates_of(app, "gt2", course) == [] and certificates_of(app, "obs1", course) == []
    with app.app_context():
        certificate = db.session.get(Certificate, first[0].id)
        assert certificate.serial == "TEST-2026-0002"  # serials follow names: Gómez Díaz got 0001
        assert len(certificate.code) >= 22 and certificate.code.replace("-", "").replace("_", "").isalnum()
        assert hashlib.sha256(certificate.pdf).hexdigest() == certificate.sha256
        assert certificate.facts["name"] == "José Ángel Núñez Peña"
        events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Certificate",
                                                                    AuditEvent.object_id == certificate.id)).all()
        assert events == ["certificate.issued"]
    pdf = client.get(f"/certificates/{first[0].id}.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Disposition"].endswith(f'{first[0].serial}.pdf')
    text = " ".join(PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text().split())
    assert "José Ángel Núñez Peña" in text and first[0].serial in text


def test_an_ineligible_participant_is_refused_and_a_foreign_id_is_a_404(app, client, course):
    login(client, course["emails"]["admin"])
    program = course["ids"]["program"]
    response = issue(client, program, participant_ids=[str(course["ids"]["gt2"])])
    assert response.status_code == 302 and certificates_of(app, "gt2", course) == []
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "flash-error" in follow
    assert issue(client, program, participant_ids=["999999"]).status_code == 404


def test_a_focal_point_sees_and_downloads_their_country_only(app, client, course, run_tasks):
    login(client, course["emails"]["organizer"])
    issue(client, course["ids"]["program"], everyone="y")
    run_tasks()
    login(client, course["emails"]["focal_gt"])
    html = screen(client, course["ids"]["program"])
    assert "Tzul Batz" in html and "Núñez" not in html and "Ruiz" not in html
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/programs/{course['ids']['program']}/certificates.zip").data))
    names = archive.namelist()
    assert names == sorted(names[:-1]) + ["TEST-2026-register.csv"]
    assert [n for n in names if n.endswith(".pdf")] == ["GT_Tzul-Batz_Ixchel_TEST-2026-0900.pdf"]
    mx_certificate = certificates_of(app, "mx1", course)[0]
    assert client.get(f"/certificates/{mx_certificate.id}").status_code == 404
    assert client.get(f"/certificates/{mx_certificate.id}.pdf").status_code == 404


def test_the_zip_names_pdfs_by_country_and_surname_and_carries_a_register(app, client, course, run_tasks):
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], everyone="y")
    run_tasks()
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/programs/{course['ids']['program']}/certificates.zip").data))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert pdfs == ["GT_Tzul-Batz_Ixchel_TEST-2026-0900.pdf", "MX_Gomez-Diaz_Fatima_TEST-2026-0001.pdf",
                    "MX_Nunez-Pena_Jose-Angel_TEST-2026-0002.pdf"]
    register = archive.read("TEST-2026-register.csv").decode("utf-8-sig").splitlines()
    assert len(register) == 4  # header and three certificates
    with app.app_context():
        for certificate in db.session.scalars(select(Certificate)):
            assert any(certificate.code in row and certificate.serial in row for row in register)
            name = next(n for n in pdfs if n.endswith(f"{certificate.serial}.pdf"))
            assert hashlib.sha256(archive.read(name)).hexdigest() == certificate.sha256


def test_two_concurrent_issue_requests_make_one_certificate(app, course):
    from certificates.services_issuing import issue as issue_service

    barrier, errors = threading.Barrier(2, timeout=30), []

    def worker():
        with app.app_context():
            try:
                barrier.wait()  # before any query: on SQLite the first statement takes the write lock
                person = db.session.get(Participant, course["ids"]["mx1"])
                issue_service(person.program, [person], None)
            except Exception as error:  # noqa: BLE001 — any failure of either request fails the test
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(certificates_of(app, "mx1", course)) == 1


def test_the_database_refuses_a_second_valid_certificate(app, course):
    with app.app_context():
        db.session.add(Certificate(program_id=course["ids"]["program"], participant_id=course["ids"]["gt1"],
                                   serial_number=901, serial="TEST-2026-0901", code="another-code-" + "y" * 20,
                                   languages=["es"], facts={}))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_revoking_needs_a_reason_and_keeps_the_certificate_revoked_through_bulk_issues(app, client, course):
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    issue(client, program, everyone="y")
    certificate = certificates_of(app, "mx1", course)[0]
    page = f"/certificates/{certificate.id}"
    empty = post_form(client, f"{page}/revoke", {"revoke-reason": "  "}, page=page)
    assert empty.status_code == 400 and 'id="revoke-reason-error"' in empty.get_data(as_text=True)
    revoked_now = post_form(client, f"{page}/revoke", {"revoke-reason": "Fraude en la asistencia"}, page=page)
    assert revoked_now.status_code == 302
    issue(client, program, everyone="y")
    (revoked,) = certificates_of(app, "mx1", course)
    assert revoked.revoked_reason == "Fraude en la asistencia" and revoked.revoked_at is not None
    assert "Revocado: 1" in screen(client, program)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == certificate.id,
                                                                     AuditEvent.object_type == "Certificate")
                                     .order_by(AuditEvent.id)).all()
    assert actions == ["certificate.issued", "certificate.revoked"]


def test_reissuing_replaces_the_certificate_with_a_new_serial_and_code(app, client, course):
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], participant_ids=[str(course["ids"]["mx2"])])
    (old,) = certificates_of(app, "mx2", course)
    with app.app_context():  # the name was misspelt on the country's list; corrected now
        db.session.get(Participant, course["ids"]["mx2"]).family_names = "Gómez Díaz de León"
        db.session.commit()
    page = f"/certificates/{old.id}"
    response = post_form(client, f"{page}/reissue", {"reissue-reason": "Apellido corregido"}, page=page)
    assert response.status_code == 302
    old_now, new = certificates_of(app, "mx2", course)
    assert old_now.revoked_reason == "Apellido corregido" and old_now.replaced_by_id == new.id
    assert new.valid and new.serial != old.serial and new.code != old.code
    assert new.facts["name"] == "Fátima Gómez Díaz de León"
    assert client.get(f"/verify/{old.code}").get_data(as_text=True).count("verdict-revoked") == 1


def test_reissuing_someone_who_no_longer_qualifies_changes_nothing(app, client, course):
    login(client, course["emails"]["admin"])
    certificate = certificates_of(app, "gt1", course)[0]  # world's: gt1 did nothing
    page = f"/certificates/{certificate.id}"
    post_form(client, f"{page}/reissue", {"reissue-reason": "Nombre"}, page=page)
    (still,) = certificates_of(app, "gt1", course)
    assert still.valid


def test_attendance_changed_after_issuing_is_flagged_not_silently_revoked(app, client, course):
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    issue(client, program, everyone="y")
    with app.app_context():
        mark = db.session.scalar(select(Attendance).where(Attendance.participant_id == course["ids"]["mx1"]))
        mark.status = "absent"
        db.session.commit()
    (certificate,) = certificates_of(app, "mx1", course)
    assert certificate.valid
    conflict = screen(client, program, status="conflict")
    assert "Núñez Peña" in conflict and "Ausente en S0" in conflict


def test_a_participant_sees_what_is_missing_then_downloads_their_own_certificate(app, course):
    client = app.test_client()
    enter(client, link_for(app, course["ids"]["gt2"]))
    page = client.get("/me").get_data(as_text=True)
    assert "S0 · Sesión 0" in page and client.get("/me/certificate.pdf").status_code == 404
    staff = app.test_client()
    login(staff, course["emails"]["admin"])
    issue(staff, course["ids"]["program"], everyone="y")
    holder = app.test_client()
    enter(holder, link_for(app, course["ids"]["mx1"]))
    assert "/me/certificate.pdf" in holder.get("/me").get_data(as_text=True)
    download = holder.get("/me/certificate.pdf")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    (certificate,) = certificates_of(app, "mx1", course)
    assert hashlib.sha256(download.data).hexdigest() == certificate.sha256


def test_a_certificate_whose_pdf_was_never_drawn_is_drawn_on_first_download(app, client, course):
    login(client, course["emails"]["focal_gt"])
    certificate = certificates_of(app, "gt1", course)[0]
    first = client.get(f"/certificates/{certificate.id}.pdf")
    second = client.get(f"/certificates/{certificate.id}.pdf")
    assert first.status_code == 200 and first.data == second.data
    (stored,) = certificates_of(app, "gt1", course)
    assert stored.sha256 == hashlib.sha256(first.data).hexdigest()


def test_holders_are_emailed_their_link_through_the_invitation_queue(app, client, course, run_tasks):
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], everyone="y")
    page = f"/programs/{course['ids']['program']}/certificates"
    assert post_form(client, f"{page}/email", {}, page=page).status_code == 302
    run_tasks()  # draws the PDFs and sends the messages (no mail server here: they wait in the outbox)
    with app.app_context():
        messages = db.session.scalars(select(OutboundMessage).where(OutboundMessage.kind == "certificate")).all()
        assert sorted(m.to_address for m in messages) == ["fatima.gomez@example.mx", "ixchel.tzul@example.gt",
                                                          "jose.nunez@example.mx"]
        assert all(m.status == "outbox" and "{link}" in m.body for m in messages)


def test_a_minimum_score_and_a_minimum_share_change_who_qualifies(app, client, course):
    login(client, course["emails"]["admin"])
    program = course["ids"]["program"]
    settings_page = f"/programs/{program}/certificates/settings"
    response = post_form(client, settings_page, {
        "required_activities": [str(course["ids"]["activity"])], "post_test_required": "y",
        "min_post_score": "60", "min_share": "75", "language_mode": "participant"})
    assert response.status_code == 302
    not_yet = screen(client, program, status="not_yet")
    assert "Gómez Díaz" in not_yet  # 40% < 60% and 80 of 120 minutes < 75%
    assert "40%" in not_yet and "66,6%" in not_yet  # 80 of 120 minutes, never rounded up toward the minimum
    assert "Gómez Díaz" not in screen(client, program, status="eligible")


def test_settings_errors_stand_next_to_their_field_and_save_nothing(app, client, course):
    login(client, course["emails"]["organizer"])
    settings_page = f"/programs/{course['ids']['program']}/certificates/settings"
    response = post_form(client, settings_page, {"min_share": "0", "min_post_score": "120",
                                                 "language_mode": "participant",
                                                 "logo_1": (io.BytesIO(b"GIF89a not really"), "logo.gif")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="min_share-error"' in html and 'id="min_post_score-error"' in html
    with app.app_context():
        from certificates.models import CertificateSettings

        assert db.session.scalar(select(func.count()).select_from(CertificateSettings)) == 0


def test_an_upload_that_is_not_png_or_jpeg_is_refused_by_its_field(app, client, course):
    login(client, course["emails"]["organizer"])
    settings_page = f"/programs/{course['ids']['program']}/certificates/settings"
    response = post_form(client, settings_page, {"language_mode": "participant",
                                                 "logo_1": (io.BytesIO(b"<svg xmlns='x'/>"), "logo.svg")})
    assert response.status_code == 200 and 'id="logo_1-error"' in response.get_data(as_text=True)


def test_a_specimen_shows_the_settings_with_signatories_and_logos(app, client, course):
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (300, 120), (10, 90, 120)).save(png, format="PNG")
    login(client, course["emails"]["organizer"])
    settings_page = f"/programs/{course['ids']['program']}/certificates/settings"
    response = post_form(client, settings_page, {
        "language_mode": "bilingual", "post_test_required": "y", "hours": "12.5",
        "issuer_es": "Secretaría Técnica", "issuer_en": "Technical Secretariat",
        "signatory_1_name": "Rosa Elena Quispe", "signatory_1_title_es": "Directora",
        "signatory_1_title_en": "Director",
        "signatory_1_image": (io.BytesIO(png.getvalue()), "firma.png"),
        "logo_1": (io.BytesIO(png.getvalue()), "logo.png")})
    assert response.status_code == 302
    specimen = client.get(f"/programs/{course['ids']['program']}/certificates/specimen.pdf")
    text = " ".join(PdfReader(io.BytesIO(specimen.data)).pages[0].extract_text().split())
    assert "Rosa Elena Quispe" in text and "Directora / Director" in text
    assert "Certificado" in text and "Certificate of completion" in text  # bilingual
    assert "12,5 horas" in text and "Secretaría Técnica" in text


def test_hostile_names_are_printed_literally_and_escaped_on_pages(app, client, course):
    hostile = '<font color="[[[getattr(pow,Word(\'__globals__\'))]]]">x</font><script>alert(1)</script>'
    with app.app_context():
        person = db.session.get(Participant, course["ids"]["mx1"])
        person.given_names = hostile
        db.session.commit()
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], everyone="y")
    html = screen(client, course["ids"]["program"])
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    (certificate,) = certificates_of(app, "mx1", course)
    text = "".join(PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.id}.pdf").data))
                   .pages[0].extract_text().split())
    assert "".join(hostile.split()) in text
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in verify and "&lt;script&gt;" in verify


def test_the_command_issues_and_writes_the_pdfs_with_a_register(app, course, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["issue-certificates", "--program", "TEST-2026", "--output-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Issued 2 certificates; 1 already issued; 2 participants not eligible or revoked." in result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["GT_Tzul-Batz_Ixchel_TEST-2026-0900.pdf", "MX_Gomez-Diaz_Fatima_TEST-2026-0001.pdf",
                     "MX_Nunez-Pena_Jose-Angel_TEST-2026-0002.pdf", "register.csv"]
    again = runner.invoke(args=["issue-certificates", "--program", "TEST-2026"])
    assert "Issued 0 certificates; 3 already issued" in again.output
    unknown = runner.invoke(args=["issue-certificates", "--program", "NOPE"])
    assert unknown.exit_code == 1 and "NOPE" in unknown.output


def test_the_demo_issues_certificates_and_leaves_visible_reasons(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():  # the reference program's (the demo's second program has certificates of its own)
        program_id = db.session.scalar(select(Program.id).where(Program.code == "CRM-CE-2021"))
        certificates = db.session.scalars(select(Certificate).where(Certificate.program_id == program_id)).all()
        valid = [c for c in certificates if c.valid]
        revoked = [c for c in certificates if not c.valid]
        assert len(valid) > 60 and len(revoked) == 1 and revoked[0].replaced_by_id is not None
        assert all(c.sha256 and c.pdf for c in certificates)
        people = db.session.scalar(select(func.count()).select_from(Participant)
                                   .where(Participant.program_id == program_id))
        assert people - len(valid) >= 10  # some did not qualify
        s2 = db.session.scalar(select(Activity).where(Activity.code == "S2", Activity.program_id == program_id))
        absent_holders = db.session.scalar(select(func.count()).select_from(Attendance).where(
            Attendance.activity_id == s2.id, Attendance.status == "absent",
            Attendance.participant_id.in_([c.participant_id for c in valid])))
        assert absent_holders == 1  # the conflict the screen flags


def test_issuing_is_quick_and_the_worker_draws_every_pdf_while_the_page_follows_it(app, client, course, run_tasks):
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    page = f"/programs/{program}/certificates"
    issued = issue(client, program, everyone="y")
    waiting = client.get(issued.headers["Location"]).get_data(as_text=True)
    assert "2 certificados emitidos." in waiting and "Los PDF de los certificados se están generando" in waiting
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.kind == DRAWING))
        assert (job.status, job.total) == ("queued", 3)
        job_id = job.id
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.pdf.is_(None))) == 3
        started = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificates.drawing_started"))
        assert started.details == {"waiting": 3}
    assert f'data-job-url="/programs/{program}/jobs/{job_id}"' in waiting and 'data-job-active="yes"' in waiting
    assert "Generar los PDF pendientes" not in waiting  # the job is under way: no button to start another
    refused = client.get(f"{page}.zip")  # a ZIP missing some certificates would be a trap
    assert refused.status_code == 302 and "se están generando" in client.get(page).get_data(as_text=True)
    assert client.get(f"/programs/{program}/jobs/{job_id}").get_json()["status"] == "queued"
    assert run_tasks() == 1
    finished = client.get(f"/programs/{program}/jobs/{job_id}").get_json()
    assert (finished["status"], finished["done"], finished["total"]) == ("done", 3, 3)
    assert finished["text"] == "Todos los certificados emitidos tienen su PDF (3 generados ahora)."
    assert finished["result_url"] is None  # the page reloads itself: the list shows what changed
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate).where(Certificate.pdf.is_(None))) == 0
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{page}.zip").data))
    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 3


def test_no_pdf_is_drawn_twice_however_often_the_drawing_runs(app, client, course, run_tasks, monkeypatch):
    from certificates import pdf
    from task_queue import queue_of

    drawn = []
    real = pdf.certificate_pdf  # imported by the drawing when it draws (reportlab is not loaded at start-up)
    monkeypatch.setattr(pdf, "certificate_pdf", lambda document: drawn.append(document) or real(document))
    login(client, course["emails"]["organizer"])
    program = course["ids"]["program"]
    page = f"/programs/{program}/certificates"
    issue(client, program, everyone="y")
    post_form(client, f"{page}/draw", {}, page=page)  # pressed while the job waits: it joins it
    with app.app_context():
        (job_id,) = db.session.scalars(select(Job.id).where(Job.kind == DRAWING)).all()
    run_tasks()
    assert len(drawn) == 3
    with app.app_context():
        hashes = dict(db.session.execute(select(Certificate.id, Certificate.sha256)).all())
    queue_of(app).send(DRAWING, job_id)  # the same task delivered twice
    assert run_tasks() == 1
    again = post_form(client, f"{page}/draw", {}, page=page)  # nothing waits: no new job
    assert "Todos los certificados emitidos tienen su PDF." in client.get(again.headers["Location"]).get_data(
        as_text=True)
    with app.app_context():
        from certificates.tasks import draw_certificates
        from training.services_jobs import start_job

        job, _started = start_job(draw_certificates, db.session.get(Program, program), None)
        db.session.commit()
        new_job = job.id
    run_tasks()  # a drawing job started when nothing waits draws nothing
    assert len(drawn) == 3
    with app.app_context():
        assert dict(db.session.execute(select(Certificate.id, Certificate.sha256)).all()) == hashes
        assert db.session.get(Job, new_job).status == "done" and db.session.get(Job, new_job).result == {"drawn": 0}
        assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == DRAWING)) == 2


def test_pdfs_waiting_without_a_job_are_drawn_on_the_schedule(app, course, run_tasks):
    from datetime import datetime, timezone

    from training.tasks import run_scheduled

    with app.app_context():  # world's certificate waits for its PDF, and no job was ever started for it
        run_scheduled(app, datetime.now(timezone.utc))
    run_tasks()
    with app.app_context():
        assert db.session.get(Certificate, course["ids"]["certificate"]).pdf.startswith(b"%PDF")
        db.session.execute(update(Job).where(Job.kind == DRAWING).values(status="failed",
                                                                          finished_at=datetime.now(timezone.utc)))
        db.session.execute(update(Certificate).values(pdf=None, sha256=None))
        db.session.commit()
        run_scheduled(app, datetime.now(timezone.utc))  # the drawing just failed: left to a person's press
        assert db.session.scalar(select(func.count()).select_from(Job).where(Job.status == "queued")) == 0
        assert db.session.get(Certificate, course["ids"]["certificate"]).pdf is None


def test_a_certificate_keeps_the_facts_it_printed_and_nothing_personal(app, client, course):
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], participant_ids=[str(course["ids"]["mx1"])])
    (certificate,) = certificates_of(app, "mx1", course)
    assert set(certificate.facts) == {"name", "title", "start", "end", "hours", "place", "virtual", "issuer",
                                      "counts", "default_language"}
    assert certificate.facts["counts"] == {"virtual_session": 1} and certificate.facts["hours"] == 2.0
    assert not any("@" in str(value) for value in certificate.facts.values())


def test_a_certificate_revoked_by_mistake_can_be_issued_again_once(app, client, course):
    login(client, course["emails"]["organizer"])
    issue(client, course["ids"]["program"], participant_ids=[str(course["ids"]["mx1"])])
    (certificate,) = certificates_of(app, "mx1", course)
    page = f"/certificates/{certificate.id}"
    post_form(client, f"{page}/revoke", {"revoke-reason": "Por error"}, page=page)
    again = post_form(client, f"{page}/reissue", {"reissue-reason": "La revocación fue un error"}, page=page)
    assert again.status_code == 302
    old, new = certificates_of(app, "mx1", course)
    assert old.revoked_reason == "Por error" and old.replaced_by_id == new.id and new.valid
    post_form(client, f"{page}/reissue", {"reissue-reason": "Otra vez"}, page=page)
    assert len(certificates_of(app, "mx1", course)) == 2  # a replaced certificate is not replaced twice


def test_e_mailing_every_holder_skips_withdrawn_holders(app, client, course, run_tasks):
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], everyone="y")
    with app.app_context():
        db.session.get(Participant, course["ids"]["mx2"]).status = "withdrawn"
        db.session.commit()
    page = f"/programs/{course['ids']['program']}/certificates"
    assert post_form(client, f"{page}/email", {}, page=page).status_code == 302
    run_tasks()
    with app.app_context():
        sent = db.session.scalars(select(OutboundMessage.to_address).where(OutboundMessage.kind == "certificate"))
        assert sorted(sent) == ["ixchel.tzul@example.gt", "jose.nunez@example.mx"]


@pytest.mark.parametrize("value", ["nan", "inf", "sNaN", "abc"])
def test_numbers_that_are_not_numbers_are_refused_by_their_field(client, course, value):
    login(client, course["emails"]["organizer"])
    page = f"/programs/{course['ids']['program']}/certificates/settings"
    response = post_form(client, page, {"hours": value, "min_post_score": value, "language_mode": "participant"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="hours-error"' in html and 'id="min_post_score-error"' in html


def test_ids_beyond_the_databases_integers_are_refused(client, course):
    login(client, course["emails"]["admin"])
    # Not an id at all: the form is not one the page could have sent (tests/test_security_ids.py has every route).
    assert issue(client, course["ids"]["program"], participant_ids=["99999999999999999999"]).status_code == 400
    assert issue(client, course["ids"]["program"], participant_ids=["0"]).status_code == 404  # no such person


def test_a_focal_point_is_not_held_back_by_another_countrys_waiting_pdfs(app, client, course, run_tasks):
    login(client, course["emails"]["admin"])
    issue(client, course["ids"]["program"], participant_ids=[str(course["ids"]["mx1"])])
    run_tasks()
    with app.app_context():  # Guatemala's certificate (world's) lost its PDF, as if its drawing had been cut short
        db.session.execute(update(Certificate).where(Certificate.id == course["ids"]["certificate"])
                           .values(pdf=None, sha256=None))
        db.session.commit()
    assert "Generar los PDF pendientes" in screen(client, course["ids"]["program"])  # no job draws it now
    login(client, course["emails"]["focal_mx"])
    html = screen(client, course["ids"]["program"])
    assert "esperando su PDF" not in html
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/programs/{course['ids']['program']}/certificates.zip").data))
    assert [n for n in archive.namelist() if n.endswith(".pdf")] == ["MX_Nunez-Pena_Jose-Angel_TEST-2026-0001.pdf"]
