"""Certificates: who qualifies and why not, issuing, the PDF with its QR code, bulk download, public checks."""
from flask import Blueprint

bp = Blueprint("certificates", __name__)

from . import (  # noqa: E402,F401  (tables and routes register)
    models,
    views,
    views_certificate,
    views_public,
    views_settings,
)


def init_app(app):
    """Register the blueprint, its command, its task and what it adds to training's hooks: the demo's
    certificates, the certificates' section of personal data, the certificate card of the participant's page, their
    certificates in a person's history across programs, the certificates' facts of the program's lifecycle, who
    completed and who is certified (the portfolio's outcomes), the certificate design's part of a program's copy,
    the drawing job and its scheduled look for waiting PDFs (create_app calls it last)."""
    from flask_babel import lazy_gettext as _l

    from training.hooks import (
        add_demo_part,
        add_lifecycle_facts,
        add_my_page_card,
        add_outcomes,
        add_person_history,
        add_program_copier,
        add_questionnaire_notes,
    )

    from . import services_history, services_lifecycle, services_privacy, tasks
    from .cli import register_cli
    from .demo import load_demo_certificates
    from .services_copy import copy_certificate_design

    app.register_blueprint(bp)
    register_cli(app)
    add_demo_part(app, load_demo_certificates)
    services_privacy.register(app)
    add_my_page_card(app, "certificate", views_public.my_page_card)
    add_questionnaire_notes(app, views_public.questionnaire_notes)
    add_person_history(app, "certificate", _l("Certificate"), services_history.certificate_texts)
    add_lifecycle_facts(app, "certificates", services_lifecycle.lifecycle_facts)
    add_outcomes(app, services_lifecycle.outcomes)
    add_program_copier(app, "certificates", _l("Certificate rules and design: wording, signatories and logos"),
                       copy_certificate_design)
    tasks.init_app(app)
