"""What certificates adds to the program's lifecycle: saved settings, who is eligible, what was issued (training's
hook)."""
from sqlalchemy import select

from extensions import db
from training.lifecycle_facts import CertificateFacts
from training.models import Participant
from training.services_lifecycle import active_participants_of

from .models import CertificateSettings
from .services import count_waiting, eligibility_rows, rows_for


def lifecycle_facts(program, country_code):
    """lifecycle.CertificateFacts among the active participants of `country_code` (every country when None)."""
    people = active_participants_of(program, country_code)
    rows = eligibility_rows(program, people)
    return CertificateFacts(settings_saved=db.session.get(CertificateSettings, program.id) is not None,
                            eligible=sum(row.status == "eligible" for row in rows),
                            issued=sum(row.status == "issued" for row in rows),
                            waiting=count_waiting(program, people))


def outcomes(program, participant_ids):
    """participant id → {"completed"} when they meet the program's completion rule, plus "certified" when they hold
    a valid certificate (training's hook, for the portfolio's indicators)."""
    wanted = set(participant_ids)
    people = [person for person in db.session.scalars(select(Participant).where(Participant.program_id == program.id))
              if person.id in wanted]  # filtered here: a program's thousands of ids would pass SQLite's limit
    found = {}
    for row in rows_for(program, people):
        found[row.participant.id] = ({"completed"} if row.decision.eligible else set()) | (
            {"certified"} if row.status == "issued" else set())
    return found
