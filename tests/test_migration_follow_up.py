"""Migration 0026: the follow-up survey's sending table and programs.follow_up_until come and go without rebuilding
the programs table (a rebuild on SQLite would cascade to everything a program holds)."""
import json

from sqlalchemy import inspect, text

from extensions import db
from tests.helpers import insert_row

NOW = "2026-01-01 00:00:00"


def test_the_follow_up_columns_come_and_go_and_a_program_s_people_stay(scratch_app):
    from flask_migrate import downgrade, upgrade

    with scratch_app.app_context():
        upgrade(revision="0025")
        with db.engine.begin() as connection:
            insert_row(connection, "programs", {"id": 1, "code": "P-1", "languages": json.dumps(["es"]),
                                                "timezone": "UTC", "created_at": NOW})
            insert_row(connection, "delegations", {"id": 1, "program_id": 1, "kind": "member", "country_code": "MX",
                                                   "quota": 3, "status": "invited"})
            insert_row(connection, "participants", {
                "id": 1, "program_id": 1, "delegation_id": 1, "given_names": "Ana", "family_names": "Uno",
                "email": "ana@example.mx", "email_key": "ana@example.mx", "gender": "female", "profile": "other",
                "language": "es", "timezone": "UTC", "status": "registered", "search_key": "ana uno",
                "created_at": NOW, "updated_at": NOW})
        upgrade(revision="0026")
        with db.engine.connect() as connection:
            assert "follow_up_until" in {c["name"] for c in inspect(connection).get_columns("programs")}
            assert "follow_ups_sent" in inspect(connection).get_table_names()
        downgrade(revision="0025")
        with db.engine.connect() as connection:
            assert "follow_up_until" not in {c["name"] for c in inspect(connection).get_columns("programs")}
            assert "follow_ups_sent" not in inspect(connection).get_table_names()
            assert connection.execute(text("SELECT count(*) FROM participants")).scalar() == 1
        upgrade(revision="0026")
