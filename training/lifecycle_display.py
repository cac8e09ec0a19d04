"""What the program's dashboard shows of its lifecycle: each phase and step in words, and the page each action is
done on (the phases themselves are `lifecycle`'s)."""
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import format_interval, format_skeleton
from flask import url_for
from flask_babel import gettext, ngettext, pgettext
from flask_babel import lazy_gettext as _l

from .labels import language_name
from .lifecycle import DONE, IN_PROGRESS, LATE, NOT_YET
from .schedule import clock

PHASE_TITLES = {
    "setup": _l("Set-up"),
    "registration": _l("Registration"),
    "sessions": _l("Sessions"),
    "evaluation": _l("Evaluation"),
    "certificates": _l("Certificates"),
    "closing": _l("Closing"),
    "follow_up": _l("Follow-up"),
}
STEP_TITLES = {
    "details": _l("Program details"),
    "languages": _l("Languages"),
    "activities": _l("Activities and agenda"),
    "questionnaires": _l("Pre-test and post-test"),
    "certificate_settings": _l("Certificate rules and design"),
    "delegations": _l("Delegations and quotas"),
    "lists": _l("Participant lists"),
    "invitations": _l("Invitations"),
    "attendance": _l("Attendance"),
    "pre_test": _l("Pre-test"),
    "post_test": _l("Post-test"),
    "certificates": _l("Certificates"),
    "impact": _l("Impact report"),
    "lessons": _l("Lessons learned"),
    "follow_up": _l("Follow-up questionnaire"),
}
# A questionnaire's action, by its kind (the words differ: "the pre-test", "the follow-up questionnaire").
TEST_ACTIONS = {
    ("create_questionnaire", "pre"): _l("Create the pre-test"),
    ("create_questionnaire", "post"): _l("Create the post-test"),
    ("add_questions", "pre"): _l("Add the pre-test's questions"),
    ("add_questions", "post"): _l("Add the post-test's questions"),
    ("open_questionnaire", "pre"): _l("Open the pre-test"),
    ("open_questionnaire", "post"): _l("Open the post-test"),
    ("open_questionnaire", "follow_up"): _l("Schedule the follow-up questionnaire"),
    ("close_answered", "pre"): _l("Close the pre-test: everyone has answered"),
    ("close_answered", "post"): _l("Close the post-test: everyone has answered"),
    ("close_answered", "follow_up"): _l("Close the follow-up questionnaire: everyone has answered"),
    ("close_questionnaire", "pre"): _l("Close the pre-test"),
    ("close_questionnaire", "post"): _l("Close the post-test"),
    ("finalize_attempts", "pre"): _l("Submit the pre-test's attempts left open"),
    ("finalize_attempts", "post"): _l("Submit the post-test's attempts left open"),
    ("finalize_attempts", "follow_up"): _l("Submit the follow-up's attempts left open"),
}
# action key → (endpoint, the argument its target fills, or None for the program's id, method)
ACTION_PAGES = {
    "add_dates": ("training.program_edit", None, "get"),
    "translate_title": ("training.program_edit", None, "get"),
    "add_activities": ("training.activity_new", None, "get"),
    "add_agenda": ("training.activity", "activity_id", "get"),
    "create_questionnaire": ("assessments.questionnaires", None, "get"),
    "add_questions": ("assessments.questionnaire", "questionnaire_id", "get"),
    "review_certificate_settings": ("certificates.certificate_settings", None, "get"),
    "add_delegations": ("training.delegation_new", None, "get"),
    "confirm_list": ("training.delegation_confirm", "delegation_id", "post"),
    "submit_list": ("training.delegation_submit", "delegation_id", "post"),
    "import_list": ("training.participants_import", None, "get"),
    "send_invitations": ("training.messages", None, "get"),
    "send_queued": ("training.messages", None, "get"),
    "record_attendance": ("training.attendance_sheet", "activity_id", "get"),
    "complete_attendance": ("training.attendance_sheet", "activity_id", "get"),
    "open_questionnaire": ("assessments.questionnaire", "questionnaire_id", "get"),
    "close_answered": ("assessments.questionnaire", "questionnaire_id", "get"),
    "close_questionnaire": ("assessments.questionnaire", "questionnaire_id", "get"),
    "finalize_attempts": ("assessments.questionnaire_progress", "questionnaire_id", "get"),
    "issue_certificates": ("certificates.eligibility_screen", None, "get"),
    "draw_certificates": ("certificates.eligibility_screen", None, "get"),
    "read_impact": ("assessments.impact", None, "get"),
    "record_lessons": ("assessments.lessons", None, "get"),
}


@dataclass(frozen=True)
class ActionView:
    text: str
    url: str
    method: str  # "get": a link; "post": a button in a form


@dataclass(frozen=True)
class StepView:
    key: str
    title: str
    state: str
    state_label: str
    summary: str
    action: ActionView | None
    is_next: bool


@dataclass(frozen=True)
class PhaseView:
    key: str
    title: str
    state: str
    state_label: str
    steps: list


@dataclass(frozen=True)
class NextView:
    phase: str
    step: str
    late: str  # "Late" in words when it is, else empty
    action: ActionView


def state_label(state):
    return {DONE: gettext("Done"), IN_PROGRESS: gettext("In progress"), LATE: pgettext("lifecycle", "Late"),
            NOT_YET: gettext("Not yet")}[state]


def dashboard(program, shown, chosen, names, language):
    """(the phases in words, the next action in words or None). `chosen`: lifecycle.next_action's (phase, step);
    `names`: delegation id → its name in the reader's language."""
    views = [PhaseView(phase.key, str(PHASE_TITLES[phase.key]), phase.state, state_label(phase.state), [
        StepView(step.key, str(STEP_TITLES[step.key]), step.state, state_label(step.state),
                 summary(step, program, language),
                 action_view(step.action, program, names) if step.action else None,
                 chosen is not None and step is chosen[1])
        for step in phase.steps]) for phase in shown]
    if chosen is None:
        return views, None
    phase, step = chosen
    late = state_label(LATE) if step.state == LATE else ""
    return views, NextView(str(PHASE_TITLES[phase.key]), str(STEP_TITLES[step.key]), late,
                           action_view(step.action, program, names))


def action_view(action, program, names):
    endpoint, argument, method = ACTION_PAGES[action.key]
    url = url_for(endpoint, **({argument: action.target} if argument else {"program_id": program.id}))
    if action.key == "issue_certificates":
        url = url_for(endpoint, program_id=program.id, status="eligible")
    return ActionView(action_text(action, names), url, method)


def action_text(action, names):
    key = action.key
    if (key, action.subject) in TEST_ACTIONS:
        return str(TEST_ACTIONS[(key, action.subject)])
    texts = {
        "add_dates": lambda: gettext("Add the program's dates"),
        # The language's name in the page's language, as the sentence around it ("en francés", "in French").
        "translate_title": lambda: gettext("Write the title in %(language)s", language=language_name(action.subject)),
        "add_activities": lambda: gettext("Add the activities"),
        "add_agenda": lambda: gettext("Add the agenda of %(code)s", code=action.subject),
        "review_certificate_settings": lambda: gettext("Review the certificate rules and signatories"),
        "add_delegations": lambda: gettext("Add the delegations and their quotas"),
        "confirm_list": lambda: gettext("Confirm the list of %(delegation)s", delegation=names.get(action.target, "")),
        "submit_list": lambda: gettext("Mark your list (%(delegation)s) as sent to the secretariat",
                                       delegation=names.get(action.target, "")),
        "import_list": lambda: gettext("Import the participant list"),
        "send_invitations": lambda: gettext("Send the invitations"),
        "send_queued": lambda: gettext("Send the queued messages"),
        "record_attendance": lambda: gettext("Record the attendance of %(code)s", code=action.subject),
        "complete_attendance": lambda: gettext("Finish the attendance of %(code)s", code=action.subject),
        "issue_certificates": lambda: gettext("Issue the certificates"),
        "draw_certificates": lambda: gettext("Draw the waiting certificate PDFs"),
        "read_impact": lambda: gettext("Read the impact report"),
        "record_lessons": lambda: gettext("Record the program's lessons learned"),
    }
    return texts[key]()


def summary(step, program, language):
    """What the step stands at, in one line of words and numbers."""
    return " · ".join(part for part in SUMMARIES[step.key](step, step.counts, program, language) if part)


def _details(step, counts, program, language):
    if program.start_date and program.end_date:
        yield format_interval(program.start_date, program.end_date, "yMMMd", locale=language)
    else:
        yield gettext("The program's dates are missing.")


def _languages(step, counts, program, language):
    yield ", ".join(language_name(code, language) for code in program.languages)
    if step.action is not None or counts["missing"]:
        yield ngettext("the title is missing in %(num)s language", "the title is missing in %(num)s languages",
                       counts["missing"])


def _activities(step, counts, program, language):
    if not counts["activities"]:
        yield gettext("No activities yet.")
        return
    yield ngettext("%(num)s activity", "%(num)s activities", counts["activities"])
    if counts["without_agenda"]:
        yield ngettext("%(num)s session without an agenda", "%(num)s sessions without an agenda",
                       counts["without_agenda"])


def _questionnaires(step, counts, program, language):
    for kind, label in (("pre", gettext("Pre-test")), ("post", gettext("Post-test"))):
        if counts[kind] is None:
            yield gettext("%(test)s: not created", test=label)
        else:
            yield ngettext("%(test)s: %(num)s question", "%(test)s: %(num)s questions", counts[kind], test=label)


def _certificate_settings(step, counts, program, language):
    if step.state == DONE:
        yield gettext("Saved.")
    else:
        yield gettext("Not reviewed yet: the rules for who qualifies, the wording and the signatories.")


def _delegations(step, counts, program, language):
    if not counts["delegations"]:
        yield gettext("No delegations yet.")
        return
    yield ngettext("%(num)s delegation", "%(num)s delegations", counts["delegations"])
    yield ngettext("%(num)s place", "%(num)s places", counts["places"])


def _lists(step, counts, program, language):
    yield gettext("%(registered)s registered of %(quota)s places", registered=counts["registered"],
                  quota=counts["places"])
    if counts["delegations"]:
        yield ngettext("%(confirmed)s of %(num)s list confirmed", "%(confirmed)s of %(num)s lists confirmed",
                       counts["delegations"], confirmed=counts["confirmed"])
    if counts["received"]:
        yield ngettext("%(num)s sent and waiting for confirmation", "%(num)s sent and waiting for confirmation",
                       counts["received"])


def _invitations(step, counts, program, language):
    if not counts["participants"]:
        yield gettext("Nobody registered yet.")
        return
    yield gettext("%(invited)s of %(participants)s invited", invited=counts["invited"],
                  participants=counts["participants"])
    if counts["queued"]:
        yield ngettext("%(num)s message waiting to be sent", "%(num)s messages waiting to be sent", counts["queued"])


def _attendance(step, counts, program, language):
    if not counts["activities"]:
        yield gettext("No required activity with a date yet.")
        return
    yield ngettext("%(ended)s of %(num)s required activity ended", "%(ended)s of %(num)s required activities ended",
                   counts["activities"], ended=counts["ended"])
    if counts["unrecorded"]:
        yield ngettext("%(num)s with no attendance recorded", "%(num)s with no attendance recorded",
                       counts["unrecorded"])
    if counts["partial"]:
        yield ngettext("%(num)s with people not marked", "%(num)s with people not marked", counts["partial"])


def _test(step, counts, program, language):
    if "window" not in counts:
        yield gettext("Not ready yet: it has no questions.")
        return
    opens, closes, window = counts["opens_at"], counts["closes_at"], counts["window"]
    if window == "closed":
        yield gettext("Closed on %(moment)s", moment=_moment(closes, program, language))
    elif window == "open" and closes is not None:
        yield gettext("Open until %(moment)s", moment=_moment(closes, program, language))
    elif window == "open":
        yield gettext("Open, with no closing time")
    elif opens is not None:
        yield gettext("Opens on %(moment)s", moment=_moment(opens, program, language))
    else:
        yield gettext("Not open")
    yield gettext("%(submitted)s of %(participants)s answered (%(percent)s%%)", submitted=counts["submitted"],
                  participants=counts["participants"], percent=counts["percent"])
    if counts["in_progress"]:
        yield ngettext("%(num)s still answering", "%(num)s still answering", counts["in_progress"])


def _follow_up(step, counts, program, language):
    lines = list(_test(step, counts, program, language))
    if "sent" in counts:  # who it went to comes before how many of them answered
        lines.insert(1, ngettext(
            "Sent to %(num)s person who completed the program", "Sent to %(num)s people who completed the program",
            counts["sent"]))
    yield from lines


def _certificates(step, counts, program, language):
    yield ngettext("%(num)s issued", "%(num)s issued", counts["issued"])
    yield ngettext("%(num)s eligible without one yet", "%(num)s eligible without one yet", counts["eligible"])
    if counts["waiting"]:
        yield ngettext("%(num)s PDF still to draw", "%(num)s PDFs still to draw", counts["waiting"])


def _impact(step, counts, program, language):
    if not counts["pairs"]:
        yield gettext("Nobody has answered both tests yet.")
    else:
        yield ngettext("%(num)s participant answered both tests", "%(num)s participants answered both tests",
                       counts["pairs"])


def _lessons(step, counts, program, language):
    yield ngettext("%(num)s lesson recorded", "%(num)s lessons recorded", counts["lessons"])


def _moment(moment, program, language):
    if moment is None:
        return "—"
    zone = program.timezone
    return f"{format_skeleton('MMMd', moment, tzinfo=ZoneInfo(zone), locale=language)} {clock(moment, zone, language)}"


SUMMARIES = {
    "details": _details, "languages": _languages, "activities": _activities, "questionnaires": _questionnaires,
    "certificate_settings": _certificate_settings, "delegations": _delegations, "lists": _lists,
    "invitations": _invitations, "attendance": _attendance, "pre_test": _test, "post_test": _test,
    "certificates": _certificates, "impact": _impact, "lessons": _lessons, "follow_up": _follow_up,
}
