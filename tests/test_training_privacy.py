"""The audit log (admins only: filters, pages, exports) and a participant's personal data: export and erasure."""
import csv
import io
import json
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from extensions import db
from tests.conftest import csrf_from, login, post_form
from tests.helpers import as_admin, choose_english, erase_personal_data, export_personal_data
from training.models import AttendanceImport, AuditEvent, OutboundMessage, Participant, Program, User
from training.services import record


def add_event(app, action, obj_type="Participant", obj_id=None, at=None, user_id=None, program_id=None, **details):
    with app.app_context():
        db.session.add(AuditEvent(action=action, object_type=obj_type, object_id=obj_id, user_id=user_id,
                                  program_id=program_id, details=details,
                                  at=at or datetime.now(timezone.utc)))
        db.session.commit()


def placeholder(app, participant_id):
    """The name an erased participant gets: stored in the program's language (Spanish in these programs)."""
    with app.test_request_context(), force_locale("es"):
        return f"{gettext('Deleted participant')} {participant_id}"


# --- the audit log ---------------------------------------------------------------------------------------


def test_the_log_shows_who_did_what_to_which_object_newest_first(app, client, world):
    ids = world["ids"]
    as_admin(client, world)
    post_form(client, f"/participants/{ids['mx1']}/edit", {
        "given_names": "José Ángel", "family_names": "Núñez Peña", "email": "jose.nunez@example.mx",
        "delegation_id": str(ids["mx"]), "gender": "male", "profile": "other", "language": "es", "timezone": ""})
    add_event(app, "mystery.thing", "Gadget", 7, when="<script>alert(1)</script>")
    html = client.get("/audit").get_data(as_text=True)
    assert html.index("mystery.thing") < html.index("Participant changed")  # newest first
    assert "Admin" in html and "admin@example.org" in html
    assert f'href="/participants/{ids["mx1"]}/edit">José Ángel Núñez Peña</a>' in html
    assert "TEST-2026" in html  # the program the object belongs to
    assert "The system (or a deleted account)" in html  # the event nobody made
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'href="/audit"' in html  # the navigation links to it


def test_details_read_as_words_with_times_in_the_programs_zone(app, client, world):
    """Not "participant_id: 121", "created: 0", "show_score: true", a bare UTC time or a role's code."""
    ids = world["ids"]
    add_event(app, "questionnaire.opened", "Program", ids["program"], program_id=ids["program"],
              participant_id=121, created=0, show_score=True, role="focal_point", country_code="MX",
              closes_at="2026-03-02T03:00:00+00:00", language="fr", new_thing="x")
    as_admin(client, world)
    html = client.get("/audit", query_string={"program": ids["program"]}).get_data(as_text=True)
    for shown in ("Participant:</span> no. 121<", "Added:</span> 0<", "Shows the score:</span> Yes<",
                  "Role:</span> Country focal point<", "Country:</span> Mexico<", "Language:</span> French<",
                  "Closes:</span> Sunday, March 1, 2026, 21:00 (Mexico City)<", "New thing:</span> x<"):
        assert shown in html
    assert "participant_id" not in html and "show_score" not in html and "2026-03-02T03:00" not in html
    client.post("/language", data={"language": "es", "next": "/audit", "csrf_token": csrf_from(html)})
    html = client.get("/audit", query_string={"program": ids["program"]}).get_data(as_text=True)
    assert "Participante:</span> n.º 121<" in html and "País:</span> México<" in html
    assert "domingo, 1 de marzo de 2026, 21:00 (Ciudad de México)" in html


def test_a_text_in_several_languages_names_its_languages(app, client, world):
    """A section's title as recorded ({"es": …, "fr": …}) reads "Spanish: …; French: …", not "Es: …; Fr: …"."""
    ids = world["ids"]
    add_event(app, "questionnaire.section_renamed", "Program", ids["program"], program_id=ids["program"],
              title={"es": "Conocimientos", "fr": "Connaissances"})
    as_admin(client, world)
    html = client.get("/audit", query_string={"program": ids["program"]}).get_data(as_text=True)
    assert "Title:</span> Spanish: Conocimientos; French: Connaissances<" in html


def test_an_object_that_no_longer_exists_is_named_without_a_link(app, client, world):
    add_event(app, "participant.updated", "Participant", 999_999)
    as_admin(client, world)
    html = client.get("/audit").get_data(as_text=True)
    assert "(no longer exists)" in html and "/participants/999999" not in html


def test_filters_by_program_user_action_and_dates_in_the_chosen_zone(app, client, world):
    ids = world["ids"]
    with app.app_context():
        other = db.session.scalar(select(Program.id).where(Program.code == "TEST-Q-2026"))
    # 2026-03-02 03:00 UTC is still 1 March in Mexico City (UTC-6).
    add_event(app, "program.updated", "Program", ids["program"], program_id=ids["program"], user_id=ids["admin"],
              at=datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc), code="first")
    add_event(app, "program.updated", "Program", other, program_id=other, user_id=ids["organizer"],
              at=datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc), code="second")
    add_event(app, "certificate.revoked", "Certificate", ids["certificate"], program_id=ids["program"],
              at=datetime(2026, 3, 9, 12, 0, tzinfo=timezone.utc), code="third")
    as_admin(client, world)

    def codes(**args):
        html = client.get("/audit", query_string=args).get_data(as_text=True)
        return [code for code in ("first", "second", "third") if f"Code:</span> {code}" in html]

    assert codes() == ["first", "second", "third"]
    assert codes(program=ids["program"]) == ["first", "third"]
    assert codes(user=ids["organizer"]) == ["second"]
    assert codes(user="system") == ["third"]
    assert codes(action="certificate.revoked") == ["third"]
    assert codes(since="2026-03-05", until="2026-03-05") == ["second"]
    assert codes(until="2026-03-01", tz="America/Mexico_City") == ["first"]
    assert codes(until="2026-03-01", tz="UTC") == []
    assert codes(program=ids["program"], until="2026-03-01") == ["first"]  # the program's zone by default
    page = client.get("/audit", query_string={"since": "not-a-date", "action": "program.updated"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="since-error"' in html and "Code:</span> second" in html


def test_pages_of_fifty(app, client, world):
    with app.app_context():
        for number in range(120):
            db.session.add(AuditEvent(action="attendance.saved", object_type="Activity", object_id=1,
                                      details={"count": number}))
        db.session.commit()
    as_admin(client, world)
    first = client.get("/audit").get_data(as_text=True)
    assert "Page 1 of 3" in first and first.count("Number:</span>") == 50 and "Number:</span> 119<" in first
    last = client.get("/audit", query_string={"page": 3}).get_data(as_text=True)
    assert last.count("Number:</span>") == 20 and "Number:</span> 0<" in last


def test_the_export_follows_the_filters_and_neutralizes_formulas(app, client, world):
    ids = world["ids"]
    with app.app_context():
        user = db.session.get(User, ids["organizer"])
        user.name = '=HYPERLINK("http://evil.example","click")'
        db.session.commit()
    add_event(app, "certificate.revoked", "Certificate", ids["certificate"], program_id=ids["program"],
              user_id=ids["organizer"], reason="@SUM(A1:A9)")
    add_event(app, "program.updated", "Program", ids["program"], program_id=ids["program"], code="TEST-2026")
    as_admin(client, world)
    response = client.get("/audit/export.csv", query_string={"action": "certificate.revoked"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 2 and rows[1][4] == "certificate.revoked" and rows[1][5] == "Certificate · TEST-2026-0900"
    assert rows[1][1] == "'=HYPERLINK(\"http://evil.example\",\"click\")" and rows[1][8] == "Reason: @SUM(A1:A9)"
    assert not any(cell.startswith(("=", "@", "+", "-")) for row in rows for cell in row)
    workbook = client.get("/audit/export.xlsx")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"


@pytest.mark.parametrize("role", ["organizer", "facilitator", "focal_mx"])
def test_other_staff_are_refused_and_see_no_link(client, world, role):
    login(client, world["emails"][role])
    assert client.get("/audit").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert client.get(f"/participants/{world['ids']['mx1']}/personal-data").status_code == 403
    assert 'href="/audit"' not in client.get("/programs").get_data(as_text=True)


def test_anonymous_visitors_and_participants_are_refused(app, client, world):
    response = client.get("/audit")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        participant = db.session.get(Participant, world["ids"]["mx1"])
    link = app.test_cli_runner().invoke(args=["participant-link", participant.email, "--program", "TEST-2026"])
    path = "/" + link.output.strip().split("/", 3)[3]
    token = csrf_from(client.get(path).get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 302  # a participant's session
    assert client.get("/audit").status_code == 403
    assert client.get(f"/participants/{world['ids']['mx1']}/personal-data").status_code == 403


# --- personal data: export -------------------------------------------------------------------------------


def _messages(app, world):
    ids = world["ids"]
    with app.app_context():
        for key, address in (("mx1", "jose.nunez@example.mx"), ("mx2", "fatima.gomez@example.mx"),
                             ("gt1", "ixchel.tzul@example.gt")):
            db.session.add(OutboundMessage(program_id=ids["program"], participant_id=ids[key], kind="invitation",
                                           language="es", to_address=address, subject="Invitación",
                                           body="Hola, entre en {link}", status="outbox"))
        db.session.commit()


def test_the_export_holds_everything_about_the_person_and_nothing_of_anyone_else(app, client, course):
    from assessments.models import Answer, Attempt, Question
    from certificates.models import Certificate

    ids = course["ids"]
    _messages(app, course)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.participant_id == ids["mx1"]))
        question = Question(questionnaire_id=attempt.questionnaire_id, section_id=_section(attempt), position=1,
                            type="long_text", dimension="application", text={"es": "¿Qué aplicará?"})
        db.session.add(question)
        db.session.flush()
        db.session.add(Answer(attempt_id=attempt.id, question_id=question.id, value="Orientar a migrantes"))
        db.session.add(Certificate(program_id=ids["program"], participant_id=ids["mx1"], serial_number=901,
                                   serial="TEST-2026-0901", code="mx1-certificate-code-" + "y" * 20,
                                   languages=["es"], facts={"name": "José Ángel Núñez Peña"},
                                   pdf=b"%PDF-1.4 mx1", sha256="a" * 64))
        record(ids["admin"], "participant.updated", db.session.get(Participant, ids["mx1"]))
        db.session.commit()
    as_admin(client, course)
    page = client.get(f"/participants/{ids['mx1']}/personal-data").get_data(as_text=True)
    assert "Personal data: José Ángel Núñez Peña" in page and "jose.nunez@example.mx" in page
    archive = export_personal_data(client, ids["mx1"])
    assert sorted(archive.namelist()) == ["certificates/TEST-2026-0901.pdf", "personal-data.json"]
    assert archive.read("certificates/TEST-2026-0901.pdf") == b"%PDF-1.4 mx1"
    text = archive.read("personal-data.json").decode()
    data = json.loads(text)
    person = data["participant"]
    assert (person["given_names"], person["family_names"], person["email"]) == (
        "José Ángel", "Núñez Peña", "jose.nunez@example.mx")
    assert person["delegation"]["country_code"] == "MX" and person["program"]["code"] == "TEST-2026"
    assert [m["to"] for m in data["messages"]] == ["jose.nunez@example.mx"]
    assert "{link}" not in data["messages"][0]["body"] and "/p/" not in text.replace("/p/•••", "")
    assert [(a["activity"], a["status"], a["minutes"]) for a in data["attendance"]] == [("S0", "present", 120)]
    assert [g["group"] for g in data["groups"]] == [{"es": "Grupo 1"}]  # in every language, like its perspective
    assert data["tests"][0]["score"] == 8 and data["tests"][0]["answers"][0]["value"] == "Orientar a migrantes"
    assert data["certificates"][0]["serial"] == "TEST-2026-0901"
    assert data["certificates"][0]["code"] == "mx1-certificate-code-" + "y" * 20
    assert data["certificates"][0]["status"] == "valid"
    assert [e["action"] for e in data["audit_events"]] == ["participant.updated"]
    assert [f["filename"] for f in data["uploaded_files"]] == ["zoom.csv"]  # the Zoom report names him
    for someone_else in ("Fátima", "fatima.gomez", "Gómez", "Ixchel", "ixchel.tzul", "Marta", "TEST-2026-0900"):
        assert someone_else not in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "participant.data_exported", AuditEvent.object_id == ids["mx1"])) == 1


def _section(attempt):
    from assessments.models import Section

    section = db.session.scalar(select(Section).where(Section.questionnaire_id == attempt.questionnaire_id))
    if section is None:
        section = Section(questionnaire_id=attempt.questionnaire_id, position=1, title={"es": "Aplicación"})
        db.session.add(section)
        db.session.flush()
    return section.id


def test_only_admins_export_or_erase(app, client, world):
    ids = world["ids"]
    for role in ("organizer", "facilitator", "focal_mx"):
        login(client, world["emails"][role])
        token = csrf_from(client.get("/programs").get_data(as_text=True))
        assert client.post(f"/participants/{ids['mx1']}/personal-data.zip",
                           data={"csrf_token": token}).status_code == 403
        assert client.post(f"/participants/{ids['mx1']}/erase", data={
            "csrf_token": token, "reason": "x", "confirm": "y"}).status_code == 403
    with app.app_context():
        assert db.session.get(Participant, ids["mx1"]).erased_at is None


def test_export_and_erase_need_the_csrf_token(app, client, world):
    ids = world["ids"]
    as_admin(client, world)
    assert client.post(f"/participants/{ids['mx1']}/personal-data.zip").status_code == 400
    response = client.post(f"/participants/{ids['mx1']}/erase", data={"reason": "asked", "confirm": "y"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Participant, ids["mx1"]).erased_at is None


# --- personal data: erasure ------------------------------------------------------------------------------


def test_erasure_needs_a_reason_and_the_confirmation(app, client, world):
    ids = world["ids"]
    as_admin(client, world)
    response = erase_personal_data(client, ids["gt1"], reason="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="reason-error"' in html and 'id="confirm-error"' in html
    assert erase_personal_data(client, ids["gt1"], reason="Asked by e-mail").status_code == 400
    with app.app_context():
        assert db.session.get(Participant, ids["gt1"]).erased_at is None


def test_erasure_removes_the_name_and_address_wherever_they_could_be_seen(app, client, world):
    ids = world["ids"]
    _messages(app, world)
    link = app.test_cli_runner().invoke(args=["participant-link", "ixchel.tzul@example.gt", "--program",
                                              "TEST-2026"]).output.strip()
    as_admin(client, world)
    response = erase_personal_data(client, ids["gt1"], reason="Pidió la supresión por correo", confirm="y")
    assert response.status_code == 302 and response.headers["Location"] == f"/participants/{ids['gt1']}/personal-data"
    name = placeholder(app, ids["gt1"])
    secrets = ("Ixchel", "Tzul", "ixchel.tzul", "IXCHEL")

    def clean(text):
        return not any(secret in text for secret in secrets)

    page = client.get(f"/participants/{ids['gt1']}/personal-data").get_data(as_text=True)
    assert "Erased on" in page and "Pidió la supresión por correo" in page and clean(page)
    listing = client.get(f"/programs/{ids['program']}/participants", query_string={"status": "all"})
    assert name.split()[0] in listing.get_data(as_text=True) and clean(listing.get_data(as_text=True))
    exported = client.get(f"/programs/{ids['program']}/participants/export.csv").get_data(as_text=True)
    assert name.split()[0] in exported and clean(exported)
    outbox = client.get(f"/programs/{ids['program']}/messages").get_data(as_text=True)
    assert "fatima.gomez@example.mx" in outbox and clean(outbox)
    assert clean(client.get(f"/programs/{ids['program']}/messages/export.csv").get_data(as_text=True))
    log = client.get("/audit").get_data(as_text=True)
    assert "Personal data erased" in log and name in log and clean(log)
    assert clean(client.get("/audit/export.csv").get_data(as_text=True))
    assert clean(export_personal_data(client, ids["gt1"]).read("personal-data.json").decode())
    verify = client.get("/verify/world-certificate-code-" + "x" * 20).get_data(as_text=True)
    assert "Revoked certificate" in verify and name in verify and clean(verify)
    assert client.get("/" + link.split("/", 3)[3]).status_code == 404  # the personal link no longer works
    with app.app_context():
        from certificates.models import Certificate

        certificate = db.session.get(Certificate, ids["certificate"])
        assert certificate.revoked_at is not None and certificate.pdf is None and certificate.sha256 is None
        assert certificate.revoked_reason  # "Erasure of personal data", in the program's language
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erased"))
        assert event.user_id == ids["admin"] and event.details["reason"] == "Pidió la supresión por correo"
        assert event.details["messages"] == 1 and event.details["certificates_revoked"] == 1
        assert clean(json.dumps(event.details, ensure_ascii=False))
        report = db.session.get(AttendanceImport, ids["report"])  # the Zoom report that named her
        assert report.content == b"" and report.status == "discarded"
        person = db.session.get(Participant, ids["gt1"])
        assert (person.email, person.position, person.token_hash, person.status) == ("", "", None, "registered")
        assert person.full_name == name and person.delegation_id == ids["gt"]


def test_erasing_twice_changes_nothing_and_nothing_is_sent_to_them_again(app, client, world, run_tasks):
    ids = world["ids"]
    as_admin(client, world)
    assert erase_personal_data(client, ids["mx2"], reason="Asked", confirm="y").status_code == 302
    again = erase_personal_data(client, ids["mx2"], reason="Asked again", confirm="y")
    assert again.status_code == 302
    assert "already erased" in client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "participant.erased")) == 1
    # The edit page has nothing to edit; invitations to everyone skip them; no new link is issued.
    assert client.get(f"/participants/{ids['mx2']}/edit").headers["Location"].endswith(
        f"/participants/{ids['mx2']}/personal-data")
    post_form(client, f"/programs/{ids['program']}/invitations", {"audience": "all"},
              page=f"/programs/{ids['program']}/messages")
    run_tasks()  # the worker writes the messages
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboundMessage).where(
            OutboundMessage.participant_id == ids["mx2"])) == 0
        assert db.session.get(Participant, ids["mx2"]).token_hash is None
        assert db.session.scalar(select(func.count()).select_from(OutboundMessage)) == 4  # everyone else
        assert db.session.scalar(select(User.id).where(User.email == "admin@example.org")) == ids["admin"]


def _impact(app):
    result = app.test_cli_runner().invoke(args=["impact", "--program", "CRM-CE-2021"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    return figures["participation"], {key: figures["knowledge"][key] for key in ("n_pairs", "mean_pre", "mean_post")}


def test_erasure_keeps_the_impact_figures_and_revokes_the_certificate(app, client):
    from assessments.models import Answer, Attempt
    from certificates.models import Certificate

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        holder = db.session.scalar(
            select(Certificate).join(Program).where(Program.code == "CRM-CE-2021", Certificate.revoked_at.is_(None))
            .order_by(Certificate.id))
        person = holder.participant
        person_id, code, gender, profile = person.id, holder.code, person.gender, person.profile
        secrets = (person.given_names, person.family_names, person.email)
        answers = db.session.scalar(select(func.count()).select_from(Answer).join(Attempt).where(
            Attempt.participant_id == person_id))
    before = _impact(app)
    login(client, "admin@capacita.example", "capacita-demo")
    choose_english(client)
    assert erase_personal_data(client, person_id, reason="Solicitud del titular", confirm="y").status_code == 302
    assert _impact(app) == before
    verify = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "Revoked certificate" in verify and not any(secret in verify for secret in secrets)
    with app.app_context():
        person = db.session.get(Participant, person_id)
        assert (person.gender, person.profile) == (gender, profile)
        kept = db.session.scalar(select(func.count()).select_from(Answer).join(Attempt).where(
            Attempt.participant_id == person_id))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.erased"))
        assert kept == answers - event.details["written_answers"] and kept > 0
