"""A program's certificate settings: the rules, the wording, signatories and logos, and a specimen PDF."""
from datetime import datetime, timezone

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from training.access import actor_id, permission_required, program_or_404
from training.labels import current_language
from training.services_activities import program_activities
from training.web import send_pdf
from transactions import writes

from . import bp
from .forms import SettingsForm
from .models import MAX_LOGOS, MAX_SIGNATORIES, Certificate
from .services import questionnaire_kinds, save_artwork, save_settings, settings_for
from .services_issuing import artwork
from .texts import document_for, facts_for, languages_for

IMAGE_PROBLEMS = {
    "too_large": lambda: _("The image is too large (at most 2 MB and 4000 × 4000 pixels)."),
    "not_an_image": lambda: _("This file is not an image we can read."),
    "wrong_format": lambda: _("Upload a PNG or JPEG image."),
}
SPECIMEN_NAME = "María de los Ángeles Hernández-Núñez"


@bp.route("/programs/<int:program_id>/certificates/settings", methods=["GET", "POST"])
@permission_required("certificates.issue")
@writes
def certificate_settings(program_id):
    program = program_or_404(program_id)
    settings = settings_for(program)
    activities = program_activities(program)
    signatories, logos = artwork(program)
    form_class = SettingsForm.for_languages(program.languages)
    form = form_class() if request.method == "POST" else _filled_form(form_class, settings, activities, signatories)
    form.required_activities.choices = [(a.id, f"{a.code} · {a.title_in(current_language())}") for a in activities]
    if form.validate_on_submit():
        images = _read_images(form)
        if images is not None:
            save_settings(program, actor_id(), **_values(form, activities, settings))
            save_artwork(program, actor_id(), _signatory_values(form, images, signatories), _logo_values(form, images))
            flash(_("Certificate settings saved."), "success")
            return redirect(url_for("certificates.certificate_settings", program_id=program.id))
    return render_template("certificates/settings.html", program=program, form=form, signatories=signatories,
                           logos={logo.position: logo for logo in logos}, max_signatories=MAX_SIGNATORIES,
                           max_logos=MAX_LOGOS, kinds=questionnaire_kinds(program))


def _filled_form(form_class, settings, activities, signatories):
    chosen = settings.required_activity_ids
    data = {
        "required_activities": chosen if chosen is not None else [a.id for a in activities if a.required],
        "excused_counts": settings.excused_counts, "pre_test_required": settings.pre_test_required,
        "post_test_required": settings.post_test_required,
        "min_post_score": settings.min_post_score, "min_share": settings.min_share, "hours": settings.hours,
        "language_mode": settings.language_mode,
        **{f"signatory_{signatory.position}_name": signatory.name for signatory in signatories},
    }
    form = form_class(data=data)
    form.fill("place", settings.place)
    form.fill("issuer", settings.issuer)
    for signatory in signatories:
        form.fill(f"signatory_{signatory.position}_title", signatory.title)
    return form


def _values(form, activities, settings):
    chosen = sorted(form.required_activities.data or [])
    default = sorted(a.id for a in activities if a.required)
    return {
        # Kept as "the activities marked required" while that is what was chosen, so a later change of the
        # activities' required flag carries through.
        "required_activity_ids": None if chosen == default else chosen,
        "excused_counts": form.excused_counts.data, "pre_test_required": form.pre_test_required.data,
        "post_test_required": form.post_test_required.data,
        "min_post_score": form.min_post_score.data, "min_share": form.min_share.data, "hours": form.hours.data,
        "place": _kept(form, "place", settings.place), "issuer": _kept(form, "issuer", settings.issuer),
        "language_mode": form.language_mode.data,
    }


def _read_images(form):
    """field name → normalized PNG for every uploaded image; None (with the error by its field) if one is refused."""
    from .images import ImageProblem, normalized_png  # Pillow: loaded by the settings' form, not by the app

    images, ok = {}, True
    names = [f"signatory_{n}_image" for n in range(1, MAX_SIGNATORIES + 1)] + \
        [f"logo_{n}" for n in range(1, MAX_LOGOS + 1)]
    for name in names:
        upload = form[name].data
        if not upload or not getattr(upload, "filename", ""):
            continue
        try:
            images[name] = normalized_png(upload.read(2 * 1024 * 1024 + 1))
        except ImageProblem as problem:
            form[name].errors = [IMAGE_PROBLEMS[problem.code]()]
            ok = False
    return images if ok else None


def _kept(form, name, stored):
    """The texts typed in the form's languages, and the stored ones in languages the program no longer offers (they
    come back should it offer them again)."""
    return {**{code: text for code, text in (stored or {}).items() if code not in form.languages},
            **form.localized(name)}


def _signatory_values(form, images, signatories):
    """position → (name, {language: position}, image bytes | None to keep | b"" to remove); empty name: none."""
    values, titles = {}, {signatory.position: signatory.title for signatory in signatories}
    for n in range(1, MAX_SIGNATORIES + 1):
        image = images.get(f"signatory_{n}_image")
        if image is None and form[f"signatory_{n}_remove_image"].data:
            image = b""
        values[n] = (form[f"signatory_{n}_name"].data or "", _kept(form, f"signatory_{n}_title", titles.get(n)), image)
    return values


def _logo_values(form, images):
    """position → image bytes (new), b"" (remove) or None (keep)."""
    return {n: images.get(f"logo_{n}") or (b"" if form[f"logo_{n}_remove"].data else None)
            for n in range(1, MAX_LOGOS + 1)}


@bp.route("/programs/<int:program_id>/certificates/specimen.pdf")
@permission_required("certificates.issue")
def certificate_specimen(program_id):
    """A certificate as the settings would print it now, for an invented participant (nothing is stored)."""
    from .pdf import certificate_pdf  # reportlab: loaded by what draws, not by the app

    program = program_or_404(program_id)
    settings = settings_for(program)
    person = _SpecimenPerson(language=current_language())
    # The serial says what it is: a printed specimen must never pass for a certificate.
    specimen = Certificate(serial=_("SPECIMEN, NOT VALID"), code="specimen-" + "0" * 23,
                           languages=languages_for(program, settings, person),
                           facts=facts_for(program, settings, program_activities(program), person),
                           issued_at=datetime.now(timezone.utc))
    signatories, logos = artwork(program)
    document = document_for(specimen, program.timezone, signatories, logos, current_app.config["PUBLIC_URL"])
    return send_pdf(certificate_pdf(document), f"{program.code}-specimen.pdf")


class _SpecimenPerson:
    full_name = SPECIMEN_NAME

    def __init__(self, language):
        self.language = language
