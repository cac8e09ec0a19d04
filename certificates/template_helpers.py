"""What the participant's own page shows about their certificate: ready to download, or what is still missing."""
from flask import g

from training.labels import current_language
from training.services_activities import program_activities

from . import bp
from .services import rows_for
from .texts import reason_text


@bp.app_context_processor
def inject():
    return {"participant_certificate": _participant_certificate}


def _participant_certificate():
    """(status, certificate, reasons) for the signed-in participant; None elsewhere."""
    participant = g.get("participant")
    if participant is None:
        return None
    activities = program_activities(participant.program)
    row = rows_for(participant.program, [participant], activities)[0]
    language = current_language()
    names = {a.id: f"{a.code} · {a.title_in(language)}" for a in activities}
    return row.status, row.certificate, [reason_text(missing, names) for missing in row.decision.missing]
