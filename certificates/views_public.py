"""What needs no staff login: the public verification page behind the QR code, and a participant's own download."""
import re
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from extensions import configured_limit, db, limit_misses, limiter
from training.access import no_store, participant_required
from training.labels import current_language, number
from training.models import utcnow
from training.schedule import when
from training.web import send_pdf
from transactions import catches_up

from . import bp
from .models import Certificate
from .services import (
    certificate_by_code,
    issuing_opens,
    participant_row,
    questionnaire_kinds,
    rules_for,
    settings_for,
)
from .services_issuing import pdf_of
from .texts import activity_names, reason_text, shown_facts

CODE_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@bp.route("/verify", methods=["GET"])
@limiter.limit(configured_limit("VERIFY_RATE_LIMIT"))
def verify_form():
    """A box to type the code printed under the QR code, for someone holding a paper copy."""
    # People paste the whole printed address, sometimes broken over two lines: keep what follows the last "/".
    code = "".join((request.args.get("code") or "").split()).rstrip("/").rsplit("/", 1)[-1]
    if code:
        return redirect(url_for("certificates.verify", code=code))
    return no_store(render_template("certificates/verify_form.html"))


@bp.route("/verify/<code>")
@limiter.limit(configured_limit("VERIFY_RATE_LIMIT"))
@limit_misses("VERIFY_MISSES_RATE_LIMIT")
def verify(code):
    """The facts of a certificate (valid or revoked) from the database, so an edited PDF cannot pass. Unknown and
    malformed codes get one and the same answer."""
    certificate = certificate_by_code(code) if CODE_SHAPE.match(code) else None
    if certificate is None:
        return no_store(render_template("certificates/verify.html", certificate=None), 404)
    program, language = certificate.program, current_language()
    revoked_on = format_date(certificate.revoked_at.astimezone(ZoneInfo(program.timezone)).date(), "long",
                             locale=language) if certificate.revoked_at else ""
    return no_store(render_template("certificates/verify.html", certificate=certificate, facts=certificate.facts,
                                    shown=shown_facts(certificate, language, program.timezone),
                                    revoked_on=revoked_on))


@bp.route("/me/certificate.pdf")
@participant_required
@catches_up  # an interrupted issue's PDF is drawn here, then stored
def my_certificate():
    certificate = db.session.scalar(select(Certificate).where(Certificate.participant_id == g.participant.id,
                                                              Certificate.revoked_at.is_(None)))
    if certificate is None:
        message = _("You have no certificate yet. Your page lists what is still missing.")
        return no_store(render_template("error.html", code=404, message=message), 404)
    return send_pdf(pdf_of(certificate), f"{certificate.serial}.pdf")


def questionnaire_notes(participant, questionnaire):
    """What the participant's certificate asks of this test, in words: the test intro says it, whatever the
    questionnaire's own intro text says."""
    rules = rules_for(settings_for(participant.program), [], questionnaire_kinds(participant.program))
    if questionnaire.kind == "pre" and rules.pre_test_required:
        return [_("Your certificate requires this questionnaire to be submitted; your score does not count.")]
    if questionnaire.kind == "post" and rules.post_test_required:
        if rules.min_post_score is not None:
            return [_("Your certificate requires this questionnaire to be submitted with a score of at least "
                      "%(score)s%%.", score=number(rules.min_post_score))]
        return [_("Your certificate requires this questionnaire to be submitted; your score does not count.")]
    if questionnaire.kind in ("pre", "post"):
        return [_("This questionnaire is not required for your certificate.")]
    return []


def my_page_card(participant, activities):
    """The certificate card of the participant's own page: (status, certificate, what is still missing in words,
    when certificates can be issued if that is still ahead)."""
    program = participant.program
    row, rules = participant_row(program, participant, activities)
    language = current_language()
    names = activity_names(activities, language)
    opens = issuing_opens(program, activities, rules) if row.status == "eligible" else None
    ahead = when(opens[1], participant.timezone, language) if opens and utcnow() < opens[1] else ""
    return row.status, row.certificate, [reason_text(missing, names) for missing in row.decision.missing], ahead
