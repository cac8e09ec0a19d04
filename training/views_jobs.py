"""A job's progress as the page that started it polls it (JSON), scoped like the work it does."""
from flask import abort, current_app, jsonify

from extensions import db

from . import bp
from .access import can, permission_required, program_or_404
from .hooks import hooks
from .models_jobs import Job
from .web import job_text


@bp.route("/programs/<int:program_id>/jobs/<int:job_id>")
@permission_required("programs.view")
def job_status(program_id, job_id):
    program = program_or_404(program_id)
    job = db.session.get(Job, job_id)
    kind = hooks(current_app).job_kinds.get(job.kind) if job is not None else None
    if kind is None or job.program_id != program.id or not can(kind.permission) \
            or (kind.allowed is not None and not kind.allowed(job)):
        abort(404)
    done = job.status == "done" and kind.result_url is not None
    response = jsonify(status=job.status, done=job.done, total=job.total, active=job.active,
                       text=job_text(job), result_url=kind.result_url(job) if done else None)
    response.headers["Cache-Control"] = "no-store"
    return response
