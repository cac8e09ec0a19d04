"""The certificates part of a program's copy: its rules, wording, signatories and logos; never certificates, and
the new program's serials start from one."""
from copy import deepcopy

from sqlalchemy import select
from sqlalchemy.orm import undefer

from extensions import db

from .models import CertificateLogo, CertificateSettings, CertificateSignatory

_SETTINGS = ("excused_counts", "pre_test_required", "post_test_required", "min_post_score", "min_share", "hours",
             "language_mode")


def copy_certificate_design(plan):
    """`plan`: training.services_copy.CopyPlan. A rule naming activities names their copies; without copied
    activities it counts the activities marked required, as a new program's does."""
    settings = db.session.get(CertificateSettings, plan.source.id)
    if settings is not None:
        copy = CertificateSettings(program_id=plan.target.id, place=deepcopy(settings.place),
                                   issuer=deepcopy(settings.issuer), last_serial=0,
                                   required_activity_ids=_activities(settings.required_activity_ids, plan),
                                   **{name: getattr(settings, name) for name in _SETTINGS})
        db.session.add(copy)
    for s in _of(CertificateSignatory, plan.source.id, CertificateSignatory.image):
        db.session.add(CertificateSignatory(program_id=plan.target.id, position=s.position, name=s.name,
                                            title=deepcopy(s.title), image=s.image))
    for logo in _of(CertificateLogo, plan.source.id, CertificateLogo.image):
        db.session.add(CertificateLogo(program_id=plan.target.id, position=logo.position, image=logo.image))


def _activities(ids, plan):
    if ids is None or not plan.activity_ids:
        return None
    return [plan.activity_ids[i] for i in ids if i in plan.activity_ids]


def _of(model, program_id, image):
    return db.session.scalars(select(model).where(model.program_id == program_id).options(undefer(image))
                              .order_by(model.position)).all()
