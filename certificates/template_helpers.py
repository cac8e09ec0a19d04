"""What the participant's own page shows about their certificate: ready to download, or what is still missing."""
from flask import g

from training.labels import current_language
from training.services_activities import program_activities

from . import bp
from .services import rows_for
from .texts import activity_names, reason_text


@bp.app_context_processor
def inject():
    return {"participant_certificate": _participant_certificate}


def _participant_certificate(activities=None):
    """(status, certificate, reasons) for the signed-in participant; None elsewhere. `activities`: the program's,
    when the page has them already (its own page loads them for the agenda)."""
    participant = g.get("participant")
    if participant is None:
        return None
    if activities is None:
        activities = program_activities(participant.program)
    row = rows_for(participant.program, [participant], activities)[0]
    names = activity_names(activities, current_language())
    return row.status, row.certificate, [reason_text(missing, names) for missing in row.decision.missing]
