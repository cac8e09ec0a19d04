"""Who qualifies and why not (with counts, filters and exports), issuing, e-mailing and the bulk download."""
import io
from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from extensions import db
from task_queue import task_name
from training.access import actor_id, can, permission_required, program_or_404, scoped_participants
from training.labels import current_language, delegation_label
from training.models import Participant, utcnow
from training.schedule import when
from training.services import ServiceError, record
from training.services_activities import program_activities
from training.services_jobs import latest_job
from training.web import delegation_choices, export_separator, job_text, send_export, start_messages
from transactions import writes

from . import bp
from .bundle import zip_bytes
from .forms import DrawForm, EmailForm, FilterForm, IssueForm
from .services import count_waiting, eligibility_rows, holder_ids, issued_certificates, issuing_opens
from .services_issuing import TooEarly, certificate_files, issue
from .tasks import draw_certificates as drawing_task
from .tasks import start_drawing
from .texts import STATUS_LABELS, activity_names, reason_text

SHOW_FINISHED = timedelta(minutes=30)  # a drawing that ended longer ago: its outcome is in the list itself


@bp.route("/programs/<int:program_id>/certificates")
@permission_required("certificates.follow")
def eligibility_screen(program_id):
    program = program_or_404(program_id)
    form, rows, all_rows = _filtered_rows(program)
    counts = {status: sum(1 for row in all_rows if row.status == status) for status in STATUS_LABELS}
    counts["conflict"] = sum(1 for row in all_rows if row.conflict)
    job = _drawing_job(program)
    return render_template("certificates/eligibility.html", program=program, form=form, rows=rows, counts=counts,
                           reasons=_reasons(program, rows), status_labels=STATUS_LABELS,
                           waiting=count_waiting(program, scoped_participants(program)),
                           early=_issuing_opens(program), issue_form=IssueForm(formdata=None),
                           job=job, job_text=job_text(job) if job else "")


def _drawing_job(program):
    """The drawing job to show: one under way, or one that ended in the last half hour (for who may draw)."""
    if not can("certificates.issue"):
        return None
    job = latest_job([task_name(drawing_task)], program)
    if job is not None and not job.active and utcnow() - (job.finished_at or job.updated_at) > SHOW_FINISHED:
        return None
    return job


def _filtered_rows(program):
    """The filter form, the rows it keeps, and every row the user may see (for the counts)."""
    form = FilterForm(request.args, delegations=delegation_choices(program))
    if not form.validate():  # a tampered value drops only its own filter
        for field in form:
            if field.errors:
                field.data = ""
    query = scoped_participants(program)
    all_rows = eligibility_rows(program, query)
    rows = all_rows
    if form.delegation.data:
        rows = [row for row in rows if str(row.participant.delegation_id) == form.delegation.data]
    if form.status.data == "conflict":
        rows = [row for row in rows if row.conflict]
    elif form.status.data:
        rows = [row for row in rows if row.status == form.status.data]
    return form, rows, all_rows


def _reasons(program, rows):
    """participant id → the reasons in words (activities named by code and title in the reader's language)."""
    names = activity_names(program_activities(program), current_language())
    words = {}  # most reasons repeat ("Post-test not submitted"): translate each once, not once per person
    for row in rows:
        for missing in row.decision.missing:
            if missing not in words:
                words[missing] = reason_text(missing, names)
    return {row.participant.id: [words[missing] for missing in row.decision.missing] for row in rows}


@bp.route("/programs/<int:program_id>/certificates.<any(csv, xlsx):file_format>")
@permission_required("certificates.follow")
def eligibility_export(program_id, file_format):
    program = program_or_404(program_id)
    _form, rows, _all = _filtered_rows(program)
    reasons, language = _reasons(program, rows), current_language()
    headers = [_("Family names"), _("Given names"), _("E-mail"), _("Delegation"), _("Status"),
               _("What is missing"), _("Serial"), _("Issued"), _("Revoked"), _("Reason for revoking")]
    table = [[row.participant.family_names, row.participant.given_names, row.participant.email,
              delegation_label(row.participant.delegation, language), str(STATUS_LABELS[row.status]),
              "; ".join(reasons[row.participant.id]),
              row.certificate.serial if row.certificate else "",
              row.certificate.issued_at.date().isoformat() if row.certificate else "",
              row.certificate.revoked_at.date().isoformat() if row.certificate and row.certificate.revoked_at else "",
              row.certificate.revoked_reason or "" if row.certificate else ""] for row in rows]
    return send_export(file_format, headers, table, f"{program.code}-certificates.{file_format}", program,
                       sheet_title=program.code)


@bp.route("/programs/<int:program_id>/certificates/issue", methods=["POST"])
@permission_required("certificates.issue")
@writes
def issue_certificates(program_id):
    """Issue (the decision, audited, in this request); the worker then draws the PDFs and the page follows it."""
    program = program_or_404(program_id)
    form = IssueForm()
    back = redirect(url_for("certificates.eligibility_screen", program_id=program.id))
    if not form.validate_on_submit():
        abort(400)
    people = _chosen_people(program, None if form.everyone.data else form.participant_ids.data)
    if not people:
        flash(_("Tick the participants to issue certificates to, or choose every eligible participant."), "error")
        return back
    try:
        result = issue(program, people, actor_id(), override_reason=form.reason(), draw=False)
    except TooEarly as refusal:
        db.session.rollback()
        flash(_too_early_message(program, refusal, form.override.data), "error")
        return back
    except ServiceError:  # another issuer got there first
        db.session.rollback()
        flash(_("Someone issued certificates at the same moment. Look at the list and try again."), "error")
        return back
    flash(ngettext("%(num)s certificate issued.", "%(num)s certificates issued.", len(result.created)), "success")
    if result.existing and not form.everyone.data:
        flash(ngettext("%(num)s already had a certificate (kept as it was).",
                       "%(num)s already had a certificate (kept as they were).", len(result.existing)), "info")
    if result.refused and not form.everyone.data:
        flash(ngettext("%(num)s could not get one: not eligible, or their certificate was revoked.",
                       "%(num)s could not get one: not eligible, or their certificate was revoked.",
                       len(result.refused)), "error")
    if count_waiting(program):
        _start_drawing(program)
    return back


@bp.route("/programs/<int:program_id>/certificates/draw", methods=["POST"])
@permission_required("certificates.issue")
@writes
def draw_certificates(program_id):
    """Start drawing the PDFs still waiting (after a drawing that failed; the worker also looks every minute)."""
    program = program_or_404(program_id)
    if not DrawForm().validate_on_submit():
        abort(400)
    if count_waiting(program):
        _start_drawing(program)
    else:
        flash(_("Every issued certificate has its PDF."), "success")
    return redirect(url_for("certificates.eligibility_screen", program_id=program.id))


def _too_early_message(program, refusal, ticked):
    ends = when(refusal.ends_at, program.timezone, current_language())
    activity = f"{refusal.activity.code} · {refusal.activity.title_in(current_language())}"
    if ticked:
        return _("No certificate was issued: say why they are issued before %(when)s, when %(activity)s ends.",
                 when=ends, activity=activity)
    return _("No certificate was issued: the last activity that counts, %(activity)s, ends on %(when)s. To issue "
             "before then, tick “Issue before the end” and say why.", activity=activity, when=ends)


def _issuing_opens(program):
    """(activity in words, when in words) while the last counted activity has not ended, else None."""
    opens = issuing_opens(program)
    if opens is None or utcnow() >= opens[1]:
        return None
    language = current_language()
    activity, ends_at = opens
    return f"{activity.code} · {activity.title_in(language)}", when(ends_at, program.timezone, language)


def _start_drawing(program):
    """The worker draws the waiting PDFs (joining the drawing already under way); starting it is recorded."""
    job, started = start_drawing(program, actor_id())
    if started:
        record(actor_id(), "certificates.drawing_started", program, waiting=job.total)
    flash(_("The certificates' PDFs are being drawn; this page shows how far it has got."), "info")


def _waiting_message(count):
    return ngettext("%(num)s certificate is still waiting for its PDF: it is being drawn, try again in a moment.",
                    "%(num)s certificates are still waiting for their PDF: they are being drawn, try again in a "
                    "moment.", count)


def _chosen_people(program, ids):
    """The participants the user may see among `ids` (None: all of them); an id outside that is a 404."""
    query = scoped_participants(program).where(Participant.status != "withdrawn")
    if ids is None:
        return db.session.scalars(query).all()
    people = db.session.scalars(query.where(Participant.id.in_(set(ids)))).all()
    if len(people) != len(set(ids)):
        abort(404)
    return people


@bp.route("/programs/<int:program_id>/certificates/email", methods=["POST"])
@permission_required("certificates.issue")
@writes
def email_certificates(program_id):
    """Tell holders their certificate is ready, with their personal link, through the invitation queue."""
    program = program_or_404(program_id)
    form = EmailForm()
    if not form.validate_on_submit():
        abort(400)
    holders = holder_ids(program)
    people = [p for p in _chosen_people(program, form.participant_ids.data or None) if p.id in holders]
    back = redirect(url_for("certificates.eligibility_screen", program_id=program.id))
    if not people:
        flash(_("Nobody chosen holds a valid certificate: no message was sent."), "info")
        return back
    start_messages(program, "certificate", people)
    return back


@bp.route("/programs/<int:program_id>/certificates.zip")
@permission_required("certificates.follow")
def certificates_zip(program_id):
    """Every valid certificate the user may see, named by country and surname, with a register of serials and codes."""
    program = program_or_404(program_id)
    back = redirect(url_for("certificates.eligibility_screen", program_id=program.id))
    certificates = issued_certificates(program, scoped_participants(program))
    waiting = sum(1 for certificate in certificates if certificate.pdf is None)
    if waiting:  # a ZIP missing some certificates would be a trap
        flash(_waiting_message(waiting), "error")
        return back
    if not certificates:
        flash(_("No certificate has been issued yet."), "info")
        return back
    files, headers, rows = certificate_files(certificates, current_language(), current_app.config["PUBLIC_URL"])
    content = zip_bytes(files, f"{program.code}-register.csv", headers, rows, export_separator(program))
    return send_file(io.BytesIO(content), mimetype="application/zip", as_attachment=True,
                     download_name=f"{program.code}-certificates.zip")
