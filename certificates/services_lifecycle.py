"""What certificates adds to the program's lifecycle: saved settings, who is eligible, what was issued (training's
hook)."""
from extensions import db
from training.lifecycle_facts import CertificateFacts
from training.services_lifecycle import active_participants_of

from .models import CertificateSettings
from .services import count_waiting, eligibility_rows


def lifecycle_facts(program, country_code):
    """lifecycle.CertificateFacts among the active participants of `country_code` (every country when None)."""
    people = active_participants_of(program, country_code)
    rows = eligibility_rows(program, people)
    return CertificateFacts(settings_saved=db.session.get(CertificateSettings, program.id) is not None,
                            eligible=sum(row.status == "eligible" for row in rows),
                            issued=sum(row.status == "issued" for row in rows),
                            waiting=count_waiting(program, people))
