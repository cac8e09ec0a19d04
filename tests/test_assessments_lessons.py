"""The lessons-learned record of a program: frameworks' labels, the form and its checks, who may do what, the
prefill from what the platform knows, the search text and the audit trail."""
import html

from flask_babel import force_locale
from sqlalchemy import select

from assessments.lessons.frameworks import (
    GCM_OBJECTIVES,
    GCM_PRINCIPLES,
    SDGS,
    objective_label,
    principle_label,
    sdg_label,
)
from assessments.models_lessons import Lesson
from extensions import db
from tests.conftest import login, post_form
from tests.factories import make_delegation, make_program, make_staff
from training.models import AuditEvent, Participant, Program

HOSTILE = '<script>alert(1)</script> =HYPERLINK("http://x.example","clic") {{7*7}}'


def test_the_frameworks_speak_the_un_wording_in_each_language(app):
    assert (len(SDGS), len(GCM_PRINCIPLES), len(GCM_OBJECTIVES)) == (17, 10, 23)
    with app.test_request_context():
        with force_locale("es"):  # the seed's own wording
            assert principle_label("a") == "a) Centrarse en las personas"
            assert principle_label("j") == "j) Enfoque pansocial"
            assert objective_label(7) == "7. Abordar y reducir las vulnerabilidades en la migración"
            assert objective_label(18) == ("18. Invertir en el desarrollo de aptitudes y facilitar el reconocimiento "
                                           "mutuo de aptitudes, cualificaciones y competencias")
            assert sdg_label(4) == "4. Educación de calidad"
        with force_locale("fr"):
            assert sdg_label(1) == "1. Pas de pauvreté"
            assert principle_label("i") == "i) Approche mobilisant l'ensemble des pouvoirs publics"
        with force_locale("pt"):
            assert sdg_label(5) == "5. Igualdade de gênero"
        with force_locale("en"):
            assert objective_label(16) == "16. Empower migrants and societies to realize full inclusion and social " \
                                          "cohesion"


def _record(code="LA2_ISE", **extra):
    """A filled form as an organizer posts it (Spanish and English, the test program's languages)."""
    return {"code": code, "kind": "negative", "area_es": "Inclusión económica y social",
            "finding_es": "Las Redes de Apoyo crean entornos de apoyo mutuo " + HOSTILE,
            "finding_en": "Support networks create mutual help", "learned_es": "Fomentar redes",
            "keywords_es": "Red de apoyo, Habilidades Técnicas", "territory_es": "Quito, Tulcán",
            "sdgs": ["4", "8"], "gcm_principles": ["a", "j"], "gcm_objectives": ["7", "16"], "countries": ["MX", "GT"],
            **extra}


def test_an_organizer_records_a_lesson_that_keeps_hostile_text_literal(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    response = post_form(client, f"/programs/{ids['program']}/lessons/new", _record())
    assert response.status_code == 302
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.code == "LA2_ISE"))
        assert (lesson.kind, lesson.sdgs, lesson.gcm_principles, lesson.gcm_objectives, lesson.countries) == \
            ("negative", [4, 8], ["a", "j"], [7, 16], ["GT", "MX"])
        assert lesson.finding == {"es": "Las Redes de Apoyo crean entornos de apoyo mutuo " + HOSTILE,
                                  "en": "Support networks create mutual help"}
        # Folded: accents and case gone, every language and the code in it.
        for words in ("la2_ise", "las redes de apoyo", "support networks", "habilidades tecnicas", "quito, tulcan",
                      "inclusion economica", "fomentar redes"):
            assert words in lesson.search_text
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "lesson.created"))
        assert (event.user_id, event.object_id, event.program_id) == (ids["organizer"], lesson.id, ids["program"])
        lesson_id = lesson.id
    assert response.headers["Location"].endswith(f"/lessons/{lesson_id}")
    login(client, world["emails"]["admin"])  # the audit log says it in words and links to the record
    log = client.get("/audit").get_data(as_text=True)
    assert "Lección aprendida registrada" in log and f'href="/lessons/{lesson_id}"' in log
    for url in (f"/lessons/{lesson_id}", f"/programs/{ids['program']}/lessons", f"/lessons/{lesson_id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "{{7*7}}" in page
        assert html.escape(HOSTILE, quote=False).split(" =")[0] in page
    record = client.get(f"/lessons/{lesson_id}").get_data(as_text=True)
    assert "a) Centrarse en las personas" in record and "16. Empoderar a los migrantes" in record
    assert "Lección negativa" in record and "Guatemala, México" in record


def test_codes_are_checked_and_unique_in_the_program(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    url = f"/programs/{ids['program']}/lessons/new"
    page = post_form(client, url, _record(code="LA 2!")).get_data(as_text=True)
    assert "Use solo letras, dígitos, guiones y guiones bajos, sin espacios." in page
    # World's lesson is LA1_PRUEBA: the same code in other capitals is the same code.
    page = post_form(client, url, _record(code="la1_prueba")).get_data(as_text=True)
    assert "Otra lección de este programa ya tiene este código: elija otro." in page
    page = post_form(client, url, _record(finding_es="", kind="")).get_data(as_text=True)
    assert 'id="finding_es-error"' in page and "Indique si la lección es positiva o negativa." in page
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Lesson)) == 1
    # Another program may use the same code.
    with app.app_context():
        other = make_program("OTRO-2026", {"es": "Otro"})
        db.session.commit()
        other_id = other.id
    # (It has no delegations: no country to choose.)
    response = post_form(client, f"/programs/{other_id}/lessons/new", _record(code="LA1_PRUEBA", countries=[]))
    assert response.status_code == 302


def test_editing_keeps_the_code_and_is_audited(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    edit = f"/lessons/{ids['lesson']}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="LA1_PRUEBA"' in page and "Hallazgo de prueba" in page
    assert post_form(client, edit, _record(code="LA1_PRUEBA", finding_es="Nuevo hallazgo")).status_code == 302
    with app.app_context():
        lesson = db.session.get(Lesson, ids["lesson"])
        assert lesson.finding["es"] == "Nuevo hallazgo" and "nuevo hallazgo" in lesson.search_text
        assert "hallazgo de prueba" not in lesson.search_text
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "lesson.updated")).user_id == \
            ids["admin"]


def test_deleting_a_lesson_is_audited(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    record = client.get(f"/lessons/{ids['lesson']}").get_data(as_text=True)
    assert "data-confirm=" in record
    # The record page offers its PDF and the public page's toggle (the library's lesson_actions).
    assert f"/lessons/{ids['lesson']}.pdf" in record and f"/lessons/{ids['lesson']}/share" in record
    response = post_form(client, f"/lessons/{ids['lesson']}/delete", {}, page=f"/lessons/{ids['lesson']}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/programs/{ids['program']}/lessons")
    with app.app_context():
        assert db.session.get(Lesson, ids["lesson"]) is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "lesson.deleted"))
        assert event.details["code"] == "LA1_PRUEBA" and event.user_id == ids["organizer"]


def test_a_focal_point_reads_lessons_and_cannot_change_them(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])
    assert "Hallazgo de prueba" in client.get(f"/lessons/{ids['lesson']}").get_data(as_text=True)
    listing = client.get(f"/programs/{ids['program']}/lessons").get_data(as_text=True)
    assert "LA1_PRUEBA" in listing and "/lessons/new" not in listing and "Editar la lección" not in listing
    assert client.get(f"/lessons/{ids['lesson']}/edit").status_code == 403
    assert post_form(client, f"/lessons/{ids['lesson']}/delete", {}, page="/programs").status_code == 403
    assert post_form(client, f"/programs/{ids['program']}/lessons/new", _record(), page="/programs").status_code == 403


def test_an_organizer_of_another_program_gets_nothing(app, client, world):
    ids = world["ids"]
    with app.app_context():
        other = make_program("OTRO-2026", {"es": "Otro"})
        make_delegation(other, country_code="MX")
        make_staff("organizer", "otra.org@example.org", "Otra", programs=[other])
        db.session.commit()
    login(client, "otra.org@example.org")
    for url in (f"/lessons/{ids['lesson']}", f"/lessons/{ids['lesson']}/edit", f"/programs/{ids['program']}/lessons",
                f"/programs/{ids['program']}/lessons/new"):
        assert client.get(url).status_code == 404, url
    assert post_form(client, f"/lessons/{ids['lesson']}/delete", {}, page="/programs").status_code == 404
    with app.app_context():
        assert db.session.get(Lesson, ids["lesson"]) is not None


def test_a_new_lesson_starts_from_what_the_platform_knows(app, client, course):
    ids = course["ids"]
    with app.app_context():
        program = db.session.get(Program, ids["program"])
        program.general_objective = {"es": "Fortalecer los servicios de empleo", "en": "Strengthen employment services"}
        program.specific_objectives = {"es": "Conocer la ruta de atención"}
        for key, profile in (("mx1", "employment_counselor"), ("mx2", "labor_inspector"), ("gt1", "labor_inspector")):
            db.session.get(Participant, ids[key]).profile = profile
        db.session.get(Participant, ids["gt2"]).status = "withdrawn"  # not a beneficiary any more
        db.session.commit()
    login(client, course["emails"]["organizer"])
    page = html.unescape(client.get(f"/programs/{ids['program']}/lessons/new").get_data(as_text=True))
    page = page.replace("\r\n", "\n")  # a textarea starts with a line break
    assert ("4 personas participantes. Guatemala: 1 (Inspección laboral: 1). México: 2 (Consejería de empleo: 1, "
            "Inspección laboral: 1). Red Civil: 1 (Sin registrar: 1).") in page
    assert "4 participants. Guatemala: 1 (Labor inspector: 1). Mexico: 2" in page  # the English input, in English
    assert ">\nGuatemala, México</textarea>" in page and ">\nGuatemala, Mexico</textarea>" in page
    assert ">\nFortalecer los servicios de empleo\nConocer la ruta de atención</textarea>" in page
    assert ">\nStrengthen employment services</textarea>" in page
    assert '<input checked id="countries-0" name="countries" type="checkbox" value="GT">' in page
    assert '<input checked id="countries-1" name="countries" type="checkbox" value="MX">' in page
    # The impact summary's findings, beside the form, to cite.
    assert "Evidencia para citar" in page and "Quiénes participaron" in page



def test_the_program_dashboard_links_to_its_lessons(client, world):
    login(client, world["emails"]["focal_gt"])
    program = world["ids"]["program"]
    dashboard = client.get(f"/programs/{program}").get_data(as_text=True)
    assert f'href="/programs/{program}/lessons"' in dashboard
    assert "1 lección registrada" in dashboard  # the lifecycle's closing phase counts world's lesson


def test_the_unique_constraint_backs_the_check_when_two_save_at_once(app, world, monkeypatch):
    import pytest

    from assessments.lessons import services
    from training.services import ServiceError

    ids = world["ids"]
    monkeypatch.setattr(services, "code_taken", lambda *_args: False)  # the other request saved after our check
    with app.app_context():
        program = db.session.get(Program, ids["program"])
        with pytest.raises(ServiceError) as refused:
            services.save_lesson(Lesson(), program, {"code": "LA1_PRUEBA", "finding": {"es": "Otro"}}, ids["admin"])
        assert refused.value.field == "code"


def test_once_the_program_ended_its_dashboard_suggests_recording_its_lessons(app, client, world):
    from datetime import date

    ids = world["ids"]
    with app.app_context():
        db.session.get(Program, ids["program"]).end_date = date(2026, 3, 4)
        db.session.delete(db.session.get(Lesson, ids["lesson"]))
        db.session.commit()
    login(client, world["emails"]["organizer"])
    dashboard = html.unescape(client.get(f"/programs/{ids['program']}").get_data(as_text=True))
    assert "Registrar las lecciones aprendidas del programa" in dashboard and "0 lecciones registradas" in dashboard
