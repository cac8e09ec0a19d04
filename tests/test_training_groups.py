"""Group work through the web: forming groups by either strategy, moves, rapporteurs, conclusions, printing,
country scoping, and what a participant sees."""
import re

from sqlalchemy import select

from extensions import db
from tests.conftest import login, post_form
from tests.helpers import enter, link_for
from training.models_groups import Group, GroupMember, GroupWork


def assignment(app, item_id):
    with app.app_context():
        work = db.session.scalar(select(GroupWork).where(GroupWork.agenda_item_id == item_id))
        return [(group.name, sorted(m.participant_id for m in group.members)) for group in work.groups]


def group_ids(app, item_id):
    with app.app_context():
        work = db.session.scalar(select(GroupWork).where(GroupWork.agenda_item_id == item_id))
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
    refused = post_form(client, edit, {"name": "Grupo 1", "rapporteur_id": str(ids["gt1"]), "conclusions": ""})
    assert refused.status_code == 200
    assert "La persona relatora debe ser integrante del grupo." in refused.get_data(as_text=True)
    assert rapporteurs(app) == set()
    saved = post_form(client, edit, {"name": "Grupo México", "rapporteur_id": str(ids["mx1"]),
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
