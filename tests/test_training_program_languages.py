"""A program's languages decide every text input: a French and Portuguese program's forms have no Spanish input,
save and show those languages; the program form has a default language and inputs in all four; messages go out in
each person's language among the program's, else the program's default."""
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from training.models import Activity, AgendaItem, MessageTemplate, OutboundMessage, Participant, Program

PROGRAM_FORM = {"code": "ca-fr-2027", "start_date": "2027-03-01", "end_date": "2027-03-20",
                "timezone": "America/Toronto", "default_language": "fr", "languages": ["fr", "pt"],
                "title_fr": "Programme des conseillers", "title_pt": "Programa de conselheiros",
                "description_pt": "Descrição", "specific_objectives_fr": "Un\nDeux"}


def french_and_portuguese(app, world):
    with app.app_context():
        program = db.session.get(Program, world["ids"]["program"])
        program.languages = ["fr", "pt"]
        db.session.commit()
    return world["ids"]["program"]


def test_the_program_form_has_a_default_language_and_inputs_in_all_four(app, client, world):
    login(client, world["emails"]["admin"])
    form = client.get("/programs/new").get_data(as_text=True)
    assert all(f'name="title_{code}"' in form for code in ("es", "en", "fr", "pt"))
    assert 'name="default_language"' in form
    response = post_form(client, "/programs/new", PROGRAM_FORM)
    assert response.status_code == 302
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "CA-FR-2027"))
        assert program.languages == ["fr", "pt"] and program.default_language == "fr"
        assert program.title == {"fr": "Programme des conseillers", "pt": "Programa de conselheiros"}
        assert program.description == {"pt": "Descrição"} and program.specific_objectives == {"fr": "Un\nDeux"}
        program_id = program.id
    # The edit form lists the default language's inputs first, its title marked as required.
    edit = client.get(f"/programs/{program_id}/edit").get_data(as_text=True)
    assert edit.index('name="title_fr"') < edit.index('name="title_pt"') < edit.index('name="title_es"')
    assert 'value="Programme des conseillers"' in edit
    assert '<option selected value="fr">' in edit or '<option value="fr" selected>' in edit


def test_the_title_is_required_in_the_default_language_which_must_be_offered(client, world):
    login(client, world["emails"]["admin"])
    html = post_form(client, "/programs/new", {**PROGRAM_FORM, "title_fr": "", "title_es": "Programa"}) \
        .get_data(as_text=True)
    assert 'id="title_fr-error">Escriba el título en el idioma predeterminado.' in html
    html = post_form(client, "/programs/new", {**PROGRAM_FORM, "languages": ["pt"]}).get_data(as_text=True)
    assert 'id="languages-error">Ofrezca también el idioma predeterminado.' in html


def test_activities_and_agenda_items_of_a_french_and_portuguese_program(app, client, world):
    program_id = french_and_portuguese(app, world)
    login(client, world["emails"]["organizer"])
    url = f"/programs/{program_id}/activities/new"
    form = client.get(url).get_data(as_text=True)
    assert 'name="title_fr"' in form and 'name="title_pt"' in form
    assert 'name="title_es"' not in form and 'name="title_en"' not in form
    assert form.index('name="title_fr"') < form.index('name="title_pt"')
    refused = post_form(client, url, {"code": "S9", "kind": "virtual_session", "required": "y", "title_pt": "Sessão",
                                      "day": "2026-03-10", "start": "10:00", "end": "11:00"})
    assert 'id="title_fr-error"' in refused.get_data(as_text=True)  # the default language's title is required
    response = post_form(client, url, {"code": "S9", "kind": "virtual_session", "required": "y",
                                       "title_fr": "Séance 9", "title_pt": "Sessão 9", "description_pt": "Sobre",
                                       "day": "2026-03-10", "start": "10:00", "end": "11:00"})
    assert response.status_code == 302
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.code == "S9"))
        assert activity.title == {"fr": "Séance 9", "pt": "Sessão 9"} and activity.description == {"pt": "Sobre"}
    page = response.headers["Location"]
    added = post_form(client, page, {"start": "10:00", "end": "10:15", "kind": "welcome", "title_fr": "Accueil",
                                     "title_pt": "Boas-vindas"})
    assert added.status_code == 302
    with app.app_context():
        item = db.session.scalar(select(AgendaItem).join(Activity).where(Activity.code == "S9"))
        assert item.title == {"fr": "Accueil", "pt": "Boas-vindas"}
        item_id = item.id
    edit = client.get(f"/agenda-items/{item_id}/edit").get_data(as_text=True)
    assert 'value="Boas-vindas"' in edit and 'name="title_es"' not in edit
    with client.session_transaction() as session:
        session["language"] = "pt"
    assert "Boas-vindas" in client.get(page).get_data(as_text=True)


def test_the_old_two_language_posts_still_work(app, client, world):
    login(client, world["emails"]["organizer"])
    response = post_form(client, f"/programs/{world['ids']['program']}/activities/new", {
        "code": "S8", "kind": "virtual_session", "required": "y", "title_es": "Sesión 8", "title_en": "Session 8",
        "description_es": "Sobre", "day": "2026-03-10", "start": "10:00", "end": "11:00"})
    assert response.status_code == 302
    with app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.code == "S8"))
        assert activity.title == {"es": "Sesión 8", "en": "Session 8"} and activity.description == {"es": "Sobre"}


def test_editing_keeps_the_texts_of_a_language_the_program_stopped_offering(app, client, world):
    login(client, world["emails"]["organizer"])
    response = post_form(client, f"/programs/{world['ids']['program']}/activities/new", {
        "code": "S7", "kind": "virtual_session", "required": "y", "title_es": "Sesión 7", "title_en": "Session 7",
        "day": "2026-03-10", "start": "10:00", "end": "11:00"})
    assert response.status_code == 302
    french_and_portuguese(app, world)
    with app.app_context():
        activity_id = db.session.scalar(select(Activity.id).where(Activity.code == "S7"))
    assert post_form(client, f"/activities/{activity_id}/edit", {
        "code": "S7", "kind": "virtual_session", "required": "y", "title_fr": "Séance 7",
        "day": "2026-03-10", "start": "10:00", "end": "11:00"}).status_code == 302
    with app.app_context():
        assert db.session.get(Activity, activity_id).title == {"es": "Sesión 7", "en": "Session 7", "fr": "Séance 7"}


def test_message_texts_in_the_program_languages_and_each_person_s_language(app, client, world, run_tasks):
    program_id = french_and_portuguese(app, world)
    with app.app_context():
        db.session.get(Participant, world["ids"]["mx1"]).language = "pt"
        db.session.get(Participant, world["ids"]["mx2"]).language = "es"  # not offered: the program's default
        db.session.commit()
    login(client, world["emails"]["admin"])
    url = f"/programs/{program_id}/messages/template"
    form = client.get(url).get_data(as_text=True)
    assert 'name="subject_fr"' in form and 'name="body_pt"' in form and 'name="subject_es"' not in form
    assert "Invitation : " in form and "Convite: " in form  # the built-in texts in French and Portuguese
    refused = post_form(client, url, {"subject_fr": "Bienvenue", "body_fr": "{link}", "subject_pt": "",
                                      "body_pt": "{link}"})
    assert 'id="subject_pt-error"' in refused.get_data(as_text=True)  # every language's text is needed
    assert post_form(client, url, {"subject_fr": "Bienvenue {first_name}", "body_fr": "Votre lien : {link}",
                                   "subject_pt": "Bem-vinda {first_name}", "body_pt": "Seu link: {link}"}) \
        .status_code == 302
    with app.app_context():
        saved = {(t.language, t.subject) for t in db.session.scalars(select(MessageTemplate))}
        assert saved == {("fr", "Bienvenue {first_name}"), ("pt", "Bem-vinda {first_name}")}
    messages = f"/programs/{program_id}/messages"
    post_form(client, f"/programs/{program_id}/invitations", {"audience": "selected", "participant_ids": [
        str(world["ids"]["mx1"]), str(world["ids"]["mx2"])]}, page=messages)
    run_tasks()
    with app.app_context():
        sent = {m.participant_id: (m.language, m.subject) for m in db.session.scalars(select(OutboundMessage))}
    assert sent[world["ids"]["mx1"]][0] == "pt" and sent[world["ids"]["mx1"]][1].startswith("Bem-vinda ")
    assert sent[world["ids"]["mx2"]][0] == "fr" and sent[world["ids"]["mx2"]][1].startswith("Bienvenue ")


def test_a_copy_takes_its_title_in_the_source_program_languages(app, client, world):
    program_id = french_and_portuguese(app, world)
    login(client, world["emails"]["admin"])
    url = f"/programs/{program_id}/copy"
    form = client.get(url).get_data(as_text=True)
    assert 'name="title_fr"' in form and 'name="title_pt"' in form and 'name="title_es"' not in form
    assert post_form(client, url, {"code": "ca-copy-2027", "start_date": "2027-03-01", "title_fr": "Programme copié",
                                   "title_pt": "Programa copiado"}).status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(Program).where(Program.code == "CA-COPY-2027"))
        # The source's Spanish and English titles go along, should the copy offer those languages again.
        assert copy.languages == ["fr", "pt"]
        assert copy.title == {"es": "Programa de prueba", "en": "Test program", "fr": "Programme copié",
                              "pt": "Programa copiado"}


def test_a_stored_language_list_with_an_unknown_code_still_has_a_supported_default(app, client, world):
    """A list edited by hand (["zz", "fr"], or []) never hands Babel a locale it does not know."""
    program_id, person_id = world["ids"]["program"], world["ids"]["gt1"]
    with app.app_context():
        program = db.session.get(Program, program_id)
        program.languages = ["zz", "fr", "fr"]
        assert program.offered_languages == ["fr"] and program.default_language == "fr"
        program.languages = []
        assert program.offered_languages == ["es"] and program.default_language == "es"
        program.languages = ["zz"]
        db.session.commit()
    login(client, world["emails"]["admin"])
    for path in (f"/programs/{program_id}/participants/new", f"/participants/{person_id}/personal-data"):
        assert client.get(path).status_code == 200, path
