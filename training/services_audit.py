"""The audit log: filtered queries over audit events, actions in words, and the objects they are about (each
blueprint registers its own kinds of object from its `init_app`, so nothing here imports upward)."""
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from extensions import db

from .countries import country_name
from .hooks import hooks
from .labels import ROLE_LABELS, delegation_label, language_name
from .localized import SUPPORTED_LANGUAGES
from .messages import EDITABLE_KINDS
from .models import (
    Activity,
    AgendaItem,
    AttendanceImport,
    AuditEvent,
    Delegation,
    ImportBatch,
    MessageTemplate,
    Participant,
    Program,
    User,
)
from .models_groups import Group, GroupWork
from .schedule import when

ACTION_LABELS = {
    "program.created": _l("Program created"),
    "program.updated": _l("Program changed"),
    "program.copied": _l("Program created as a copy of another"),
    "delegation.created": _l("Delegation added"),
    "delegation.updated": _l("Delegation changed"),
    "delegation.list_submitted": _l("List sent by the focal point"),
    "delegation.reopened": _l("Confirmed list changed: back to review"),
    "delegation.confirmed": _l("List confirmed"),
    "participant.created": _l("Participant registered"),
    "participant.updated": _l("Participant changed"),
    "participant.withdrawn": _l("Participant withdrawn"),
    "participant.reinstated": _l("Participant registered again"),
    "participant.link_issued": _l("Personal link issued"),
    "participant.link_revoked": _l("Personal link revoked"),
    "participant.data_exported": _l("Personal data exported"),
    "participant.erased": _l("Personal data erased"),
    "participants.imported": _l("Participant list imported"),
    "participants.list_uploaded": _l("Participant list uploaded"),
    "participants.import_discarded": _l("Participant list discarded"),
    "registration.link_opened": _l("Registration link opened"),
    "registration.link_revoked": _l("Registration link revoked"),
    "registration.requested": _l("Registration requested"),
    "registration.accepted": _l("Registration accepted"),
    "registration.rejected": _l("Registration rejected"),
    "user.created": _l("Staff account created"),
    "user.updated": _l("Staff account changed"),
    "user.role_granted": _l("Role in a program given"),
    "user.role_removed": _l("Role in a program removed"),
    "template.saved": _l("Message text saved"),
    "invitations.queued": _l("Invitations queued"),
    "reminders.queued": _l("Reminders queued"),
    "certificates.queued": _l("Certificate messages queued"),
    "absence_notices.queued": _l("Recording sent to those absent"),
    "invitations.requested": _l("Invitations requested"),
    "reminders.requested": _l("Reminders requested"),
    "certificates.requested": _l("Certificate messages requested"),
    "messages.sending_started": _l("Sending of the queued messages started"),
    "message.uncertain": _l("Message left unconfirmed by a stopped sender"),
    "message.sent_again": _l("Message queued again"),
    "message.marked_sent": _l("Message marked as sent"),
    "reminders.scheduled": _l("Automatic reminders set"),
    "reminders.sent_on_schedule": _l("Automatic reminders queued"),
    "follow_up.scheduled": _l("Follow-up survey scheduled"),
    "follow_up.sent_now": _l("Follow-up survey opened and sent now"),
    "follow_up.sent": _l("Follow-up survey queued to those who completed the program"),
    "activity.created": _l("Activity created"),
    "activity.updated": _l("Activity changed"),
    "agenda_item.created": _l("Agenda item added"),
    "agenda_item.updated": _l("Agenda item changed"),
    "agenda_item.deleted": _l("Agenda item deleted"),
    "attendance.saved": _l("Attendance saved"),
    "attendance.imported": _l("Attendance report imported"),
    "attendance.report_uploaded": _l("Attendance report uploaded"),
    "attendance.import_reviewed": _l("Attendance report: unmatched people linked"),
    "attendance.import_discarded": _l("Attendance report discarded"),
    "attendance.absent_marked": _l("Attendance: everyone else marked absent"),
    "groups.generated": _l("Groups formed"),
    "groups.moved": _l("People moved between groups"),
    "groups.group_saved": _l("Group saved"),
    "questionnaire.created": _l("Questionnaire created"),
    "questionnaire.imported": _l("Questionnaire imported"),
    "questionnaire.opened": _l("Questionnaire opened"),
    "questionnaire.closed": _l("Questionnaire closed"),
    "questionnaire.settings_saved": _l("Questionnaire settings and window saved"),
    "questionnaire.window_followed_slot": _l("Questionnaire window moved with its agenda slot"),
    "questionnaire.section_added": _l("Questionnaire: section added"),
    "questionnaire.section_renamed": _l("Questionnaire: section renamed"),
    "questionnaire.section_deleted": _l("Questionnaire: section deleted"),
    "questionnaire.question_added": _l("Questionnaire: question added"),
    "questionnaire.question_changed": _l("Questionnaire: question changed"),
    "questionnaire.question_deleted": _l("Questionnaire: question deleted"),
    "questionnaire.reordered": _l("Questionnaire: order changed"),
    "questionnaire.knowledge_copied": _l("Questionnaire: knowledge questions copied from the pre-test"),
    "questionnaire.application_copied": _l("Questionnaire: intended-use questions copied from the post-test"),
    "questionnaire.deleted": _l("Questionnaire deleted"),
    "responses.imported": _l("Answers imported"),
    "responses.file_uploaded": _l("Answer file uploaded"),
    "responses.import_mapped": _l("Answer file: columns chosen"),
    "responses.import_discarded": _l("Answer file discarded"),
    "certificate_settings.saved": _l("Certificate rules saved"),
    "certificate_artwork.saved": _l("Certificate logos and signatures saved"),
    "certificate.issued": _l("Certificate issued"),
    "certificates.issued_early": _l("Certificates issued before the last activity ended"),
    "certificates.drawing_started": _l("Certificate PDFs: drawing started"),
    "certificate.revoked": _l("Certificate revoked"),
    "certificate.reissued": _l("Certificate reissued"),
    "feed_token.created": _l("Portfolio feed: token made"),
    "feed_token.revoked": _l("Portfolio feed: token revoked"),
    "lesson.created": _l("Lesson learned recorded"),
    "lesson.updated": _l("Lesson learned changed"),
    "lesson.deleted": _l("Lesson learned deleted"),
    "lesson.shared": _l("Lesson learned shared on the public page"),
    "lesson.unshared": _l("Lesson learned taken off the public page"),
}


def action_label(action):
    """The action in words; an action nobody put into words yet is shown as stored."""
    return ACTION_LABELS.get(action, action)


# --- the objects events are about -----------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectKind:
    """How the log names and links one kind of audited object. `describe(obj, language)` → text;
    `link(obj)` → (endpoint, url arguments) or None."""

    model: type
    label: object
    describe: Callable
    link: Callable


def register_audit_object(app, model, label, describe, link):
    hooks(app).audit_objects[model.__name__] = ObjectKind(model, label, describe, link)


def _kinds():
    return hooks(current_app).audit_objects


def object_type_label(object_type):
    kind = _kinds().get(object_type)
    return kind.label if kind else object_type


def audited_objects(events):
    """(object type, id) → the object, for the events' objects that still exist (one query per kind)."""
    kinds, wanted = _kinds(), {}
    for event in events:
        if event.object_id is not None and event.object_type in kinds:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    found = {}
    for object_type, ids in wanted.items():
        model, ids = kinds[object_type].model, sorted(ids)
        for start in range(0, len(ids), CHUNK):  # an export of the whole log may name many thousands
            for obj in db.session.scalars(select(model).where(model.id.in_(ids[start:start + CHUNK]))):
                found[(object_type, obj.id)] = obj
    return found


CHUNK = 500


def _participant_link(person):
    if person.erased_at is not None:
        return "training.personal_data", {"participant_id": person.id}
    return "training.participant_edit", {"participant_id": person.id}


def register_training_objects(app):
    """Training's kinds of audited object (training's `init_app` calls it)."""
    register_audit_object(app, Program, _l("Program"), lambda p, _lang: p.code,
                          lambda p: ("training.program_dashboard", {"program_id": p.id}))
    register_audit_object(app, Delegation, _l("Delegation"), delegation_label,
                          lambda d: ("training.delegation_edit", {"delegation_id": d.id}))
    register_audit_object(app, Participant, _l("Participant"), lambda p, _lang: p.full_name, _participant_link)
    register_audit_object(app, User, _l("Staff account"), lambda u, _lang: u.name,
                          lambda u: ("training.user_edit", {"user_id": u.id}))
    register_audit_object(app, MessageTemplate, _l("Message text"), lambda t, _lang: f"{t.kind} · {t.language}",
                          lambda t: ("training.message_template", {"program_id": t.program_id, "kind": t.kind})
                          if t.kind in EDITABLE_KINDS else None)
    register_audit_object(app, Activity, _l("Activity"), lambda a, lang: f"{a.code} · {a.title_in(lang)}",
                          lambda a: ("training.activity", {"activity_id": a.id}))
    register_audit_object(app, AgendaItem, _l("Agenda item"), lambda i, lang: f"{i.activity.code} · {i.title_in(lang)}",
                          lambda i: ("training.agenda_item_edit", {"item_id": i.id}))
    register_audit_object(app, ImportBatch, _l("Participant list"), lambda b, _lang: b.filename,
                          lambda b: ("training.import_preview", {"batch_id": b.id}))
    register_audit_object(app, AttendanceImport, _l("Attendance report"), lambda u, _lang: u.filename,
                          lambda u: ("training.attendance_import_review", {"import_id": u.id}))
    register_audit_object(app, GroupWork, _l("Group work"),
                          lambda w, lang: f"{w.agenda_item.activity.code} · {w.agenda_item.title_in(lang)}",
                          lambda w: ("training.groups", {"item_id": w.agenda_item_id}))
    register_audit_object(app, Group, _l("Group"),
                          lambda g, lang: g.name_in(lang, g.group_work.agenda_item.activity.program.default_language),
                          lambda g: ("training.group_edit", {"group_id": g.id}))


# --- queries ---------------------------------------------------------------------------------------------

SYSTEM = "system"  # the user filter's value for events no staff member made (or whose account is gone)


@dataclass(frozen=True)
class AuditFilters:
    program_id: int | None = None
    user: int | str | None = None  # a user id, SYSTEM, or None for everyone
    action: str | None = None
    since: datetime | None = None  # UTC, inclusive
    until: datetime | None = None  # UTC, exclusive


def audit_query(filters):
    """Events matching `filters`, newest first (ties by id, so pages never repeat or skip a row)."""
    query = select(AuditEvent)
    if filters.program_id is not None:
        query = query.where(AuditEvent.program_id == filters.program_id)
    if filters.user == SYSTEM:
        query = query.where(AuditEvent.user_id.is_(None))
    elif filters.user is not None:
        query = query.where(AuditEvent.user_id == filters.user)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.since is not None:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.at < filters.until)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def count_events(query):
    return db.session.scalar(query.with_only_columns(func.count(AuditEvent.id)).order_by(None))


def events_with_users(query, limit=None, offset=0):
    """[(event, user or None)] of the query, a page of it with `limit`."""
    query = query.add_columns(User).outerjoin(User, AuditEvent.user_id == User.id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [tuple(row) for row in db.session.execute(query)]


def recorded_actions():
    """Every action the log holds, for the filter (known ones and any newer ones not yet put into words)."""
    return sorted(set(db.session.scalars(select(AuditEvent.action).distinct())) | set(ACTION_LABELS))


def staff_accounts():
    return db.session.scalars(select(User).order_by(User.name, User.id)).all()


def all_programs():
    return db.session.scalars(select(Program).order_by(Program.start_date.desc().nulls_last(), Program.code)).all()


# What each detail an event records is, in words ("participant_id: 121" reads "Participant: no. 121").
DETAIL_LABELS = {
    "absent_notice_hours": _l("Hours before the session for absence notices"),
    "activity": _l("Activity"), "agenda_item": _l("Agenda item"), "audience": _l("Audience"),
    "audit_events": _l("Audit events"), "certificates_revoked": _l("Certificates revoked"),
    "claimed_at": _l("Claimed at"), "closes_at": _l("Closes"), "code": _l("Code"), "count": _l("Number"),
    "country": _l("Country"), "country_code": _l("Country"), "created": _l("Added"), "days": _l("Days"),
    "decisions": _l("Decisions"), "direction": _l("Direction"), "ends_at": _l("Ends"), "error": _l("Error"),
    "filename": _l("File"), "groups": _l("Groups"), "hours": _l("Hours"), "item_key": _l("Item key"),
    "kind": _l("Kind"), "label": _l("Name"), "language": _l("Language"), "link_id": _l("Link"),
    "links_forgotten": _l("Names unlinked"), "links_remembered": _l("Names remembered"),
    "messages": _l("Messages"), "not_invited": _l("Only those not yet invited"), "opens_at": _l("Opens"),
    "organization": _l("Organization"), "outcome": _l("Outcome"), "participant_id": _l("Participant"),
    "participant_ids": _l("Participants"), "parts": _l("Parts"), "people": _l("People"),
    "previous": _l("Before"), "previous_closes_at": _l("Closed before at"), "program": _l("Program"),
    "programs": _l("Programs"), "question": _l("Question"), "questionnaire": _l("Questionnaire"),
    "questionnaire_id": _l("Questionnaire"), "questions": _l("Questions"), "queued": _l("Queued"),
    "quota": _l("Quota"), "rapporteur": _l("Rapporteur"), "reason": _l("Reason"),
    "registration_requests": _l("Registration requests"), "replaces": _l("Replaces"),
    "report_names": _l("Names from attendance reports"), "request_id": _l("Registration request"),
    "role": _l("Role"), "section": _l("Section"), "seed": _l("Draw"), "serial": _l("Serial number"),
    "show_score": _l("Shows the score"), "size": _l("Size (bytes)"), "source": _l("Source"),
    "source_id": _l("Copied from"), "status": _l("Status"), "strategy": _l("Strategy"),
    "time_limit_minutes": _l("Time limit (minutes)"), "title": _l("Title"), "type": _l("Type"),
    "unchanged": _l("Unchanged"), "updated": _l("Updated"), "waiting": _l("Waiting"),
    "warnings": _l("Warnings"), "was_closes_at": _l("Closed before at"), "was_opens_at": _l("Opened before at"),
    "weeks_after": _l("Weeks after the end"), "weeks_open": _l("Weeks open"),
    "written_answers": _l("Written answers"), "follow_ups_sent": _l("Follow-up surveys sent"),
}
# Details whose values are ids of records: shown as a number, not as a count.
_ID_DETAILS = {"participant_id", "link_id", "request_id", "source_id", "questionnaire_id", "activity",
               "agenda_item", "question", "section", "rapporteur"}


def detail_label(key):
    """The detail's name in words; a key nobody put into words yet reads as words ("new_thing" → "New thing")."""
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def detail_value(key, value, language, zone):
    """A detail's value as a reader of `language` reads it: yes/no, numbers in their digits, times in `zone`
    with its name, codes (roles, countries, languages) in words, lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in _ID_DETAILS and isinstance(value, int):
        return _("no. %(number)s", number=value)
    if isinstance(value, (int, float)):
        return format_decimal(value, locale=language)
    if isinstance(value, list):
        return ", ".join(detail_value(key, item, language, zone) for item in value) or "—"
    if isinstance(value, dict):
        # A text in several languages ({"es": …, "fr": …}) names its languages, not their codes.
        return "; ".join(f"{language_name(k, language) if k in SUPPORTED_LANGUAGES else detail_label(k)}: "
                         f"{detail_value(k, v, language, zone)}" for k, v in sorted(value.items()))
    value = str(value)
    if key == "role" and value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    if key in ("country_code", "country") and len(value) == 2 and value.isupper():
        return country_name(value, language)
    if key == "language" and len(value) == 2:
        return language_name(value, language)
    moment = _moment(value)
    if moment is not None:
        return when(moment, zone, language)
    return value


def _moment(text):
    """An ISO date-time the details stored (with its offset, or UTC), or None for any other text."""
    if len(text) < 16 or text[4:5] != "-" or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def details_text(details, language, zone):
    """[(detail in words, value as text)] of an event's details, in the order of their words."""
    return sorted((detail_label(key), detail_value(key, value, language, zone))
                  for key, value in (details or {}).items())


def describe_object(event, objects, language):
    """(kind in words, description or None when the object is gone, (endpoint, arguments) or None)."""
    kind = _kinds().get(event.object_type)
    obj = objects.get((event.object_type, event.object_id))
    if kind is None or obj is None:
        return object_type_label(event.object_type), None, None
    return kind.label, kind.describe(obj, language), kind.link(obj)
