"""The lessons' library: search and filters across programs, scoping, a lesson's PDF, the workbook, the public page."""
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import add_lesson
from training.models import AuditEvent

HOSTILE = '<b>negrita</b><font size="40">X</font> <script>alert(1)</script> {{7*7}}'
FORMULA = '=HYPERLINK("http://evil.example","x")'
SEED_FINDING = ("Las redes de apoyo entre los y las participantes de los procesos de capacitación crean entornos de "
                "apoyo mutuo para solventar problemas en el mediano plazo.")


@pytest.fixture
def lessons(app, world):
    """Two lessons of the world's program (Mexico's and Guatemala's focal points see it) and one of the program
    without delegations, which only the secretariat and the organizers see."""
    with app.app_context():
        ids = {
            "ise": add_lesson("TEST-2026", "LA2_ISE", area={"es": "Inclusión económica y social",
                                                             "en": "Economic and social inclusion"},
                              finding={"es": SEED_FINDING, "en": "Support networks among participants help."},
                              learned={"es": "Se fomenta la creación de redes de apoyo. " + HOSTILE},
                              keywords={"es": "Red de apoyo, Habilidades técnicas"},
                              beneficiaries={"es": FORMULA}, context={"es": HOSTILE},
                              sdgs=[4, 8], gcm_principles=["a", "j"], gcm_objectives=[7, 16, 18, 19],
                              countries=["MX"]),
            "gob": add_lesson("TEST-2026", "LN1_GOB", kind="negative", area={"es": "Gobernanza"},
                              finding={"es": "La coordinación interinstitucional llegó tarde."},
                              not_learned={"es": "No se previó el relevo de autoridades."},
                              sdgs=[16], gcm_objectives=[23], countries=["GT"]),
            "other": add_lesson("TEST-Q-2026", "LQ1", area={"es": "Educación"},
                                finding={"es": "Un hallazgo secreto de otro programa."}, sdgs=[4],
                                gcm_objectives=[7], countries=["CO"]),
        }
    return {**world, "lessons": ids}


def found(client, **arguments):
    """The codes of the lessons the library's page shows for `arguments`, in its order."""
    response = client.get("/lessons", query_string=arguments)
    assert response.status_code == 200
    return re.findall(r'<li class="card lesson-card" id="lesson-\d+">\s*<h2><a href="[^"]*">([^<]+)</a>',
                      response.get_data(as_text=True))


def workbook_rows(client, **arguments):
    response = client.get("/lessons.xlsx", query_string=arguments)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[cell for cell in row] for row in sheet.iter_rows()]


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_search_finds_words_without_their_accents_and_by_keyword(client, lessons):
    login(client, lessons["emails"]["admin"])
    assert found(client) == ["LQ1", "LN1_GOB", "LA2_ISE", "LA1_PRUEBA"]  # newest first (the world has LA1_PRUEBA)
    assert found(client, q="ECONOMICA") == ["LA2_ISE"]  # stored "económica"
    assert found(client, q="habilidades tecnicas") == ["LA2_ISE"]  # its keywords; every word must appear
    assert found(client, q="redes coordinacion") == []
    assert found(client, q="la2_ise") == ["LA2_ISE"]  # its code
    assert found(client, q="100%") == [] and found(client, q="l_2") == []  # LIKE's wildcards are taken literally


@pytest.mark.parametrize(("arguments", "codes"), [
    ({"area": "inclusion economica y social"}, ["LA2_ISE"]),
    ({"sdg": "4"}, ["LQ1", "LA2_ISE"]),
    ({"sdg": "16"}, ["LN1_GOB"]),
    ({"objective": "7"}, ["LQ1", "LA2_ISE"]),
    ({"objective": "23"}, ["LN1_GOB"]),
    ({"kind": "negative"}, ["LN1_GOB"]),
    ({"country": "GT"}, ["LN1_GOB"]),
    ({"program": "TEST-Q-2026"}, ["LQ1"]),
    ({"sdg": "4", "country": "MX"}, ["LA2_ISE"]),
    ({"sdg": "4", "q": "secreto"}, ["LQ1"]),
])
def test_each_filter_narrows_the_page_and_the_workbook(client, lessons, arguments, codes):
    login(client, lessons["emails"]["admin"])
    assert found(client, **arguments) == codes
    rows = workbook_rows(client, **arguments)
    assert [row[2].value for row in rows[1:]] == codes


def test_a_value_no_lesson_has_is_refused_not_read_as_everything(client, lessons):
    login(client, lessons["emails"]["admin"])
    response = client.get("/lessons", query_string={"sdg": "99", "kind": "negative"})
    assert "No es uno de los valores mostrados" in response.get_data(as_text=True)
    assert found(client, sdg="99", kind="negative") == ["LN1_GOB"]  # the other filter still applies


def test_a_record_page_offers_its_pdfs_and_the_share_button_to_who_records(app, lessons):
    from flask import render_template_string
    from flask_login import login_user

    from assessments.models_lessons import Lesson
    from training.models import User

    template = '{% from "assessments/_lessons.html" import lesson_actions with context %}{{ lesson_actions(lesson) }}'
    with app.test_request_context("/"):
        lesson = db.session.get(Lesson, lessons["lessons"]["ise"])
        login_user(db.session.get(User, lessons["ids"]["organizer"]))
        html = render_template_string(template, lesson=lesson)
        assert f"/lessons/{lesson.id}.pdf?lang=es" in html and f"/lessons/{lesson.id}.pdf?lang=en" in html
        assert f'action="/lessons/{lesson.id}/share"' in html and 'name="shared" value="1"' in html
        login_user(db.session.get(User, lessons["ids"]["focal_mx"]))
        html = render_template_string(template, lesson=lesson)
        assert f"/lessons/{lesson.id}.pdf?lang=es" in html and "/share" not in html


def test_a_focal_point_sees_only_their_programs_lessons(client, lessons):
    login(client, lessons["emails"]["focal_mx"])
    assert found(client) == ["LN1_GOB", "LA2_ISE", "LA1_PRUEBA"]
    assert found(client, q="secreto") == []
    assert [row[2].value for row in workbook_rows(client)[1:]] == ["LN1_GOB", "LA2_ISE", "LA1_PRUEBA"]
    assert client.get(f"/lessons/{lessons['lessons']['other']}.pdf").status_code == 404  # a guessed id
    assert client.get("/lessons/999999.pdf").status_code == 404
    assert client.get(f"/lessons/{lessons['lessons']['ise']}.pdf").status_code == 200
    # Only what they see is offered: the other program's country is no choice.
    page = client.get("/lessons").get_data(as_text=True)
    assert 'value="CO"' not in page and 'value="GT"' in page


def test_the_pdf_has_the_forms_labels_and_the_records_texts(client, lessons):
    login(client, lessons["emails"]["organizer"])
    response = client.get(f"/lessons/{lessons['lessons']['ise']}.pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for label in ("ÁREA A LA QUE CORRESPONDE", "CÓDIGO", "INCLUSIÓN ECONÓMICA Y SOCIAL", "LA2_ISE", "Hallazgo",
                  "Descripción de la lección", "Relación con ODS", "Principios rectores",
                  "a) Centrarse en las personas",
                  "j) Enfoque pansocial", "Objetivo 7: Abordar y reducir las vulnerabilidades en la migración",
                  "Tipo de lección", "☒ Lección positiva", "☐ Lección negativa", "Lección aprendida",
                  "Lección no aprendida", "IMPORTANTE", "ÚTIL", "EQUITATIVO", "ECONÓMICO", "Palabras clave",
                  "Se fomenta la creación de redes de apoyo.", "Red de apoyo, Habilidades técnicas",
                  "Página 1 de 2", "Página 2 de 2", "TEST-2026"):
        assert label in text, label
    assert " ".join(SEED_FINDING.split()) in " ".join(text.split())
    assert HOSTILE in text and FORMULA in text  # markup printed as typed, not obeyed
    english = pdf_text(client.get(f"/lessons/{lessons['lessons']['ise']}.pdf?lang=en").data)
    assert "Finding" in english and "Support networks among participants help." in english
    assert "Se fomenta la creación" in english  # a text the record lacks in English: in the program's default


def test_hostile_text_stays_literal_in_the_page_and_the_workbook(client, lessons):
    login(client, lessons["emails"]["admin"])
    page = client.get("/lessons", query_string={"q": "negrita"}).get_data(as_text=True)
    rows = workbook_rows(client, q="negrita")
    headers = [cell.value for cell in rows[0]]
    cells = {header: cell for header, cell in zip(headers, rows[1], strict=True)}
    assert (cells["Beneficiarios"].value, cells["Beneficiarios"].data_type) == (FORMULA, "s")  # text, never run
    assert cells["Contexto y condiciones previas relacionadas"].value == HOSTILE
    assert cells["Objetivos del Pacto Mundial"].value.startswith("Objetivo 7: Abordar")
    assert cells["Objetivos de Desarrollo Sostenible"].value == "4. Educación de calidad; 8. Trabajo decente y " \
        "crecimiento económico"
    public_id = lessons["lessons"]["ise"]
    post_form(client, f"/lessons/{public_id}/share", {"shared": "1"}, page="/lessons")
    client.post("/logout", data={})
    for html in (page, client.get(f"/lessons/shared/{public_id}").get_data(as_text=True)):
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "{{7*7}}" in html or "{{ 7*7 }}" in html


def test_sharing_puts_a_lesson_on_the_public_page_and_only_it(client, app, lessons):
    ise, gob = lessons["lessons"]["ise"], lessons["lessons"]["gob"]
    anonymous = app.test_client()
    assert anonymous.get(f"/lessons/shared/{ise}").status_code == 404
    login(client, lessons["emails"]["focal_mx"])  # reads lessons, may not share them
    assert post_form(client, f"/lessons/{ise}/share", {"shared": "1"}, page="/lessons").status_code == 403
    client.post("/logout", data={})
    login(client, lessons["emails"]["organizer"])
    assert post_form(client, f"/lessons/{ise}/share", {"shared": "1", "next": "/lessons?sdg=4"},
                     page="/lessons").headers["Location"] == "/lessons?sdg=4"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == ise,
                                                                 AuditEvent.object_type == "Lesson")
                                 .order_by(AuditEvent.id.desc())) == "lesson.shared"
    listing = anonymous.get("/lessons/shared").get_data(as_text=True)
    assert "LA2_ISE" in listing and "LN1_GOB" not in listing and "LQ1" not in listing
    assert "LA2_ISE" in anonymous.get("/lessons/shared", query_string={"q": "economica"}).get_data(as_text=True)
    assert "LA2_ISE" not in anonymous.get("/lessons/shared", query_string={"q": "coordinacion"}).get_data(
        as_text=True)
    lesson_page = anonymous.get(f"/lessons/shared/{ise}").get_data(as_text=True)
    assert "Red de apoyo, Habilidades técnicas" in lesson_page and "Objetivo 16" in lesson_page
    for staff in ("org@example.org", "admin@example.org", ">Org<"):
        assert staff not in lesson_page and staff not in listing
    pdf = anonymous.get(f"/lessons/shared/{ise}.pdf")
    assert pdf.mimetype == "application/pdf" and "LA2_ISE" in pdf_text(pdf.data)
    for path in (f"/lessons/shared/{gob}", f"/lessons/shared/{gob}.pdf", "/lessons/shared/999999"):
        assert anonymous.get(path).status_code == 404
    assert anonymous.get(f"/lessons/{ise}.pdf").status_code == 302  # the staff's PDF asks for a login
    post_form(client, f"/lessons/{ise}/share", {"shared": "0"}, page="/lessons")
    assert anonymous.get(f"/lessons/shared/{ise}").status_code == 404


def test_the_library_is_in_the_staff_navigation(client, lessons):
    login(client, lessons["emails"]["facilitator"])
    assert 'href="/lessons"' in client.get("/programs").get_data(as_text=True)


def test_a_right_to_left_override_in_an_area_cannot_reorder_the_program_on_its_card(app, client, lessons):
    # U+202E typed in the area would display the program's code and title after it backwards: isolated in <bdi>.
    with app.app_context():
        add_lesson("TEST-2026", "RTL1", area={"es": "Área \u202eabc"}, finding={"es": "Hallazgo \u202e"})
    login(client, lessons["emails"]["admin"])
    page = client.get("/lessons", query_string={"q": "rtl1"}).get_data(as_text=True)
    assert "<bdi>Área \u202eabc</bdi> · TEST-2026 · <bdi>" in page
    listing = client.get(f"/programs/{lessons['ids']['program']}/lessons").get_data(as_text=True)
    assert "<bdi>Área \u202eabc</bdi>" in listing and "<bdi>Hallazgo \u202e</bdi>" in listing


def test_the_public_pages_are_rate_limited(app, lessons):
    app.config["SHARED_LESSONS_RATE_LIMIT"] = "3 per minute"
    anonymous = app.test_client()
    assert [anonymous.get("/lessons/shared").status_code for _ in range(4)] == [200, 200, 200, 429]
    missing = [anonymous.get("/lessons/shared/999999").status_code for _ in range(4)]
    assert missing == [404, 404, 404, 429]  # guessing ids is slowed down as well
