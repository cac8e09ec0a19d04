"""Agenda PDFs: literal text whatever the data holds, both zones, the participant's language and zone."""
import io

from pypdf import PdfReader

from tests.conftest import login
from tests.helpers import enter, link_for
from training.agenda_pdf import AgendaDocument, AgendaRow, AgendaSession, agenda_pdf


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_markup_in_the_data_is_printed_as_text():
    hostile = 'Ñandú <b>bold</b> & <font color="red">x</font> </para>'
    document = AgendaDocument("Programa «Pingüino» <br/>", [AgendaSession(
        "S1 · Sesión", "martes · 14:00–16:05 (Ciudad de México)", "https://zoom.example.org/j/1?a=1&b=2",
        [AgendaRow(["14:00–14:05", "15:00–15:05"], "Bienvenida", hostile, "Ponente: Zoë", "José Ángel Núñez")])],
        headers={"activity": "Actividad", "facilitation": "Facilitación"}, zones=["Ciudad de México", "Panamá"])
    data = agenda_pdf(document)
    assert data.startswith(b"%PDF")
    pages, text = pdf_text(data)
    assert pages == 1
    for literal in ("Programa «Pingüino» <br/>", "<b>bold</b> & <font", "</para>", "José Ángel Núñez",
                    "15:00–15:05", "Panamá", "a=1&b=2"):
        assert literal in text, literal


def test_very_long_cells_still_fit_on_pages():
    speakers = "\n".join(["Ana Pérez, Ministerio de Trabajo"] * 200)
    document = AgendaDocument("P", [AgendaSession("S1", "hoy", "", [AgendaRow(["14:00–14:05"], "Panel", "T" * 5000,
                                                                           speakers, speakers)] * 30)],
                              headers={"activity": "A", "facilitation": "F"}, zones=["CDMX"])
    pages, text = pdf_text(agenda_pdf(document))
    assert pages >= 2 and "Ana Pérez, Ministerio de Trabajo · Ana Pérez" in text


def test_staff_download_the_session_agenda_in_two_zones(client, world):
    login(client, world["emails"]["facilitator"])
    response = client.get(f"/activities/{world['ids']['activity']}/agenda.pdf?tz=Asia/Manila")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    _pages, text = pdf_text(response.data)
    # S0 runs 20:00–22:00 UTC: 14:00 in Mexico City, 04:00 the next day in Manila.
    assert "Bienvenida" in text and "14:00–16:00" in text and "04:00–06:00" in text and "(+1)" in text
    assert "Manila" in text


def test_participants_get_their_own_agenda_in_their_language_and_zone(app, client, world):
    from extensions import db
    from training.models import Participant

    with app.app_context():
        person = db.session.get(Participant, world["ids"]["gt1"])
        person.language, person.timezone = "en", "America/Bogota"
        db.session.commit()
    enter(client, link_for(app, world["ids"]["gt1"]))
    response = client.get("/me/agenda.pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    _pages, text = pdf_text(response.data)
    # 20:00 UTC is 15:00 in Bogotá, their zone, listed first; 14:00 in Mexico City, the program's, beside it.
    assert "Test program" in text and "Activity" in text
    # CLDR spells the city "Bogota" or "Bogotá" depending on its version.
    assert text.index("15:00–17:00") < text.index("14:00–16:00") and text.index("Bogot") < text.index("Mexico City")
