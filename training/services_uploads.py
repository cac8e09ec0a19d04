"""Stored uploads of every kind (participant lists, attendance reports, answer files): those still waiting for
their confirmation, and discarding one nobody will import."""
from sqlalchemy import delete, select

from extensions import db

from .services import record


def waiting_uploads(model, *conditions):
    """Uploads of `model` neither imported nor discarded yet, newest first; `conditions` say whose."""
    return db.session.scalars(select(model).where(model.status == "previewed", *conditions)
                              .order_by(model.created_at.desc(), model.id.desc())).all()


def discard_upload(upload, actor_id, action):
    """Delete a stored upload and its bytes, and record `action` with its file name. An imported upload stays as
    the record of its import: False then, and nothing changes (the database decides, so a confirmation that
    lands at the same moment wins)."""
    model = type(upload)
    deleted = db.session.execute(delete(model).where(model.id == upload.id, model.status != "applied")
                                 .execution_options(synchronize_session=False)).rowcount
    if not deleted:
        return False
    record(actor_id, action, upload, filename=upload.filename)
    db.session.flush()
    db.session.expunge(upload)
    return True
