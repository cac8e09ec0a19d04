"""Unbound Flask extension objects (and the declarative base they share), bound in create_app()."""
import math
import time
from datetime import datetime, timezone
from functools import cache

from flask import current_app
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from limits import parse_many
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator
from werkzeug.exceptions import TooManyRequests

from signed_memo import RememberedCSRFProtect


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back zone-aware (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    registry = registry(
        type_annotation_map={datetime: UTCDateTime()},
        # Named constraints let Alembic alter them on SQLite (batch mode) and PostgreSQL alike.
        metadata=MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_N_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        ),
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = RememberedCSRFProtect()  # Flask-WTF's, its signature checks remembered: signed_memo.py
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
mail = Mail()


def configured_limit(setting):
    """The rate limit the config `setting` names, read per request (tests and deployments set their own)."""
    return lambda: current_app.config[setting]


def limit_misses(setting):
    """Rate-limit a lookup by secret per address, counting only the requests answered 404 (what a guesser gets),
    at the limit named by the config `setting`; once it is reached, the address waits like any refused one."""
    return limiter.limit(configured_limit(setting), deduct_when=lambda response: response.status_code == 404)


class TooManyAttempts(TooManyRequests):
    """A refusal by a limit a view counts itself (`spend`): how long to wait, whether refusals.py may answer the
    same again to the address meanwhile (not when the limit is not the address's), and a line to add to the page."""

    def __init__(self, retry_after, replayable=True, note=None):
        super().__init__(retry_after=retry_after)
        self.replayable, self.note = replayable, note


def spend(setting, *key):
    """Count one attempt against the limit the config `setting` names, under `key`, when it arrives (one atomic step
    of the limiter's storage per window, shortest first, as the decorators do); 0 when it is allowed, else the
    seconds until the oldest attempt that fills the refusing window drops out of it."""
    if not limiter.enabled:  # RATELIMIT_ENABLED=False: nothing is counted (the limiter has no storage then)
        return 0
    for item in _parsed(current_app.config[setting]):
        if not limiter.limiter.hit(item, *key):
            reset_at, _remaining = limiter.limiter.get_window_stats(item, *key)
            return max(1, min(item.get_expiry(), math.ceil(reset_at - time.time())))
    return 0


def forget(setting, *key):
    """Forget every attempt counted under `key` against the limit the config `setting` names."""
    if limiter.enabled:
        for item in _parsed(current_app.config[setting]):
            limiter.limiter.clear(item, *key)


@cache
def _parsed(limits):
    return sorted(parse_many(limits))
