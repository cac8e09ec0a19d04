"""The audit log for the executive secretariat: who changed what and when, filtered, paged, exported."""
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import render_template, request, url_for
from flask_babel import gettext as _

from . import bp
from .access import permission_required
from .forms_privacy import AuditFilterForm
from .labels import current_language
from .schedule import zone_label
from .services_audit import (
    SYSTEM,
    AuditFilters,
    action_label,
    all_programs,
    audit_query,
    audited_objects,
    count_events,
    describe_object,
    details_text,
    events_with_users,
    recorded_actions,
    staff_accounts,
)
from .textkeys import as_id
from .timezones import is_timezone
from .web import page_window, send_export

PAGE_SIZE = 50
FILTER_FIELDS = ("program", "user", "action", "since", "until", "tz")


@bp.route("/audit")
@permission_required("audit.read")
def audit_log():
    form, filters, zone, programs = _read_filters()
    query = audit_query(filters)
    total = count_events(query)
    page, pages = page_window(total, PAGE_SIZE)
    rows = _shown(events_with_users(query, PAGE_SIZE, (page - 1) * PAGE_SIZE), zone, programs)
    return render_template("training/audit_log.html", form=form, rows=rows, total=total, page=page, pages=pages,
                           filters=_kept(form), zone_name=zone_label(zone, current_language()))


@bp.route("/audit/export.<any(csv, xlsx):file_format>")
@permission_required("audit.read")
def audit_export(file_format):
    form, filters, zone, programs = _read_filters()
    rows = _shown(events_with_users(audit_query(filters)), zone, programs)
    headers = [_("When (%(zone)s)", zone=zone), _("Who"), _("E-mail"), _("Action"), _("Action code"), _("Object"),
               _("Object id"), _("Program"), _("Details")]
    table = [[row["when"], row["who"] or _("The system (or a deleted account)"), row["email"], row["action"],
              row["code"], f"{row['kind']} · {row['description'] or _('(no longer exists)')}", row["object_id"],
              row["program"], "; ".join(f"{key}: {value}" for key, value in row["details"])] for row in rows]
    return send_export(file_format, headers, table, f"audit-log.{file_format}", sheet_title=_("Audit log"))


def _read_filters():
    """The filter form from the query string; a bad value drops only its own filter, with its error shown."""
    programs = all_programs()
    form = AuditFilterForm(request.args, programs=programs, users=staff_accounts(), actions=recorded_actions())
    form.validate()

    def valid(field):
        return field.data if field.data and not field.errors else None

    program_id = as_id(valid(form.program) or "")
    chosen = next((p for p in programs if p.id == program_id), None)
    zone = valid(form.tz) if is_timezone(valid(form.tz) or "") else (chosen.timezone if chosen else "UTC")
    user = valid(form.user)
    filters = AuditFilters(
        program_id=program_id, user=user if user == SYSTEM else as_id(user or ""), action=valid(form.action),
        since=_start_of(valid(form.since), zone), until=_start_of(valid(form.until), zone, days=1))
    return form, filters, zone, {p.id: p.code for p in programs}


def _start_of(day, zone, days=0):
    """Midnight (in `zone`) starting `day` + `days`, in UTC; the 'until' day is included whole."""
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=days), time(), tzinfo=ZoneInfo(zone))


def _kept(form):
    """The valid filters, for the pager's and the downloads' links."""
    return {name: request.args[name] for name in FILTER_FIELDS
            if request.args.get(name) and not form[name].errors}


def _shown(rows, zone, programs):
    language = current_language()
    objects = audited_objects([event for event, _user in rows])
    shown = []
    for event, user in rows:
        kind, description, link = describe_object(event, objects, language)
        shown.append({
            "when": format_datetime(event.at, "medium", tzinfo=ZoneInfo(zone), locale=language),
            "who": user.name if user else None, "email": user.email if user else "",
            "action": str(action_label(event.action)), "code": event.action, "kind": str(kind),
            "description": description, "object_id": event.object_id,
            "url": url_for(link[0], **link[1]) if link else None,
            "program": programs.get(event.program_id, ""), "details": details_text(event.details, language, zone)})
    return shown
