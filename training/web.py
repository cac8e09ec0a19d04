"""The web steps views of every blueprint share: call a service or show its error, page, upload, download, start
sending messages, and the staged-upload pages; views import these, never another views module."""
import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

from flask import Response, abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from extensions import db

from . import schedule
from .access import actor_id, can, program_country_scope, scoped_delegations, visible_programs
from .calendar_files import CalendarEvent, calendar_bytes
from .exporting import MIMETYPES, separator_for, table_bytes
from .hooks import hooks
from .labels import AGENDA_KIND_LABELS, TABLE_PROBLEMS, current_language, delegation_label, number, problem_text
from .models import utcnow
from .services import ServiceError, record
from .services_jobs import start_job
from .services_uploads import WAITING, discard_upload, is_discarded
from .tasks import prepare_messages
from .textkeys import fold

WORKER_LATE = timedelta(minutes=1)

# --- Forms, lists and choices --------------------------------------------------------------------------------------


def call_or_show_error(form, action, success_message=None):
    """Run `action` (one service call, in a route that declares @writes). On success flash and return
    (True, result); on a ServiceError roll back, put the message next to its field and return (False, None)."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(error.message)
        return False, None
    if success_message is not None:
        flash(success_message(result) if callable(success_message) else success_message, "success")
    return True, result


def program_scopes():
    """Program id → the country the logged-in staff member sees there (None: every delegation), for each program
    they may see: all a person's history across programs may show them."""
    return {program.id: program_country_scope(program) for program in visible_programs()}


def page_window(total, page_size):
    """(page, pages) for a list of `total` rows: ?page= clamped to the pages that exist, whatever was typed."""
    pages = max((total + page_size - 1) // page_size, 1)
    return min(max(request.args.get("page", 1, type=int), 1), pages), pages


def delegation_choices(program):
    """(id, name) of the program's delegations the user may see: member countries first, then observer
    organizations, each by name in the viewer's language."""
    language = current_language()
    delegations = db.session.scalars(scoped_delegations(program)).all()
    ordered = sorted(delegations, key=lambda d: (d.kind != "member", fold(delegation_label(d, language))))
    return [(d.id, delegation_label(d, language)) for d in ordered]


def erased_redirect(participant):
    """Where a page that edits a participant sends you once their data is erased (nothing is left to edit)."""
    flash(_("This participant's personal data was erased: there is nothing to edit."), "info")
    if can("privacy.manage"):
        return redirect(url_for("training.personal_data", participant_id=participant.id))
    return redirect(url_for("training.participants", program_id=participant.program_id))


def start_messages(program, kind, people, not_invited=False, **params):
    """Ask the worker to write a message of `kind` to each of `people` (in their language) and send them: the request
    records the decision and returns at once. While messages of that kind are being written for the program, a
    second request is refused (it could invite someone twice); True when it was accepted."""
    ids = [person.id for person in people]
    job, started = start_job(prepare_messages, program, actor_id(), key=kind, total=len(ids),
                             params={"kind": kind, "participant_ids": ids, "actor_id": actor_id(),
                                     "not_invited": not_invited, **params})
    if not started:
        flash(_("Messages of this kind are being prepared for this program right now: wait a moment and send "
                "again (nobody receives one twice)."), "info")
        return False
    record(actor_id(), f"{kind}s.requested", program, count=len(ids), **params)
    flash(ngettext("%(num)s message is being prepared and sent.", "%(num)s messages are being prepared and sent.",
                   len(ids)), "success")
    return True


def job_text(job):
    """What a job's progress reads like for the person waiting for it."""
    kind = hooks(current_app).job_kinds[job.kind]
    if job.status == "queued":
        if utcnow() - job.created_at > WORKER_LATE:
            return _("Waiting for the worker: it has not started this after a minute. If it does not start soon, "
                     "ask the administrator whether the worker (flask worker) is running.")
        return _("Waiting to start…")
    if job.status == "failed":
        return _("This could not be done: %(error)s. Nothing done so far is lost; you can start it again.",
                 error=job.error or _("the worker stopped"))
    return kind.running(job) if job.status == "running" else kind.finished(job)


# --- Downloads -----------------------------------------------------------------------------------------------------


def export_separator(program=None):
    """The CSV delimiter the download asked for (?sep=semicolon|comma), else the one Excel expects in the program's
    default language (outside a program, in the reader's)."""
    language = program.default_language if program is not None else current_language()
    return separator_for(request.args.get("sep"), language)


def send_export(file_format, headers, rows, download_name, program=None, sheet_title="Data", numbers=False):
    """A table as a CSV (separated as export_separator says) or XLSX download: every export's one way out."""
    content = table_bytes(file_format, headers, rows, sheet_title, numbers, export_separator(program))
    return send_table(content, file_format, download_name)


def send_table(content, file_format, download_name):
    """A CSV or XLSX file as a download."""
    return send_file(io.BytesIO(content), mimetype=MIMETYPES[file_format], as_attachment=True,
                     download_name=download_name)


def pdf_response(body, filename):
    """An agenda's PDF as a download."""
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def send_pdf(content, download_name):
    """A certificate's PDF (or its specimen) as a download."""
    return send_file(io.BytesIO(content), mimetype="application/pdf", as_attachment=True,
                     download_name=download_name)


def agenda_document(activities, program, language, zones):
    """Plain values for agenda_pdf: sessions with their items, times written in each of `zones`."""
    from .agenda_pdf import AgendaDocument, AgendaRow, AgendaSession  # reportlab: loaded by what draws an agenda

    def span(start, end, zone):
        shift = schedule.day_shift(start, zone, zones[0])  # "(+1)": the next day there
        marker = " (+1)" if shift > 0 else " (−1)" if shift < 0 else ""
        return f"{schedule.clock(start, zone, language)}–{schedule.clock(end, zone, language)}{marker}"

    labels = [schedule.zone_label(zone, language) for zone in zones]
    sessions = []
    for activity in (a for a in activities if a.starts_at and a.ends_at):
        when = (f"{schedule.day(activity.starts_at, zones[0], language)} · "
                f"{span(activity.starts_at, activity.ends_at, zones[0])} ({labels[0]})")
        rows = [AgendaRow([span(item.starts_at, item.ends_at, zone) for zone in zones],
                          str(AGENDA_KIND_LABELS[item.kind]), item.title_in(language), item.speakers,
                          item.facilitators) for item in activity.items]
        sessions.append(AgendaSession(f"{activity.code} · {activity.title_in(language)}", when, activity.link, rows))
    return AgendaDocument(program.title_in(language), sessions, zones=labels,
                          headers={"activity": _("Activity"), "facilitation": _("Facilitation")},
                          footer=_("Times in %(zones)s.", zones=" · ".join(labels)))


def activity_events(activities, language, zone):
    """Calendar events of the sessions that have times (where, what, the agenda in `zone`, the link), and an
    all-day event on each due date (courses), on its day in the program's zone."""
    events = []
    for activity in activities:
        name, uid = f"{activity.code} · {activity.title_in(language)}", f"{activity.program.code}-{activity.code}"
        if activity.starts_at and activity.ends_at:
            events.append(CalendarEvent(
                uid=f"{uid}-{activity.id}@capacita", starts_at=activity.starts_at, ends_at=activity.ends_at,
                summary=name, description=_session_description(activity, language, zone), url=activity.link,
                location=activity.location or activity.link))
        if activity.due_at:
            due_day = schedule.to_local(activity.due_at, activity.program.timezone).date()
            due = _("Due by %(when)s.", when=schedule.when(activity.due_at, zone, language))
            events.append(CalendarEvent(
                uid=f"{uid}-{activity.id}-due@capacita", starts_at=due_day, ends_at=due_day + timedelta(days=1),
                summary=_("Deadline: %(activity)s", activity=name), url=activity.link,
                description=_paragraphs(due, activity.description_in(language), _link_line(activity.link))))
    return events


def _session_description(activity, language, zone):
    """The activity's description, its agenda with times in `zone`, and its link."""
    clock = lambda moment: schedule.clock(moment, zone, language)  # noqa: E731
    agenda = "\n".join(f"{clock(item.starts_at)}–{clock(item.ends_at)} {item.title_in(language)}"
                       for item in activity.items)
    heading = _("Agenda (%(zone)s):", zone=schedule.zone_label(zone, language))
    return _paragraphs(activity.description_in(language), f"{heading}\n{agenda}" if agenda else "",
                       _link_line(activity.link))


def _link_line(link):
    return _("Link: %(link)s", link=link) if link else ""


def _paragraphs(*parts):
    return "\n\n".join(part for part in parts if part)


def ics_response(activities, program, name, zone=None, with_program_events=True):
    """A calendar file of `activities` in the page's language, times in descriptions in `zone` (by default the
    program's); with the program's other events (the questionnaires' closing times) unless told otherwise."""
    language, zone = current_language(), zone or program.timezone
    events = activity_events(activities, language, zone)
    if with_program_events:
        for load in hooks(current_app).calendar_sources.values():
            events += load(program, language, zone)
    body = calendar_bytes(events, name=program.title_in(language))
    return Response(body, mimetype="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.ics"'})


# --- Uploads -------------------------------------------------------------------------------------------------------


def max_upload_megabytes():
    return number(current_app.config["IMPORT_MAX_BYTES"] / 1024 / 1024, 1)


def read_limited_upload(file_storage):
    """The uploaded bytes, or None when the file is larger than IMPORT_MAX_BYTES (read no further than that)."""
    content = file_storage.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
    return None if len(content) > current_app.config["IMPORT_MAX_BYTES"] else content


def stored_upload_or_404(model, upload_id, *conditions):
    """A stored upload of `model` by id that meets `conditions` (whose it is; the caller checks the rest of the
    access); a discarded one is gone, like its file."""
    upload = db.session.scalar(select(model).where(model.id == upload_id, *conditions))
    if upload is None or is_discarded(upload):
        abort(404)
    return upload


def discard_stored_upload(upload, action, review_url, upload_url):
    """Discard a stored upload (the caller checked access) and go back to where its kind is uploaded; an imported
    one stays, and its review page says why."""
    filename = upload.filename
    if not discard_upload(upload, actor_id(), action):
        db.session.rollback()
        flash(_("%(filename)s was imported: its file stays as the record of that import.", filename=filename),
              "error")
        return redirect(review_url)
    flash(_("%(filename)s was discarded: nothing was imported from it, and its file is deleted.",
            filename=filename), "success")
    return redirect(upload_url)


def table_message(error):
    """Why a stored file cannot be read as a table (its TableError), as every review page says it."""
    return problem_text(TABLE_PROBLEMS, error.code, error.details)


@dataclass(frozen=True)
class UploadPages:
    """One kind of staged upload (participant lists, attendance reports, answer files), as its pages see it: its
    specifics are given once, the steps are the same for every kind (upload within the size limit, load it or 404,
    answer a confirmation that came second, discard). The callables take the upload, except `scope` and
    `applied_message`. Commits stay in the views."""

    model: type  # a StagedUpload model
    owner_or_404: Callable  # 404 (or 403) unless the user may work with what the upload belongs to
    review_url: Callable  # its review page
    upload_url: Callable  # where its kind is uploaded and those waiting are listed
    applied_url: Callable  # where a confirmation leads
    applied_message: Callable  # summary → what a confirmation says it did
    already_message: Any  # what a confirmation says when another came first; None: the first one's message again
    discarded_action: str  # the audit log's action for a discard
    default_filename: str  # for a file sent without a name
    scope: Callable = tuple  # () → conditions on which uploads of the kind the user sees at all

    def stage(self, field, store):
        """Read the form's file once, no further than IMPORT_MAX_BYTES, and keep it with `store(filename, content)`
        (the kind's service: it flushes, and a ServiceError it raises is about the file). The staged upload, or None
        with the reason under the field (the caller rolls back)."""
        content = read_limited_upload(field.data)
        if content is None:
            field.errors.append(problem_text(TABLE_PROBLEMS, "too_large", {"limit": max_upload_megabytes()}))
            return None
        try:
            return store(field.data.filename or self.default_filename, content)
        except ServiceError as error:
            field.errors.append(str(error.message))
            return None

    def get_or_404(self, upload_id):
        """The upload, if the user sees it and what it belongs to; a discarded one is gone (404)."""
        upload = stored_upload_or_404(self.model, upload_id, *self.scope())
        self.owner_or_404(upload)
        return upload

    def discard(self, upload_id):
        """Discard a waiting upload and go back to where its kind is uploaded; an imported one stays, and its
        review page says why."""
        upload = self.get_or_404(upload_id)
        return discard_stored_upload(upload, self.discarded_action, self.review_url(upload), self.upload_url(upload))

    def already_applied(self, upload):
        """For a confirmation of an upload another one confirmed first (a double click, a second tab): where it
        leads, saying so, before it changes anything. None while the upload waits."""
        return None if upload.status == WAITING else self.applied(upload, upload.summary, first=False)

    def applied(self, upload, summary, first):
        """Where a committed confirmation leads, saying what it did (or that another one came first)."""
        if first or self.already_message is None:
            flash(self.applied_message(summary), "success")
        else:
            flash(self.already_message, "notice")
        return redirect(self.applied_url(upload))
