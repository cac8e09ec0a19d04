"""Migration 0024: a group's name becomes its name in the program's default language (groups.names), and back."""
import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from app import create_app
from extensions import db
from tests.conftest import SECRET


def test_each_group_name_goes_to_its_program_default_language_and_back(scratch_url):
    from flask_migrate import downgrade, upgrade

    from training.models import Activity, AgendaItem, Program
    from training.models_groups import Group, GroupWork

    app = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET, "QUEUE_URL": "memory://",
                      "SQLALCHEMY_DATABASE_URI": scratch_url})
    at = datetime(2027, 3, 1, 15, tzinfo=timezone.utc)
    end = at + timedelta(hours=1)
    with app.app_context():
        upgrade()
        for code, languages, name in (("FR-2027", ["fr", "es"], "Groupe Nord"), ("ES-2027", ["es", "en"], "Grupo 1")):
            program = Program(code=code, title={languages[0]: code}, languages=languages)
            activity = Activity(program=program, code="S1", kind="virtual_session", starts_at=at, ends_at=end)
            item = AgendaItem(activity=activity, starts_at=at, ends_at=end, kind="group_work")
            work = GroupWork(agenda_item=item, strategy="balanced")
            work.groups = [Group(position=1, name=name, names={"pt": "ignored"})]
            db.session.add(work)
        db.session.commit()
        downgrade(revision="0020")
        assert "names" not in {column["name"] for column in db.inspect(db.engine).get_columns("groups")}
        upgrade(revision="0024")
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT name, names FROM groups ORDER BY id")).all()
        names = [(name, value if isinstance(value, dict) else json.loads(value)) for name, value in rows]
        assert names == [("Groupe Nord", {"fr": "Groupe Nord"}), ("Grupo 1", {"es": "Grupo 1"})]
        db.session.remove()
        db.engine.dispose()
