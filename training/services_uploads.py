"""Stored uploads of every kind (participant lists, attendance reports, answer files), from upload to confirmation:
keep the file, read it as a table, confirm it once, list those still waiting, discard one nobody will import."""
from sqlalchemy import select, update
from sqlalchemy.orm import load_only

from extensions import db

from .models import utcnow
from .services import record
from .tabular import read_table

WAITING, APPLIED, DISCARDED = "previewed", "applied", "discarded"


class UploadNotClean(Exception):
    """The file (or what it is checked against, since the review) has problems: nothing was written."""

    def __init__(self, plan):
        super().__init__(f"{type(self).__name__}: the upload has problems")
        self.plan = plan


def stage_upload(model, actor_id, action, filename, content, **fields):
    """Keep the uploaded bytes as a `model` upload waiting for its confirmation, so that the review and the
    confirmation judge exactly the same file; `fields` are the kind's own (what it belongs to, its options).
    The audit log records it as `action`: a file holding personal data is now stored."""
    upload = model(created_by=actor_id, filename=filename[:255], content=content, **fields)
    db.session.add(upload)
    db.session.flush()
    record(actor_id, action, upload, filename=upload.filename, size=len(content))
    return upload


def read_staged(upload, max_rows):
    """The stored file as a `tabular.Table`: every kind decodes its bytes here, within the reading limits (a
    TableError says why a file cannot be read, e.g. bytes that break the encoding it announces)."""
    return read_table(upload.content, upload.filename, max_rows=max_rows)


def apply_once(upload, plan_now, write, not_clean=UploadNotClean, now=None):
    """Confirm a waiting upload once. The database decides who confirms: a conditional UPDATE moves it from waiting
    to applied, so a double click or a second tab cannot apply it twice, nor can a discarded one be applied.
    Then `plan_now()` checks the file against things as they are now (raising `not_clean(plan)` when it has
    problems: the caller rolls back, the claim with it) and `write(plan)` writes it and returns the summary kept
    on the upload. Returns (summary, True); for a confirmation another one did first, (its summary, False)."""
    model = type(upload)
    claimed = db.session.execute(update(model).where(model.id == upload.id, model.status == WAITING)
                                 .values(status=APPLIED, applied_at=now or utcnow())).rowcount
    if not claimed:
        db.session.refresh(upload)
        return upload.summary, False
    plan = plan_now()
    if not plan.clean:
        raise not_clean(plan)
    upload.summary = write(plan)
    db.session.flush()
    return upload.summary, True


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
