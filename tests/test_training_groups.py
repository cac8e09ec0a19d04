"""Group work through the web: forming groups by either strategy, moves, rapporteurs, conclusions, printing,
country scoping, and what a participant sees."""
import re

import pytest
from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import enter, link_for
from training.models import Participant, Program
from training.models_groups import Group, GroupMember, GroupWork


def work_of(item_id):
    """The agenda item's group work (inside an app context)."""
    return db.session.scalar(select(GroupWork).where(GroupWork.agenda_item_id == item_id))


def offer(app, world, languages):
    """The world's program offers `languages` (the first its default)."""
    with app.app_context():
        db.session.get(Program, world["ids"]["program"]).languages = languages
        db.session.commit()


def assignment(app, item_id):
    with app.app_context():
        work = work_of(item_id)
        return [(group.name_in("es", "es"), sorted(m.participant_id for m in group.members)) for group in work.groups]


def group_ids(app, item_id):
    with app.app_context():
        work = work_of(item_id)
        return [group.id for group in work.groups]


def rapporteurs(app):
    with app.app_context():
        return {m.participant_id for m in db.session.scalars(select(GroupMember).where(GroupMember.is_rapporteur))}


def setup_url(world):
    return f"/agenda-items/{world['ids']['group_item']}/groups/setup"


def test_balanced_groups_with_perspectives_and_the_same_seed_twice(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    data = {"strategy": "balanced", "perspectives": "Gobernanza | Governance\nEmpleabilidad | Employability",
            "seed": "7", "questions_es": "¿Qué factores ve?\n¿Qué haría?", "questions_en": "What factors?"}
    response = post_form(client, setup_url(world), data)
    assert response.status_code == 302
    first = assignment(app, ids["group_item"])
    assert [name for name, _members in first] == ["Grupo 1", "Grupo 2"]
    assert sorted(len(members) for _name, members in first) == [2, 3]
    assert sorted(pid for _name, members in first for pid in members) == \
        sorted(ids[key] for key in ("mx1", "mx2", "gt1", "gt2", "obs1"))
    for _name, members in first:  # Mexico's two people are split, as are Guatemala's
        assert not {ids["mx1"], ids["mx2"]} <= set(members)
        assert not {ids["gt1"], ids["gt2"]} <= set(members)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gobernanza" in html and "¿Qué factores ve?" in html and "semilla 7" in html
    post_form(client, setup_url(world), data)
    assert assignment(app, ids["group_item"]) == first
    # The form comes back filled with what produced the groups.
    form = client.get(setup_url(world)).get_data(as_text=True)
    assert "Gobernanza | Governance" in form and 'value="7"' in form


def test_country_clusters_from_names_and_errors_next_to_the_field(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    response = post_form(client, setup_url(world), {"strategy": "clusters", "clusters": "Norte: México\nSur: Narnia",
                                                    "seed": "1"})
    assert response.status_code == 200
    assert "Línea 2: “Narnia” no es un país que conozcamos." in response.get_data(as_text=True)
    response = post_form(client, setup_url(world), {"strategy": "clusters", "clusters": "Norte: México\nSur: GT",
                                                    "seed": "1"})
    assert response.status_code == 302
    # The observer belongs to no cluster and joins the smaller group.
    assert assignment(app, ids["group_item"]) == [("Norte", sorted([ids["mx1"], ids["mx2"], ids["obs1"]])),
                                                  ("Sur", sorted([ids["gt1"], ids["gt2"]]))]


def test_rapporteur_conclusions_and_moves(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["facilitator"])
    edit = f"/groups/{ids['group']}/edit"
    refused = post_form(client, edit, {"name_es": "Grupo 1", "rapporteur_id": str(ids["gt1"]), "conclusions": ""})
    assert refused.status_code == 200
    assert "La persona relatora debe ser integrante del grupo." in refused.get_data(as_text=True)
    assert rapporteurs(app) == set()
    saved = post_form(client, edit, {"name_es": "Grupo México", "rapporteur_id": str(ids["mx1"]),
                                     "perspective_es": "Gobernanza",
                                     "conclusions": "Faltan protocolos.\nHay voluntad."})
    assert saved.status_code == 302
    assert rapporteurs(app) == {ids["mx1"]}
    page = client.get(f"/agenda-items/{ids['group_item']}/groups").get_data(as_text=True)
    assert "Grupo México" in page and "Faltan protocolos." in page and "Relator/a" in page
    # Moving the rapporteur to the other group ends their role in the first one.
    moves = f"/agenda-items/{ids['group_item']}/groups/moves"
    response = post_form(client, moves, {f"group-{ids['mx1']}": str(group_ids(app, ids["group_item"])[1])})
    assert response.status_code == 302
    assert ids["mx1"] in dict(assignment(app, ids["group_item"]))["Grupo 2"]
    assert rapporteurs(app) == set()
    # Out of every group: listed apart.
    post_form(client, moves, {f"group-{ids['mx2']}": ""})
    page = client.get(f"/agenda-items/{ids['group_item']}/groups").get_data(as_text=True)
    assert "No está en ningún grupo" in page
    assert ids["mx2"] not in [pid for _name, members in assignment(app, ids["group_item"]) for pid in members]


def test_focal_points_move_only_their_people_and_see_only_them(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_gt"])
    moves = f"/agenda-items/{ids['group_item']}/groups/moves"
    form = client.get(moves).get_data(as_text=True)
    assert f'name="group-{ids["gt1"]}"' in form and f'name="group-{ids["mx1"]}"' not in form
    group_1 = group_ids(app, ids["group_item"])[0]
    assert post_form(client, moves, {f"group-{ids['mx1']}": str(group_1)}).status_code == 404
    assert post_form(client, moves, {f"group-{ids['gt1']}": "999999"}).status_code == 400
    assert post_form(client, moves, {f"group-{ids['gt1']}": str(group_1)}).status_code == 302
    assert ids["gt1"] in dict(assignment(app, ids["group_item"]))["Grupo 1"]
    page = client.get(f"/agenda-items/{ids['group_item']}/groups").get_data(as_text=True)
    assert "Tzul Batz" in page and "Núñez Peña" not in page
    assert post_form(client, setup_url(world), {"strategy": "balanced", "group_count": "2", "seed": "1"},
                     page=moves).status_code == 403


def test_a_participant_sees_their_group_and_gets_403_on_staff_pages(app, client, world):
    ids = world["ids"]
    with app.app_context():
        member = db.session.scalar(select(GroupMember).where(GroupMember.participant_id == ids["gt1"]))
        member.is_rapporteur = True
        group = db.session.get(Group, member.group_id)
        group.perspective = {"es": "Inclusión laboral", "en": "Labour inclusion"}
        db.session.commit()
    enter(client, link_for(app, ids["gt2"]))
    page = client.get("/me").get_data(as_text=True)
    assert "Su grupo: Grupo 2" in page and "Inclusión laboral" in page and "¿Qué falta?" in page
    assert "Relator/a:</strong> Ixchel Tzul Batz" in page and "3 integrantes" in page and "José Ángel" not in page
    assert "ixchel.tzul@example.gt" not in page
    for url in (f"/agenda-items/{ids['group_item']}/groups", f"/activities/{ids['activity']}/attendance",
                f"/groups/{ids['group']}/edit"):
        assert client.get(url).status_code == 403


def test_printable_list_has_every_member(client, world):
    login(client, world["emails"]["organizer"])
    html = client.get(f"/agenda-items/{world['ids']['group_item']}/groups/print").get_data(as_text=True)
    names = re.findall(r"<li>([^<(]+) \(", html)
    assert sorted(name.strip() for name in names) == ["Cojtí, Óscar", "Gómez Díaz, Fátima", "Núñez Peña, José Ángel",
                                                     "Ruiz, Marta", "Tzul Batz, Ixchel"]


def test_groups_of_an_item_that_is_not_group_work_do_not_exist(client, world):
    login(client, world["emails"]["admin"])
    assert client.get(f"/agenda-items/{world['ids']['group_item']}/groups").status_code == 200
    assert client.get(f"/agenda-items/{world['ids']['agenda_item']}/groups").status_code == 404


def test_odd_ids_and_long_names_get_answers_not_errors(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    moves = f"/agenda-items/{ids['group_item']}/groups/moves"
    assert post_form(client, moves, {f"group-{ids['gt1']}": "²"}).status_code == 400
    assert post_form(client, moves, {"group-²": "1"}).status_code == 404
    sheet = f"/activities/{ids['activity']}/attendance"
    assert post_form(client, sheet, {"status-²": "present"}).status_code == 404
    response = post_form(client, setup_url(world), {"strategy": "clusters", "clusters": "N" * 130 + ": MX",
                                                    "seed": "1"})
    assert response.status_code == 200
    assert "es más largo que 120 caracteres" in response.get_data(as_text=True)


def test_a_withdrawn_participant_leaves_their_group(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    assert post_form(client, f"/participants/{ids['gt1']}/withdraw", {},
                     page=f"/participants/{ids['gt1']}/edit").status_code == 302
    assert ids["gt1"] not in dict(assignment(app, ids["group_item"]))["Grupo 2"]
    assert "Tzul Batz, Ixchel" not in client.get(f"/agenda-items/{ids['group_item']}/groups").get_data(as_text=True)


def test_only_people_present_in_the_session_are_grouped_when_asked(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    post_form(client, f"/activities/{ids['activity']}/attendance",
              {f"status-{ids['mx1']}": "present", f"status-{ids['gt1']}": "late", f"status-{ids['gt2']}": "absent"})
    post_form(client, setup_url(world), {"strategy": "balanced", "group_count": "2", "seed": "3",
                                         "only_present": "y"})
    grouped = sorted(pid for _name, members in assignment(app, ids["group_item"]) for pid in members)
    assert grouped == sorted([ids["mx1"], ids["gt1"]])


def test_groups_get_a_name_in_each_program_language_and_readers_see_theirs(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    response = post_form(client, setup_url(world), {"strategy": "balanced", "group_count": "2", "seed": "3",
                                                    "perspectives": ""})
    assert response.status_code == 302
    with app.app_context():
        work = work_of(ids["group_item"])
        assert [g.names for g in work.groups] == [{"es": "Grupo 1", "en": "Group 1"},
                                                  {"es": "Grupo 2", "en": "Group 2"}]
        assert [g.name_in("fr", "es") for g in work.groups] == ["Grupo 1", "Grupo 2"]  # not offered: the default
        theirs = next(g for g in work.groups if any(m.participant_id == ids["gt2"] for m in g.members))
        db.session.get(Participant, ids["gt2"]).language = "en"
        db.session.commit()
        expected = f"Your group: Group {theirs.position}"
    enter(client, link_for(app, ids["gt2"]))
    assert expected in client.get("/me").get_data(as_text=True)


def test_cluster_names_and_group_texts_in_the_program_languages(app, client, world):
    ids = world["ids"]
    offer(app, world, ["fr", "pt"])
    login(client, world["emails"]["admin"])
    form = client.get(setup_url(world)).get_data(as_text=True)
    assert 'name="questions_fr"' in form and 'name="questions_pt"' in form and 'name="questions_es"' not in form
    # The examples follow the program's languages (the page is in Spanish; the parts are in French | Portuguese).
    assert "Groupe 1 | Grupo 1: Belice, Costa Rica, México" in form and "Gouvernance | Governança" in form
    assert "en francés | portugués" in form
    response = post_form(client, setup_url(world), {"strategy": "clusters", "seed": "1",
                                                    "clusters": "Nord | Norte: México\nSud | Sul: GT",
                                                    "questions_fr": "Quoi ?", "questions_pt": "O quê?"})
    assert response.status_code == 302
    with app.app_context():
        work = work_of(ids["group_item"])
        assert [g.names for g in work.groups] == [{"fr": "Nord", "pt": "Norte"}, {"fr": "Sud", "pt": "Sul"}]
        # The Spanish questions stay stored (the program may offer Spanish again), beside the new ones.
        assert work.questions == {"es": "¿Qué falta?", "fr": "Quoi ?", "pt": "O quê?"}
        group_id = work.groups[0].id
    assert "Nord | Norte: MX" in client.get(setup_url(world)).get_data(as_text=True)
    edit = f"/groups/{group_id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert 'name="name_fr"' in page and 'value="Norte"' in page and 'name="name_es"' not in page
    saved = post_form(client, edit, {"name_fr": "Nord-Ouest", "name_pt": "", "perspective_pt": "Governança",
                                     "rapporteur_id": "", "conclusions": ""})
    assert saved.status_code == 302
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert group.names == {"fr": "Nord-Ouest"}
        assert group.perspective == {"pt": "Governança"}
        assert group.name_in("pt", "fr") == "Nord-Ouest"  # no Portuguese name: the default language's


def test_unnamed_groups_of_a_french_and_portuguese_program(app, client, world):
    offer(app, world, ["fr", "pt"])
    login(client, world["emails"]["organizer"])
    assert post_form(client, setup_url(world), {"strategy": "balanced", "group_count": "2", "seed": "1",
                                                "perspectives": "Gouvernance | Governança\nEmployabilité"}) \
        .status_code == 302
    with app.app_context():
        work = work_of(world["ids"]["group_item"])
        assert [(g.names, g.perspective) for g in work.groups] == [
            ({"fr": "Groupe 1", "pt": "Grupo 1"}, {"fr": "Gouvernance", "pt": "Governança"}),
            ({"fr": "Groupe 2", "pt": "Grupo 2"}, {"fr": "Employabilité"})]


def test_forming_the_groups_again_keeps_their_names_and_perspectives_in_a_language_no_longer_offered(app, client,
                                                                                                     world):
    ids = world["ids"]
    offer(app, world, ["es", "en", "fr"])
    login(client, world["emails"]["organizer"])
    assert post_form(client, setup_url(world), {
        "strategy": "balanced", "seed": "1", "perspectives": "Gobernanza | Governance | Gouvernance\nEmpleo | Jobs"
    }).status_code == 302
    offer(app, world, ["es", "en"])  # French is no longer offered
    # The form comes back with the lines in Spanish | English; the organizer changes only the draw.
    form = client.get(setup_url(world)).get_data(as_text=True)
    assert "Gobernanza | Governance\nEmpleo | Jobs" in form
    assert post_form(client, setup_url(world), {
        "strategy": "balanced", "seed": "2", "perspectives": "Gobernanza | Governance\nEmpleo | Jobs"
    }).status_code == 302
    with app.app_context():
        work = work_of(ids["group_item"])
        assert [(g.names, g.perspective) for g in work.groups] == [
            ({"es": "Grupo 1", "en": "Group 1", "fr": "Groupe 1"},
             {"es": "Gobernanza", "en": "Governance", "fr": "Gouvernance"}),
            ({"es": "Grupo 2", "en": "Group 2", "fr": "Groupe 2"}, {"es": "Empleo", "en": "Jobs"})]
    # A line rewritten is a new text: its old French does not follow it.
    assert post_form(client, setup_url(world), {
        "strategy": "balanced", "seed": "2", "perspectives": "Gobierno | Government\nEmpleo | Jobs"
    }).status_code == 302
    with app.app_context():
        work = work_of(ids["group_item"])
        assert work.groups[0].perspective == {"es": "Gobierno", "en": "Government"}


@pytest.mark.parametrize("data, line", [
    ({"strategy": "balanced", "seed": "1", "perspectives": "Gobernanza | Governance\nA | B | Gouvernance"}, 2),
    ({"strategy": "clusters", "seed": "1", "clusters": "Norte | North | Nord: MX\nSur: GT"}, 1),
])
def test_a_line_with_more_parts_than_the_program_has_languages_is_refused_not_cut(app, client, world, data, line):
    login(client, world["emails"]["organizer"])
    with client.session_transaction() as session:
        session["language"] = "en"
    response = post_form(client, setup_url(world), data)
    assert response.status_code == 200
    assert f"Line {line} has more parts than the program has languages (Spanish | English)" in \
        response.get_data(as_text=True)


def test_a_trailing_bar_is_no_part(app, client, world):
    login(client, world["emails"]["organizer"])
    assert post_form(client, setup_url(world), {"strategy": "balanced", "seed": "1",
                                                "perspectives": "Gobernanza | Governance |\nEmpleo |"}) \
        .status_code == 302
    with app.app_context():
        work = work_of(world["ids"]["group_item"])
        assert [g.perspective for g in work.groups] == [{"es": "Gobernanza", "en": "Governance"}, {"es": "Empleo"}]
