"""Stored uploads of every kind (participant lists, attendance reports, answer files): those still waiting for
their confirmation, and discarding one nobody will import."""
from sqlalchemy import select, update
from sqlalchemy.orm import load_only

from extensions import db

from .services import record

WAITING, DISCARDED = "previewed", "discarded"


def waiting_uploads(model, *conditions):
    """Uploads of `model` neither imported nor discarded yet, newest first; `conditions` say whose. Their bytes stay
    in the database: the list shows names and times."""
    return db.session.scalars(select(model).options(load_only(model.filename, model.created_at))
                              .where(model.status == WAITING, *conditions)
                              .order_by(model.created_at.desc(), model.id.desc())).all()


def discard_upload(upload, actor_id, action):
    """Mark a stored upload discarded and delete its bytes (as an erasure does), and record `action` with its file
    name. Only an upload still waiting is discarded: False otherwise, and nothing changes (the database decides, so
    a confirmation that lands at the same moment wins). The row stays, so its id is never given to another file."""
    model = type(upload)
    discarded = db.session.execute(update(model).where(model.id == upload.id, model.status == WAITING)
                                   .values(status=DISCARDED, content=b"")
                                   .execution_options(synchronize_session=False)).rowcount
    if not discarded:
        return False
    record(actor_id, action, upload, filename=upload.filename)
    db.session.flush()
    return True


def is_discarded(upload):
    return upload.status == DISCARDED
