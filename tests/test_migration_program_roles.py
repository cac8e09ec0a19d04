"""Migrations 0020 (accounts of one role each become program grants that keep what each saw, and back) and the
revisions of the same change (0021 rebuilds participants) on databases that hold data."""
from sqlalchemy import text

from extensions import db
from tests.helpers import insert_row

LEGACY = [  # (id, e-mail, role, country) as users held them before 0020
    (1, "admin@example.org", "admin", None), (2, "org@example.org", "organizer", None),
    (3, "fac@example.org", "facilitator", None), (4, "fp.mx@example.org", "focal_point", "MX"),
    (5, "fp.cr@example.org", "focal_point", "CR"),
]


def test_accounts_become_grants_that_keep_what_each_sees_and_back(scratch_app):
    from flask_migrate import downgrade, upgrade

    app = scratch_app
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            for program_id, code in ((1, "A-2021"), (2, "B-2022")):
                connection.execute(text("INSERT INTO programs (id, code, title, description, general_objective,"
                                        " specific_objectives, timezone, languages, created_at) VALUES (:id, :code,"
                                        " '{}', '{}', '{}', '{}', 'UTC', '[\"es\"]', CURRENT_TIMESTAMP)"),
                                   {"id": program_id, "code": code})
            # Mexico in both programs, Costa Rica only in B.
            for delegation_id, program_id, country in ((1, 1, "MX"), (2, 2, "MX"), (3, 2, "CR")):
                connection.execute(text("INSERT INTO delegations (id, program_id, kind, country_code, quota, status,"
                                        " focal_point_name, focal_point_email, focal_point_phone) VALUES (:id,"
                                        " :program, 'member', :country, 3, 'invited', '', '', '')"),
                                   {"id": delegation_id, "program": program_id, "country": country})
            for user_id, email, role, country in LEGACY:
                connection.execute(text("INSERT INTO users (id, email, name, password_hash, role, country_code,"
                                        " language, active, created_at, session_version) VALUES (:id, :email, 'X',"
                                        " 'x', :role, :country, 'es', :active, CURRENT_TIMESTAMP, 0)"),
                                   {"id": user_id, "email": email, "role": role, "country": country, "active": True})
            connection.execute(text("INSERT INTO audit_events (id, at, user_id, action, object_type, details) VALUES"
                                    " (1, CURRENT_TIMESTAMP, 4, 'user.created', 'User', '{}')"))
        upgrade(revision="0020")
        with db.engine.connect() as connection:
            grants = set(connection.execute(text("SELECT user_id, program_id, role, country_code FROM program_roles")))
            columns = set(connection.execute(text("SELECT * FROM users LIMIT 0")).keys())
            audited = connection.execute(text("SELECT user_id FROM audit_events")).scalar()
        assert grants == {(1, None, "admin", None), (2, None, "organizer", None), (3, None, "facilitator", None),
                          (4, 1, "focal_point", "MX"), (4, 2, "focal_point", "MX"), (5, 2, "focal_point", "CR")}
        assert "role" not in columns and "country_code" not in columns
        assert audited == 4  # the copied users table left what refers to staff as it was
        downgrade(revision="0018")
        with db.engine.connect() as connection:
            users = set(connection.execute(text("SELECT id, email, role, country_code FROM users")))
            audited = connection.execute(text("SELECT user_id FROM audit_events")).scalar()
        assert users == set(LEGACY) and audited == 4
        db.engine.dispose()


def _people_and_what_hangs_on_them(connection):
    return tuple(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
                 for table in ("participants", "attendance", "attempts", "answers", "certificates"))


def test_the_new_revisions_keep_every_participant_and_what_refers_to_them(scratch_app):
    """0021 rebuilds participants on SQLite (its check constraints): with foreign keys on, dropping the old table
    would cascade to attendance, attempts, answers and certificates."""
    from flask_migrate import downgrade, upgrade

    app = scratch_app
    now = "2026-01-01 00:00:00"
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            insert_row(connection, "programs", {"id": 1, "code": "A-2021", "title": "{}", "description": "{}",
                                             "general_objective": "{}", "specific_objectives": "{}", "timezone": "UTC",
                                             "languages": '["es"]', "created_at": now})
            insert_row(connection, "delegations", {"id": 1, "program_id": 1, "kind": "member", "country_code": "MX",
                                                "quota": 3, "status": "invited", "focal_point_name": "",
                                                "focal_point_email": "", "focal_point_phone": ""})
            insert_row(connection, "participants", {
                "id": 1, "program_id": 1, "delegation_id": 1, "given_names": "Ana", "family_names": "Uno",
                "email": "ana@example.mx", "email_key": "ana@example.mx", "gender": "female", "profile": "other",
                "language": "es", "timezone": "UTC", "status": "registered", "search_key": "ana uno",
                "session_version": 0, "position": "", "institution": "", "created_at": now, "updated_at": now})
            insert_row(connection, "activities", {"id": 1, "program_id": 1, "code": "S1", "kind": "virtual_session",
                                               "required": True, "title": "{}", "description": "{}", "link": "",
                                               "location": "", "recording_link": "", "created_at": now})
            insert_row(connection, "attendance", {"id": 1, "participant_id": 1, "activity_id": 1, "status": "present",
                                               "source": "manual", "minutes": 60, "comment": "", "recorded_at": now,
                                               "updated_at": now})
            insert_row(connection, "questionnaires", {"id": 1, "program_id": 1, "kind": "pre", "title": "{}",
                                                   "intro": "{}", "created_at": now})
            insert_row(connection, "questionnaire_sections",
                    {"id": 1, "questionnaire_id": 1, "title": "{}", "position": 1})
            insert_row(connection, "questions", {"id": 1, "section_id": 1, "questionnaire_id": 1, "type": "long_text",
                                              "dimension": "application", "text": "{}", "options": "[]",
                                              "position": 1, "required": False, "points": 0})
            insert_row(connection, "attempts", {"id": 1, "questionnaire_id": 1, "participant_id": 1,
                                             "status": "submitted", "started_at": now, "submitted_at": now})
            insert_row(connection, "answers", {"id": 1, "attempt_id": 1, "question_id": 1, "value": '"sí"',
                                            "saved_at": now, "seq": 1})
            insert_row(connection, "certificates", {"id": 1, "participant_id": 1, "program_id": 1, "serial_number": 1,
                                                 "code": "c" * 32, "languages": '["es"]', "hours": 4,
                                                 "issued_at": now})
        with db.engine.connect() as connection:
            assert _people_and_what_hangs_on_them(connection) == (1, 1, 1, 1, 1)
        upgrade()
        with db.engine.connect() as connection:
            assert _people_and_what_hangs_on_them(connection) == (1, 1, 1, 1, 1)
        with db.engine.begin() as connection:  # the new value is allowed now
            connection.execute(text("UPDATE participants SET gender = 'not_recorded' WHERE id = 1"))
        downgrade(revision="0018")
        with db.engine.connect() as connection:
            assert _people_and_what_hangs_on_them(connection) == (1, 1, 1, 1, 1)
            assert connection.execute(text("SELECT gender FROM participants")).scalar() == "undisclosed"
        db.engine.dispose()
