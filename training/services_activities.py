"""Activities and their agendas: saved in UTC from times entered in the program's zone, checked for fit."""
from datetime import datetime
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from extensions import db

from .hooks import hooks
from .localized import compact
from .models import Activity, AgendaItem
from .schedule import LocalTimeError, Slot, agenda_problems, to_local, to_utc
from .services import ServiceError, record


def program_activities(program):
    """The program's activities in time order, with their agenda items (pages and PDFs list them all)."""
    return db.session.scalars(_activities_query(), {"program_id": program.id}).all()


@cache
def _activities_query():
    """Built once: a participant's page runs it on every visit."""
    return (select(Activity).where(Activity.program_id == bindparam("program_id"))
            .options(selectinload(Activity.items))
            .order_by(Activity.starts_at.is_(None), Activity.starts_at, Activity.due_at, Activity.code))


def save_activity(activity, actor_id, program, *, code, kind, required, title, description, day, start, end,
                  due_day, link, location, recording_link="", absent_notice_hours=None):
    """Create (activity=None) or update an activity; local times are read in the program's zone.
    `absent_notice_hours`: when, after the end, those marked absent are sent `recording_link` (None: never)."""
    code = code.strip().upper()
    clash = db.session.scalar(select(Activity.id).where(Activity.program_id == program.id, Activity.code == code))
    if clash is not None and (activity is None or clash != activity.id):
        raise ServiceError("code", _l("Another activity of this program uses this code."))
    creating = activity is None
    activity = activity or Activity(program_id=program.id)
    activity.code, activity.kind, activity.required = code, kind, required
    activity.title, activity.description = compact(title), compact(description)
    activity.link, activity.location = link.strip(), location.strip()
    activity.recording_link, activity.absent_notice_hours = recording_link.strip(), absent_notice_hours
    activity.starts_at = _utc(day, start, program.timezone, "start") if day and start else None
    activity.ends_at = _utc(day, end, program.timezone, "end") if day and end else None
    if activity.starts_at and activity.ends_at and activity.ends_at <= activity.starts_at:
        raise ServiceError("end", _l("The end must come after the start."))
    activity.due_at = _utc(due_day, datetime.max.time().replace(microsecond=0), program.timezone, "due_day") \
        if due_day else None
    db.session.add(activity)
    db.session.flush()
    record(actor_id, "activity.created" if creating else "activity.updated", activity, code=code,
           absent_notice_hours=absent_notice_hours)
    return activity


def save_agenda_item(item, actor_id, activity, *, start, end, kind, title, facilitators, speakers, notes,
                     parallel):
    """Create (item=None) or update an agenda item on the session's day; it must fit the session and not
    overlap another item unless one of them is marked parallel."""
    zone = activity.program.timezone
    day = _local_day(activity)
    starts_at, ends_at = _utc(day, start, zone, "start"), _utc(day, end, zone, "end")
    if ends_at <= starts_at:
        raise ServiceError("end", _l("The end must come after the start."))
    others = [Slot(i.id, i.starts_at, i.ends_at, i.parallel) for i in activity.items if item is None or i.id != item.id]
    # Only the new item's problems matter: an agenda saved earlier may hold overlaps someone accepted.
    existing = set(agenda_problems(others, activity.starts_at, activity.ends_at))
    found = {code for key, code in agenda_problems(others + [Slot("new", starts_at, ends_at, parallel)],
                                                    activity.starts_at, activity.ends_at)
             if (key, code) not in existing}
    if "outside" in found:
        raise ServiceError("start", _l("The item must fall within the session."))
    if "overlap" in found:
        raise ServiceError("start", _l("The item overlaps another one; mark one of them as parallel if intended."))
    creating = item is None
    if creating:
        item = AgendaItem()
        activity.items.append(item)
    moved = not creating and (item.starts_at, item.ends_at) != (starts_at, ends_at)
    item.starts_at, item.ends_at, item.kind, item.parallel = starts_at, ends_at, kind, parallel
    item.title, item.facilitators, item.speakers, item.notes = compact(title), facilitators, speakers, notes
    db.session.flush()
    record(actor_id, "agenda_item.created" if creating else "agenda_item.updated", item)
    if moved:  # what follows the slot (a questionnaire's window) moves with it
        for follow in hooks(current_app).agenda_item_moved:
            follow(item, actor_id)
    return item


def delete_agenda_item(item, actor_id):
    record(actor_id, "agenda_item.deleted", item)
    db.session.delete(item)
    db.session.flush()


def _local_day(activity):
    return to_local(activity.starts_at, activity.program.timezone).date()


def _utc(day, time, zone, field):
    try:
        return to_utc(datetime.combine(day, time), zone)
    except LocalTimeError as error:
        raise ServiceError(field, _l("This time does not exist in %(zone)s (the clocks skip it).", zone=zone)) \
            from error
