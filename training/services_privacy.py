"""One participant's personal data: everything the platform holds about them as a download, and its erasure.
Assessments and certificates add their own sections through `register_section`, from their `init_app` (nothing here
imports upward)."""
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Callable

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select, update

from extensions import db

from .countries import country_name, default_timezone
from .hooks import hooks
from .labels import TABLE_PROBLEMS, problem_text
from .mentions import person_needles, table_mentions
from .messages import render
from .models import (
    Activity,
    AgendaItem,
    Attendance,
    AttendanceImport,
    AttendanceNameLink,
    AuditEvent,
    ImportBatch,
    OutboundMessage,
    Participant,
    User,
    utcnow,
)
from .models_groups import Group, GroupMember, GroupWork
from .models_registration import RegistrationRequest
from .services import record
from .services_messages import LINK_HIDDEN
from .services_registration import REQUEST_FIELDS
from .tabular import TableError
from .textkeys import person_search_key

EXPORT_FORMAT = "capacita-personal-data/1"


@dataclass(frozen=True)
class Section:
    """What one part of the platform holds about a participant. `export(p)` → JSON-able value; `erase(p, actor_id)`
    → counts for the audit event; `files(p)` → [(name, bytes)] added to the ZIP; `audit_objects(p)` → [(object type,
    id)] whose audit events are about the person; `uploads(p)` → stored uploads (rows with content and filename)
    that may mention them."""

    export: Callable
    erase: Callable | None = None
    files: Callable | None = None
    audit_objects: Callable | None = None
    uploads: Callable | None = None


def register_section(app, name, **functions):
    hooks(app).privacy_sections[name] = Section(**functions)


def _sections():
    """name → Section, in the order the blueprints registered them."""
    return hooks(current_app).privacy_sections


# --- export ----------------------------------------------------------------------------------------------


def personal_data(participant):
    """Everything about the participant, as one JSON-able dict (registration, messages, attendance, groups,
    uploads that mention them and those that could not be searched, each registered section, and the audit events
    about them)."""
    found = search_uploads(participant)
    data = {"format": EXPORT_FORMAT, "exported_at": _iso(utcnow()), "participant": _registration(participant),
            "messages": _messages(participant), "attendance": _attendance(participant),
            "attendance_report_names": _report_names(participant), "groups": _groups(participant),
            "uploaded_files": _uploads(found), "unreadable_uploaded_files": _unreadable(found),
            "registration_requests": _requests(participant)}
    for name, section in _sections().items():
        data[name] = section.export(participant)
    data["audit_events"] = _audit_events(participant)
    return data


def _requests(participant):
    """The online registration requests with their e-mail in the program (waiting or rejected)."""
    rows = db.session.scalars(select(RegistrationRequest).where(
        RegistrationRequest.program_id == participant.program_id,
        RegistrationRequest.email_key == participant.email_key).order_by(RegistrationRequest.id))
    return [{"status": row.status, "sent_at": _iso(row.created_at), "reason": row.reason,
             **{name: getattr(row, name) for name in REQUEST_FIELDS}} for row in rows]


def personal_data_zip(participant, others=()):
    """A ZIP with personal-data.json and the files sections add (certificate PDFs). With `others` (the same person's
    registrations in other programs) it holds one folder of these per registration, "<program>-participant-<id>/"."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for registration in (participant, *others):
            folder = f"{registration.program.code}-participant-{registration.id}/" if others else ""
            archive.writestr(folder + "personal-data.json",
                             json.dumps(personal_data(registration), ensure_ascii=False, indent=2))
            for section in _sections().values():
                for name, content in (section.files(registration) if section.files else []):
                    archive.writestr(folder + name, content)
    return buffer.getvalue()


def summary_counts(participant):
    """How many things of each kind the platform holds about the participant (uploaded files aside: finding
    them means reading every file, which the download and the erasure do)."""
    counts = {"messages": len(_messages(participant)), "attendance": len(_attendance(participant)),
              "groups": len(_groups(participant))}
    for name, section in _sections().items():
        counts[name] = len(section.export(participant))
    counts["audit_events"] = len(_audit_events(participant))
    return counts


def record_export(participant, actor_id):
    record(actor_id, "participant.data_exported", participant)


def _iso(moment):
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _registration(p):
    delegation = p.delegation
    return {
        "id": p.id, "program": {"code": p.program.code, "title": p.program.title},
        "given_names": p.given_names, "family_names": p.family_names, "position": p.position,
        "institution": p.institution, "email": p.email, "gender": p.gender, "profile": p.profile,
        "language": p.language, "timezone": p.timezone, "status": p.status,
        "delegation": {"kind": delegation.kind, "country_code": delegation.country_code,
                       "country": country_name(delegation.country_code, "en") if delegation.country_code else None,
                       "organization": delegation.organization},
        "personal_link_issued_at": _iso(p.link_issued_at), "registered_at": _iso(p.created_at),
        "updated_at": _iso(p.updated_at), "erased_at": _iso(p.erased_at),
    }


def _messages_query(participant):
    query = select(OutboundMessage).where(OutboundMessage.program_id == participant.program_id)
    to_them = OutboundMessage.participant_id == participant.id
    if participant.email_key and participant.erased_at is None:
        to_them = or_(to_them, func.lower(OutboundMessage.to_address) == participant.email_key)
    return query.where(to_them)


def _messages(participant):
    # The stored body keeps {link} as a placeholder; a file handed out never carries a working link.
    return [{"created_at": _iso(m.created_at), "kind": m.kind, "language": m.language, "to": m.to_address,
             "subject": m.subject, "body": render(m.body, {"link": LINK_HIDDEN}), "status": m.status,
             "sent_at": _iso(m.sent_at), "error": m.error}
            for m in db.session.scalars(_messages_query(participant).order_by(OutboundMessage.id))]


def _attendance(participant):
    rows = db.session.execute(select(Attendance, Activity).join(Activity, Attendance.activity_id == Activity.id)
                              .where(Attendance.participant_id == participant.id).order_by(Activity.code))
    return [{"activity": activity.code, "title": activity.title, "status": mark.status, "minutes": mark.minutes,
             "comment": mark.comment, "source": mark.source, "recorded_at": _iso(mark.recorded_at)}
            for mark, activity in rows]


def _report_names(participant):
    """The names (folded) reports showed them under, as a reviewer linked them to this person."""
    return list(db.session.scalars(select(AttendanceNameLink.name_key)
                                   .where(AttendanceNameLink.participant_id == participant.id)
                                   .order_by(AttendanceNameLink.name_key)))


def _groups(participant):
    rows = db.session.execute(
        select(GroupMember, Group, AgendaItem, Activity).join(Group, GroupMember.group_id == Group.id)
        .join(GroupWork, Group.group_work_id == GroupWork.id)
        .join(AgendaItem, GroupWork.agenda_item_id == AgendaItem.id)
        .join(Activity, AgendaItem.activity_id == Activity.id)
        .where(GroupMember.participant_id == participant.id).order_by(Activity.code, AgendaItem.starts_at))
    return [{"activity": activity.code, "agenda_item": item.title, "group": group.names,
             "perspective": group.perspective, "rapporteur": member.is_rapporteur}
            for member, group, item, activity in rows]


def _audit_events(participant):
    objects = [("Participant", participant.id)]
    for section in _sections().values():
        objects += section.audit_objects(participant) if section.audit_objects else []
    by_type = {}
    for object_type, object_id in objects:
        by_type.setdefault(object_type, set()).add(object_id)
    about = or_(*(and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(sorted(ids)))
                  for object_type, ids in by_type.items()))
    rows = db.session.execute(select(AuditEvent, User.name).outerjoin(User, AuditEvent.user_id == User.id)
                              .where(about).order_by(AuditEvent.at, AuditEvent.id))
    return [{"at": _iso(event.at), "action": event.action, "object_type": event.object_type,
             "object_id": event.object_id, "by": name, "details": event.details} for event, name in rows]


# --- uploads that mention the person ---------------------------------------------------------------------


def _program_uploads(participant):
    """Every stored upload of the participant's program: participant lists, attendance reports, and the
    sections' (answer files), as (kind, row)."""
    # In the order they were uploaded: the export and the erasure's notice list them so, on every database.
    batches = db.session.scalars(select(ImportBatch).where(ImportBatch.program_id == participant.program_id)
                                 .order_by(ImportBatch.id))
    reports = db.session.scalars(select(AttendanceImport).join(Activity, AttendanceImport.activity_id == Activity.id)
                                 .where(Activity.program_id == participant.program_id).order_by(AttendanceImport.id))
    uploads = [("participant_list", batch) for batch in batches] + [("attendance_report", r) for r in reports]
    for section in _sections().values():
        uploads += section.uploads(participant) if section.uploads else []
    return uploads


@dataclass
class UploadSearch:
    """The program's stored uploads that mention a participant, and those that could not be read to find out (each
    with its TableError): nobody can tell whether these mention them."""

    mentioning: list = field(default_factory=list)  # [(kind, upload)]
    unreadable: list = field(default_factory=list)  # [(kind, upload, error)]


def search_uploads(participant):
    """Which of the program's stored uploads mention the participant (by e-mail address or full name, or linked to
    them in an attendance review), and which cannot be read. Reads every file: call it before a write transaction."""
    needles = person_needles(participant.given_names, participant.family_names, participant.email)
    found = UploadSearch()
    for kind, upload in _program_uploads(participant):
        try:
            if participant.id in (getattr(upload, "decisions", None) or {}).values() \
                    or table_mentions(upload.content, upload.filename, needles):
                found.mentioning.append((kind, upload))
        except TableError as error:
            found.unreadable.append((kind, upload, error))
    return found


def _uploads(found):
    return [_upload_entry(kind, upload) for kind, upload in found.mentioning]


def _unreadable(found):
    return [{**_upload_entry(kind, upload), "problem": problem_text(TABLE_PROBLEMS, error.code, error.details)}
            for kind, upload, error in found.unreadable]


def _upload_entry(kind, upload):
    return {"kind": kind, "filename": upload.filename, "uploaded_at": _iso(upload.created_at), "status": upload.status}


# --- erasure ---------------------------------------------------------------------------------------------


def erase_participant(participant, actor_id, reason, uploads=None, requests_everywhere=False):
    """Erase the participant's personal data; False when it already was (a second erasure changes nothing).
    Names become "Deleted participant <id>" (in the program's language), contacts and free text are emptied,
    the personal link stops working, messages to them and uploads that mention them (or that cannot be read to
    find out) are deleted; what the statistics count stays (delegation, gender, profile, status, attendance, group
    places, and the sections' anonymous parts). The audit event keeps the reason, counts and which files could
    not be read, never the erased values. `uploads`: what `search_uploads` found before the write transaction
    began (searched now when None)."""
    claimed = db.session.execute(update(Participant).where(Participant.id == participant.id,
                                                           Participant.erased_at.is_(None))
                                 .values(erased_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(participant)
    if not claimed:
        return False
    found = search_uploads(participant) if uploads is None else uploads  # first: the names and e-mail find them
    unreadable = [(kind, upload) for kind, upload, _error in found.unreadable]
    _erase_uploads(participant, found.mentioning + unreadable)
    counts = {"uploads": len(found.mentioning), "unreadable_uploads": [
        {"kind": kind, "id": upload.id, "filename": upload.filename} for kind, upload in unreadable]}
    counts["messages"] = db.session.execute(delete(OutboundMessage).where(
        OutboundMessage.id.in_(_messages_query(participant).with_only_columns(OutboundMessage.id)))).rowcount
    counts["report_names"] = db.session.execute(delete(AttendanceNameLink).where(
        AttendanceNameLink.participant_id == participant.id)).rowcount
    # Registration requests sent again after one was accepted (then rejected) still name them; erasing the person
    # everywhere also reaches requests in programs where they never became a participant.
    requests = delete(RegistrationRequest).where(RegistrationRequest.email_key == participant.email_key)
    if not requests_everywhere:
        requests = requests.where(RegistrationRequest.program_id == participant.program_id)
    counts["registration_requests"] = db.session.execute(requests).rowcount
    _anonymize(participant)
    for section in _sections().values():
        counts.update(section.erase(participant, actor_id) if section.erase else {})
    db.session.flush()
    record(actor_id, "participant.erased", participant, reason=reason.strip()[:500], **counts)
    return True


def _erase_uploads(participant, uploads):
    """Uploaded files lose their content (the rows others were imported from are already in the database); a file
    still waiting for its review is discarded with it. A file that cannot be read is erased too: it may name the
    person, and no import can use it anyway."""
    for _kind, upload in uploads:
        upload.content = b""
        if upload.status == "previewed":
            upload.status = "discarded"
        if getattr(upload, "decisions", None):
            upload.decisions = {key: value for key, value in upload.decisions.items() if value != participant.id}
        if isinstance(upload.summary, dict) and "unmatched_names" in upload.summary:
            upload.summary = {**upload.summary, "unmatched_names": []}


def placeholder_names(participant):
    """(given, family) names an erased participant gets: "Deleted participant", their number, in the program's
    language (the names are stored, so they read the same on every page and export)."""
    with force_locale(participant.program.default_language):
        return _("Deleted participant"), str(participant.id)


def _anonymize(participant):
    program = participant.program
    participant.given_names, participant.family_names = placeholder_names(participant)
    participant.position = participant.institution = participant.email = ""
    participant.email_key = f"erased-{participant.id}"  # unique per program, and no address anyone can type
    participant.search_key = person_search_key(participant.given_names, participant.family_names, "")
    participant.link_salt = participant.token_hash = participant.link_issued_at = None
    participant.timezone = default_timezone(participant.delegation.country_code, program.timezone) \
        or program.timezone
    db.session.execute(update(Attendance).where(Attendance.participant_id == participant.id)
                       .values(comment="", recorded_at=Attendance.recorded_at)
                       .execution_options(synchronize_session=False))


def erasure_event(participant):
    """The audit event of the participant's erasure (None while they are not erased)."""
    return db.session.scalar(select(AuditEvent).where(
        AuditEvent.object_type == "Participant", AuditEvent.object_id == participant.id,
        AuditEvent.action == "participant.erased").order_by(AuditEvent.id.desc()).limit(1))
