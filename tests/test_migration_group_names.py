"""Migration 0024: a group's name becomes its name in the program's default language (groups.names, the only copy),
and back, without rebuilding the table (which would cascade to the group's members)."""
import json

from sqlalchemy import inspect, text

from extensions import db
from tests.helpers import insert_row

NOW, LATER = "2026-01-01 00:00:00", "2026-01-01 01:00:00"


def _program_with_a_group(connection, number, languages, name):
    """Program `number` with one group named `name` and one member, as a database at revision 0020 holds them."""
    insert_row(connection, "programs", {"id": number, "code": f"P-{number}", "title": "{}", "description": "{}",
                                        "general_objective": "{}", "specific_objectives": "{}", "timezone": "UTC",
                                        "languages": json.dumps(languages), "created_at": NOW})
    insert_row(connection, "delegations", {"id": number, "program_id": number, "kind": "member",
                                           "country_code": "MX", "quota": 3, "status": "invited"})
    insert_row(connection, "participants", {
        "id": number, "program_id": number, "delegation_id": number, "given_names": "Ana", "family_names": "Uno",
        "email": f"ana{number}@example.mx", "email_key": f"ana{number}@example.mx", "gender": "female",
        "profile": "other", "language": "es", "timezone": "UTC", "status": "registered", "search_key": "ana uno",
        "created_at": NOW, "updated_at": NOW})
    insert_row(connection, "activities", {"id": number, "program_id": number, "code": "S1", "kind": "virtual_session",
                                          "required": True, "title": "{}", "description": "{}", "created_at": NOW})
    insert_row(connection, "agenda_items", {"id": number, "activity_id": number, "starts_at": NOW, "ends_at": LATER,
                                            "kind": "group_work", "title": "{}"})
    insert_row(connection, "group_works", {"id": number, "agenda_item_id": number, "strategy": "balanced",
                                           "questions": "{}", "updated_at": NOW})
    insert_row(connection, "groups", {"id": number, "group_work_id": number, "position": 1, "name": name,
                                      "perspective": "{}", "countries": "[]"})
    insert_row(connection, "group_members", {"id": number, "group_id": number, "group_work_id": number,
                                             "participant_id": number})


def _rows(connection, column):
    return [(value if not isinstance(value, str) or column == "name" else json.loads(value), members)
            for value, members in connection.execute(text(
                f"SELECT groups.{column}, (SELECT count(*) FROM group_members WHERE group_id = groups.id) "
                "FROM groups ORDER BY groups.id"))]


def test_each_group_name_goes_to_its_program_default_language_and_back(scratch_app):
    from flask_migrate import downgrade, upgrade

    app = scratch_app
    with app.app_context():
        upgrade(revision="0020")
        with db.engine.begin() as connection:
            _program_with_a_group(connection, 1, ["fr", "es"], "Groupe Nord")
            _program_with_a_group(connection, 2, ["es", "en"], "Grupo 1")
        upgrade(revision="0024")
        with db.engine.connect() as connection:
            columns = {column["name"] for column in inspect(connection).get_columns("groups")}
            assert "name" not in columns  # one copy of the name: names[default] cannot disagree with it
            assert _rows(connection, "names") == [({"fr": "Groupe Nord"}, 1), ({"es": "Grupo 1"}, 1)]
            connection.execute(text("UPDATE groups SET names = :names WHERE id = 2"),
                               {"names": json.dumps({"en": "Group 1", "es": "Grupo uno"})})
            connection.commit()
        downgrade(revision="0020")
        with db.engine.connect() as connection:
            assert "names" not in {column["name"] for column in inspect(connection).get_columns("groups")}
            assert _rows(connection, "name") == [("Groupe Nord", 1), ("Grupo uno", 1)]  # the default's, members kept
        db.session.remove()
        db.engine.dispose()
