"""The yardstick for autosave: the smallest Flask + Flask-SQLAlchemy app that inserts one row per JSON POST."""
import os
from datetime import datetime, timezone

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, BigInteger, event
from sqlalchemy.orm import Mapped, mapped_column

db = SQLAlchemy()


class SavedValue(db.Model):
    __tablename__ = "minimal_saved_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[int]
    value: Mapped[object | None] = mapped_column(JSON)
    seq: Mapped[int] = mapped_column(BigInteger)
    saved_at: Mapped[datetime]


def _sqlite_pragmas(dbapi_connection, _record):
    # The same settings as app.py, so that the comparison measures the application and not the database setup.
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=15000", "foreign_keys=ON", "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def create_app(database_url=None):
    app = Flask(__name__)
    url = database_url or os.environ["MINIMAL_DATABASE_URL"]
    # As app.py: a ping at checkout on a database server only.
    app.config.update(SQLALCHEMY_DATABASE_URI=url,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": not url.startswith("sqlite")})
    db.init_app(app)
    with app.app_context():
        # On this engine only: the benchmark imports this module next to app.py, which has its own listener.
        event.listen(db.engine, "connect", _sqlite_pragmas)

    @app.post("/save")
    def save():
        data = request.get_json()
        db.session.add(SavedValue(question=data["question"], value=data.get("value"), seq=data["seq"],
                                  saved_at=datetime.now(timezone.utc)))
        db.session.commit()
        return jsonify(status="saved")

    return app
