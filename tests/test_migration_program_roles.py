"""Migration 0020: the accounts of one role each become program grants that keep what each saw, and back."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from extensions import db
from tests.conftest import BACKEND, POSTGRES_DATABASE, POSTGRES_SERVER, SECRET

LEGACY = [  # (id, e-mail, role, country) as users held them before 0020
    (1, "admin@example.org", "admin", None), (2, "org@example.org", "organizer", None),
    (3, "fac@example.org", "facilitator", None), (4, "fp.mx@example.org", "focal_point", "MX"),
    (5, "fp.cr@example.org", "focal_point", "CR"),
]


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own (the suite's stays at the head)."""
    if BACKEND != "postgresql":
        yield f"sqlite:///{tmp_path / 'migration.sqlite3'}"
        return
    name = f"{POSTGRES_DATABASE}_migration"
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
    yield make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()


def test_accounts_become_grants_that_keep_what_each_sees_and_back(scratch_url):
    from flask_migrate import downgrade, upgrade

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET, "QUEUE_URL": "memory://",
                      "SQLALCHEMY_DATABASE_URI": scratch_url})
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
