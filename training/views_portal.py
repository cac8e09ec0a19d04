"""The participant's way in: a personal link, a 'continue' page, then their own page without the token in the URL."""
from flask import current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _

from extensions import configured_limit, limit_misses, limiter
from transactions import writes

from . import bp
from .access import (
    end_participant_session,
    no_store,
    participant_required,
    session_participant,
    start_participant_session,
)
from .forms import ContinueForm
from .hooks import hooks
from .labels import current_language, delegation_label
from .links import looks_like_token
from .services_activities import program_activities
from .services_groups import groups_of_participant
from .services_links import participant_for_token
from .web import agenda_document, ics_response, pdf_response


@bp.route("/p/<token>", methods=["GET", "POST"])
@limiter.limit(configured_limit("LINK_RATE_LIMIT"))
@limit_misses("LINK_MISSES_RATE_LIMIT")
def personal_link(token):
    participant = participant_for_token(token) if looks_like_token(token) else None
    if participant is None:
        # Random, revoked, expired or withdrawn: one answer for all, so a link reveals nothing.
        return no_store(render_template("training/link_invalid.html"), 404)
    g.participant_language = participant.language
    form = ContinueForm()
    if form.validate_on_submit():
        start_participant_session(participant)
        return redirect(url_for("training.my_page"))
    # A GET (or a mail scanner's prefetch) only shows this page; no session starts until the POST.
    return no_store(render_template("training/link_continue.html", participant=participant, form=form))


@bp.route("/me")
@participant_required(with_delegation=True)  # the page names it
def my_page():
    participant = g.participant
    delegation_name = delegation_label(participant.delegation, current_language())
    activities = program_activities(participant.program)
    # The cards later blueprints add (questionnaires, certificate), loaded here: the template queries nothing.
    cards = {name: load(participant, activities) for name, load in hooks(current_app).my_page_cards.items()}
    return render_template("training/my_page.html", participant=participant, program=participant.program,
                           delegation_name=delegation_name, activities=activities, cards=cards,
                           viewer_zone=participant.timezone, my_groups=groups_of_participant(participant))


@bp.route("/me/agenda.pdf")
@participant_required
def my_agenda_pdf():
    """Every session's agenda in the participant's language, in their zone first and the program's beside it."""
    from .agenda_pdf import agenda_pdf  # reportlab: loaded by what draws an agenda, not by the app

    participant = g.participant
    program = participant.program
    zones = list(dict.fromkeys([participant.timezone, program.timezone]))
    document = agenda_document(program_activities(program), program, current_language(), zones)
    return pdf_response(agenda_pdf(document), f"{program.code}-agenda.pdf")


@bp.route("/me/agenda.ics")
@participant_required
def my_calendar():
    program = g.participant.program
    return ics_response(program_activities(program), program, program.code, zone=g.participant.timezone)


@bp.route("/me/leave", methods=["POST"])
@writes
def leave():
    participant = session_participant()
    if participant is not None:
        participant.end_sessions()  # a copy of this cookie, here or on any device, opens nothing now
    end_participant_session()
    return render_template("training/left.html", message=_("You have left your page. Use your personal link to "
                                                           "come back."))
