"""The participant's pages run statements built once and keep per-request lookups: nothing about a participant,
their link, their program or their certificate is remembered between requests, so every change shows at once."""
from flask import render_template_string, session
from flask_babel import force_locale
from sqlalchemy import select

from certificates.models import CertificateSettings
from certificates.services import participant_row, rows_for
from extensions import db
from tests.conftest import csrf_from, statements_run
from tests.helpers import enter, link_for
from training.models import Activity, Participant, Program
from training.services_activities import program_activities


def test_a_link_revoked_or_reissued_in_the_database_refuses_the_next_request(app, world):
    """The session's query is built once; the participant's row is read again on every request."""
    mx1, mx2 = world["ids"]["mx1"], world["ids"]["mx2"]
    first, second = app.test_client(), app.test_client()
    enter(first, link_for(app, mx1))
    enter(second, link_for(app, mx2))
    assert first.get("/me").status_code == 200 and second.get("/me").status_code == 200
    with app.app_context():
        db.session.get(Participant, mx1).link_salt = None
        db.session.get(Participant, mx1).token_hash = None
        db.session.commit()
    assert first.get("/me").status_code == 403
    assert first.get("/me").status_code == 403  # the session ended: it stays ended
    assert second.get("/me").status_code == 200  # the other participant's goes on
    link_for(app, mx2, reissue=True)
    assert second.get("/me").status_code == 403


def test_leaving_or_withdrawing_ends_every_copy_of_the_session_at_once(app, world):
    mx1, gt1 = world["ids"]["mx1"], world["ids"]["gt1"]
    browser, copy = app.test_client(), app.test_client()
    enter(browser, link_for(app, mx1))
    with browser.session_transaction() as kept:
        cookie = dict(kept)
    with copy.session_transaction() as copied:
        copied.update(cookie)
    assert copy.get("/me").status_code == 200
    with app.app_context():
        db.session.get(Participant, mx1).end_sessions()  # what "leave" does
        db.session.commit()
    assert browser.get("/me").status_code == 403 and copy.get("/me").status_code == 403
    other = app.test_client()
    enter(other, link_for(app, gt1))
    assert other.get("/me").status_code == 200
    with app.app_context():
        db.session.get(Participant, gt1).status = "withdrawn"
        db.session.commit()
    assert other.get("/me").status_code == 403


def test_the_personal_link_page_loads_the_program_with_the_participant(app, client, world):
    """One query for the link's page: the program comes with the participant (its title on the page)."""
    link = link_for(app, world["ids"]["mx1"])
    path = "/" + link.split("/", 3)[3]
    client.get(path)  # the first request builds what is built once
    with statements_run(app) as statements:
        page = client.get(path)
    assert page.status_code == 200 and "Programa de prueba" in page.get_data(as_text=True)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "programs" in selects[0] and "participants" in selects[0]


def test_changes_to_the_program_its_activities_and_the_certificate_rules_show_at_once_on_my_page(app, course):
    ids = course["ids"]
    client = app.test_client()
    enter(client, link_for(app, ids["mx2"]))
    html = client.get("/me").get_data(as_text=True)
    assert "Programa de prueba" in html and "Sesión 0" in html and "México" in html
    # mx2 attended S0 and submitted the post-test (40%); no score is asked by default.
    assert "Completó todo lo requerido." in html
    with app.app_context():
        db.session.get(Program, ids["program"]).title = {"es": "Programa renombrado", "en": "Renamed"}
        db.session.get(Activity, ids["activity"]).title = {"es": "Sesión inaugural"}
        db.session.add(CertificateSettings(program_id=ids["program"], pre_test_required=False,
                                           post_test_required=True, min_post_score=60, excused_counts=False,
                                           place={}, issuer={}, language_mode="participant", last_serial=0))
        db.session.commit()
    html = client.get("/me").get_data(as_text=True)
    assert "Programa renombrado" in html and "Programa de prueba" not in html
    assert "Sesión inaugural" in html and "Sesión 0" not in html
    assert "Completó todo lo requerido." not in html and "Para recibir el certificado todavía le falta:" in html
    assert "Puntaje en la evaluación posterior: 40" in html


def test_the_certificate_card_decides_as_the_eligibility_screen(app, course):
    """participant_row (one participant, fewer queries) gives each participant the row rows_for gives them."""
    ids = course["ids"]
    with app.app_context():
        program = db.session.get(Program, ids["program"])
        activities = program_activities(program)
        people = db.session.scalars(select(Participant).where(Participant.program_id == program.id)
                                    .order_by(Participant.id)).all()
        for settings in (None, {"pre_test_required": False, "min_post_score": 50}):
            if settings is not None:
                db.session.add(CertificateSettings(program_id=program.id, post_test_required=True,
                                                   excused_counts=False, place={}, issuer={},
                                                   language_mode="participant", last_serial=0, **settings))
                db.session.flush()
            expected = rows_for(program, people, activities)
            statuses = []
            for person, row in zip(people, expected, strict=True):
                own, _rules = participant_row(program, person, activities)
                assert (own.status, own.decision, _certificate(own)) == (row.status, row.decision, _certificate(row))
                statuses.append(own.status)
            # The cases at hand: eligible people, people missing something, and world's certificate holder.
            assert {"eligible", "not_yet", "issued"} <= set(statuses), statuses
        db.session.rollback()


def _certificate(row):
    """What the card shows of a row's certificate (the card reads it as plain values, the screen as an object)."""
    certificate = row.certificate
    return None if certificate is None else (certificate.id, certificate.serial, certificate.valid)


def test_templates_follow_a_forced_locale_within_a_request(app):
    """Templates translate through the translations found once per request, yet follow force_locale."""
    with app.test_request_context("/"):
        session["language"] = "es"
        template = "{{ _('Log out') }}"
        assert render_template_string(template) == "Cerrar sesión"
        with force_locale("fr"):
            assert render_template_string(template) == "Se déconnecter"
        assert render_template_string(template) == "Cerrar sesión"
        with force_locale("en"):
            assert render_template_string(template) == "Log out"


def test_the_layout_kept_per_language_follows_the_page_language(app, world):
    """base.html's language-only parts are rendered once per language: each page still gets its own language's."""
    from app import layout_parts
    from tests.conftest import csrf_from

    client = app.test_client()
    enter(client, link_for(app, world["ids"]["mx1"]))
    spanish = client.get("/me").get_data(as_text=True)
    assert "Saltar al contenido" in spanish and "Programas de capacitación, del registro al certificado" in spanish
    assert '<button type="submit" name="language" value="es" lang="es"\n                    aria-current="true"' \
        in spanish
    client.post("/language", data={"language": "fr", "next": "/me", "csrf_token": csrf_from(spanish)})
    french = client.get("/me").get_data(as_text=True)
    assert '<html lang="fr">' in french and "Saltar al contenido" not in french
    assert "Aller au contenu" in french
    assert '<button type="submit" name="language" value="fr" lang="fr"\n                    aria-current="true"' \
        in french
    assert 'value="es" lang="es"\n                    >' in french  # Spanish is no longer marked current
    assert '<link rel="stylesheet" href="/static/css/app.css">' in french and 'action="/language"' in french
    with app.test_request_context("/"):
        assert layout_parts() is layout_parts()  # kept, not rendered again


def test_the_certificate_card_decides_as_the_eligibility_screen_for_the_demo(app):
    """The demo's people: attended, absent, excused, partly connected; certificates issued, revoked, reissued."""
    from tests.helpers import load_demo

    program_id = load_demo(app)
    with app.app_context():
        program = db.session.get(Program, program_id)
        activities = program_activities(program)
        people = db.session.scalars(select(Participant).where(Participant.program_id == program.id)
                                    .order_by(Participant.id)).all()
        expected = rows_for(program, people, activities)
        for person, row in zip(people, expected, strict=True):
            own, _rules = participant_row(program, person, activities)
            assert (own.status, own.decision, _certificate(own)) == (row.status, row.decision, _certificate(row))
        assert {row.status for row in expected} == {"issued", "not_yet"}
        assert len({row.decision for row in expected}) >= 4


def test_the_personal_link_page_and_its_post_build_no_orm_objects(app, client, world):
    """The link's page reads the participant and program as plain values, and the POST starts the session from
    them: the session then opens the participant's page (who they are, their language)."""
    from sqlalchemy import event

    built = []

    def loaded(target, _context):
        built.append(type(target).__name__)

    link = link_for(app, world["ids"]["mx1"])
    path = "/" + link.split("/", 3)[3]
    event.listen(db.Model, "load", loaded, propagate=True)
    try:
        page = client.get(path)
        response = client.post(path, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    finally:
        event.remove(db.Model, "load", loaded)
    assert page.status_code == 200 and response.status_code == 302 and built == []
    with client.session_transaction() as kept:
        assert kept["participant"]["id"] == world["ids"]["mx1"] and kept["language"] == "es"
    assert client.get("/me").status_code == 200


def test_the_certificate_card_reads_the_certificate_as_plain_values(app, world):
    """A holder's page names their certificate, built from a row (no Certificate object); revoking it shows at once."""
    from sqlalchemy import event

    from certificates.models import Certificate
    from training.models import utcnow

    built = []

    def loaded(target, _context):
        built.append(type(target).__name__)

    holder = app.test_client()
    enter(holder, link_for(app, world["ids"]["gt1"]))
    event.listen(db.Model, "load", loaded, propagate=True)
    try:
        page = holder.get("/me").get_data(as_text=True)
    finally:
        event.remove(db.Model, "load", loaded)
    with app.app_context():
        serial = db.session.get(Certificate, world["ids"]["certificate"]).serial
    assert serial in page and "Certificate" not in built, built
    with app.app_context():
        certificate = db.session.get(Certificate, world["ids"]["certificate"])
        certificate.revoked_at, certificate.revoked_reason = utcnow(), "error"
        db.session.commit()
    page = holder.get("/me").get_data(as_text=True)
    assert serial not in page and "Su certificado fue retirado" in page
