"""Participant imports: keep the upload, plan it against the program as it is now, apply it in one transaction."""
from flask_babel import force_locale
from sqlalchemy import func, insert, select, update

from extensions import db

from .countries import default_timezone
from .importing import DelegationSlot, Existing, ImportContext, header_key, plan_import
from .labels import GENDER_LABELS, PROFILE_LABELS, delegation_label
from .localized import SUPPORTED_LANGUAGES
from .models import Delegation, ImportBatch, Participant, User, utcnow
from .models_grants import ruling_grant
from .services import email_key, record, reopen_for_review
from .services_exports import TEMPLATE_HEADERS
from .services_uploads import UploadNotClean, apply_once, read_staged, stage_upload, waiting_uploads
from .textkeys import fold, person_search_key

COMPARED_FIELDS = ("given_names", "family_names", "email", "position", "institution", "gender", "profile", "language")


class ImportNotClean(UploadNotClean):
    """The file (or the program since the preview) has problems: nothing was written."""


def store_upload(program, actor_id, filename, content, delegation=None, locked=False):
    """Keep the uploaded bytes so the preview and the confirmation judge exactly the same file."""
    return stage_upload(ImportBatch, actor_id, "participants.list_uploaded", filename, content, program_id=program.id,
                        delegation_id=delegation.id if delegation else None, locked=locked)


def batches_seen_by(created_by=None, country=None):
    """Which lists someone sees: only `created_by`'s uploads, only those for `country`'s delegation, when given."""
    conditions = []
    if created_by is not None:
        conditions.append(ImportBatch.created_by == created_by)
    if country is not None:
        conditions.append(ImportBatch.delegation.has(Delegation.country_code == country))
    return conditions


def waiting_batches(program, created_by=None, country=None):
    """The program's lists waiting for their confirmation, among those `batches_seen_by` gives."""
    return waiting_uploads(ImportBatch, ImportBatch.program_id == program.id, *batches_seen_by(created_by, country))


def plan_batch(batch, max_rows, lock=False):
    """Read the stored file and check it against the program now. Raises TableError for unreadable files."""
    return plan_import(read_staged(batch, max_rows), _context(batch, lock))


def apply_batch(batch, actor_id, max_rows):
    """Write every row of a clean plan, or nothing: raises ImportNotClean with the plan otherwise. Returns
    (summary, True), or the first confirmation's (summary, False) for a second one."""
    table = read_staged(batch, max_rows)  # parsed before the batch is claimed: an unreadable file claims nothing
    return apply_once(batch, lambda: plan_import(table, _context(batch, lock=True)),
                      lambda plan: _write(batch, plan, actor_id), not_clean=ImportNotClean)


def _write(batch, plan, actor_id):
    created = [_new_participant(batch.program_id, row.values) for row in plan.rows if row.status == "new"]
    if created:
        db.session.execute(insert(Participant), created)
    for row in plan.rows:
        if row.status == "update":
            db.session.execute(update(Participant).where(Participant.id == row.existing_id)
                               .values(**_changed_values(row)))
    summary = {"created": len(created), "updated": plan.count("update"), "unchanged": plan.count("duplicate"),
               "filename": batch.filename}
    if batch.locked and (created or summary["updated"]) and _by_focal_point(batch):
        reopen_for_review(batch.delegation_id, actor_id)
    record(actor_id, "participants.imported", batch, **summary)
    return summary


def _by_focal_point(batch):
    creator = db.session.get(User, batch.created_by) if batch.created_by else None
    grant = ruling_grant(creator, batch.program_id) if creator is not None else None
    return grant is not None and grant.role == "focal_point"


def _new_participant(program_id, values):
    now = utcnow()
    row = {name: values[name] for name in COMPARED_FIELDS}
    return {**row, "program_id": program_id, "delegation_id": values["delegation_id"],
            "email_key": email_key(values["email"]), "status": "registered", "timezone": values["timezone"],
            "search_key": person_search_key(values["given_names"], values["family_names"],
                                            email_key(values["email"]), values["institution"]),
            "created_at": now, "updated_at": now}


def _changed_values(row):
    changed = {name: row.values[name] for name in row.changes}
    merged = {**row.existing_values, **changed}  # what the plan already loaded: no query per row
    changed["search_key"] = person_search_key(merged["given_names"], merged["family_names"],
                                              email_key(merged["email"]), merged["institution"])
    changed["updated_at"] = utcnow()
    return changed


def _context(batch, lock):
    program = batch.program
    # Every delegation is known (so a focal point's row for another country is named as such); a locked batch
    # may only write into its own.
    query = select(Delegation).where(Delegation.program_id == program.id).order_by(Delegation.id)
    if lock:
        query = query.with_for_update()  # quotas cannot move under us between the check and the insert
    delegations = db.session.scalars(query).all()
    active = dict(db.session.execute(
        select(Participant.delegation_id, func.count()).where(Participant.program_id == program.id,
                                                              Participant.status != "withdrawn")
        .group_by(Participant.delegation_id)).all())
    slots = [DelegationSlot(id=d.id, label=delegation_label(d, program.default_language), country_code=d.country_code,
                            organization=d.organization, places_left=d.quota - active.get(d.id, 0))
             for d in delegations]
    existing = {
        p.email_key: Existing(id=p.id, delegation_id=p.delegation_id,
                              values={name: getattr(p, name) for name in COMPARED_FIELDS})
        for p in db.session.scalars(select(Participant).where(Participant.program_id == program.id))
    }
    timezones = {d.id: _zone(d, program) for d in delegations}
    return ImportContext(delegations=slots, existing=existing, target_delegation_id=batch.delegation_id,
                         locked=batch.locked, languages=tuple(program.languages or SUPPORTED_LANGUAGES),
                         timezones=timezones, labels=interface_labels())


def interface_labels():
    """The headers and drop-down values the list template writes, in each language the interface speaks (as its
    catalogs translate them), for the importer to read them back: {"header": …, "gender": …, "profile": …}."""
    labels = {"header": {}, "gender": {}, "profile": {}}
    for language in SUPPORTED_LANGUAGES:
        with force_locale(language):
            labels["header"].update({header_key(str(text)): name for name, text in TEMPLATE_HEADERS.items()})
            labels["gender"].update({header_key(str(text)): code for code, text in GENDER_LABELS.items()})
            labels["profile"].update({fold(str(text)): code for code, text in PROFILE_LABELS.items()})
    return labels


def _zone(delegation, program):
    return default_timezone(delegation.country_code, program.timezone) or program.timezone
