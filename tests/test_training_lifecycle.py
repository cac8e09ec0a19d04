"""The program's lifecycle computed from plain facts and a clock the test sets (training/lifecycle.py, no app)."""
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from training.lifecycle import DONE, IN_PROGRESS, LATE, NOT_YET, SUGGESTED, next_action, phases
from training.lifecycle_facts import (
    ActivityFacts,
    CertificateFacts,
    DelegationFacts,
    EvaluationFacts,
    Facts,
    ProgramFacts,
    QuestionnaireFacts,
)
from training.permissions import PERMISSIONS, may

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
ROLES = {role: frozenset(a for a in PERMISSIONS if may(role, a))
         for role in ("admin", "organizer", "facilitator", "focal_point")}
ADMIN = ROLES["admin"]


def program(starts_in=30, days=10):
    """A program starting `starts_in` days after NOW (negative: it started before), titled in both languages."""
    start = NOW + starts_in * DAY
    return ProgramFacts(languages=("es", "en"), titled=("es", "en"), start_date=start.date(),
                        end_date=(start + (days - 1) * DAY).date(), starts_at=start, ends_at=start + days * DAY)


def session(number, starts, hours=2, agenda=1, marked=0, required=True):
    return ActivityFacts(number, f"S{number}", True, required, starts, starts + timedelta(hours=hours), agenda, marked)


def questionnaire(kind, opens=None, closes=None, questions=5, submitted=0, in_progress=0, id_=None):
    return QuestionnaireFacts(id_ or {"pre": 1, "post": 2, "follow_up": 3}[kind], kind, questions, opens, closes,
                              submitted, in_progress)


def set_up(starts_in=30, **changes):
    """A program whose set-up is complete: dates, titles, one session with its agenda, both tests with questions,
    certificate settings saved; one delegation, nobody registered yet."""
    facts = Facts(
        program=program(starts_in), activities=(session(1, NOW + starts_in * DAY),),
        delegations=(DelegationFacts(10, "invited", 0, 5),),
        contributed={"evaluation": EvaluationFacts({"pre": questionnaire("pre"), "post": questionnaire("post")}),
                     "certificates": CertificateFacts(settings_saved=True)})
    return replace(facts, **changes)


def step(shown, key):
    return next(s for phase in shown for s in phase.steps if s.key == key)


def phase_states(shown):
    return {phase.key: phase.state for phase in shown}


def chosen(facts, allowed=ADMIN, now=NOW):
    """(phase key, step key, action key, action target) of the next action, or None."""
    picked = next_action(phases(facts, now, allowed))
    if picked is None:
        return None
    phase, picked_step = picked
    return phase.key, picked_step.key, picked_step.action.key, picked_step.action.target


# --- An empty program, then set-up ----------------------------------------------------------------------------------


def test_an_empty_program_asks_for_its_activities_first_and_shows_every_phase_in_order():
    facts = Facts(program=program(), contributed={"evaluation": EvaluationFacts(), "certificates": CertificateFacts()})
    shown = phases(facts, NOW, ADMIN)
    assert [phase.key for phase in shown] == ["setup", "registration", "sessions", "evaluation", "certificates",
                                              "closing"]
    assert [(s.key, s.state) for s in shown[0].steps] == [
        ("details", DONE), ("languages", DONE), ("activities", NOT_YET), ("questionnaires", NOT_YET),
        ("certificate_settings", NOT_YET)]
    assert phase_states(shown) == {"setup": IN_PROGRESS, "registration": NOT_YET, "sessions": NOT_YET,
                                   "evaluation": NOT_YET, "certificates": NOT_YET, "closing": NOT_YET}
    assert chosen(facts) == ("setup", "activities", "add_activities", None)


def test_missing_dates_and_a_missing_title_come_before_the_activities():
    facts = Facts(program=ProgramFacts(languages=("es", "en"), titled=("es",)))
    assert chosen(facts) == ("setup", "details", "add_dates", None)
    dated = replace(facts, program=replace(facts.program, start_date=date(2027, 3, 1), end_date=date(2027, 3, 5)))
    shown = phases(dated, NOW, ADMIN)
    languages = step(shown, "languages")
    assert (languages.state, languages.counts, languages.action.subject) == (IN_PROGRESS, {"languages": 2,
                                                                                           "missing": 1}, "en")
    assert chosen(dated)[2] == "translate_title"


def test_a_session_without_agenda_then_the_tests_then_the_certificate_settings():
    facts = set_up(activities=(session(1, NOW + 30 * DAY, agenda=0), session(2, NOW + 31 * DAY)),
                   contributed={"evaluation": EvaluationFacts({"pre": questionnaire("pre", questions=0)}),
                                "certificates": CertificateFacts()})
    assert chosen(facts) == ("setup", "activities", "add_agenda", 1)
    facts = replace(facts, activities=(session(1, NOW + 30 * DAY),))
    assert chosen(facts) == ("setup", "questionnaires", "add_questions", 1)
    evaluation = EvaluationFacts({"pre": questionnaire("pre")})
    facts = replace(facts, contributed={**facts.contributed, "evaluation": evaluation})
    picked = next_action(phases(facts, NOW, ADMIN))
    assert (picked[1].action.key, picked[1].action.subject) == ("create_questionnaire", "post")
    evaluation = EvaluationFacts({"pre": questionnaire("pre"), "post": questionnaire("post")})
    facts = replace(facts, contributed={**facts.contributed, "evaluation": evaluation})
    assert chosen(facts) == ("setup", "certificate_settings", "review_certificate_settings", None)


def test_set_up_is_late_once_the_program_starts_within_a_week():
    facts = Facts(program=program(starts_in=6))
    activities = step(phases(facts, NOW, ADMIN), "activities")
    assert activities.state == LATE
    assert step(phases(Facts(program=program(starts_in=8)), NOW, ADMIN), "activities").state == NOT_YET


# --- Registration ---------------------------------------------------------------------------------------------------


def test_after_a_list_is_imported_the_next_action_is_to_send_the_invitations():
    facts = set_up()
    assert chosen(facts) == ("registration", "lists", "import_list", None)
    imported = replace(facts, delegations=(DelegationFacts(10, "invited", 4, 5),), participants=4)
    assert chosen(imported) == ("registration", "invitations", "send_invitations", None)
    invitations = step(phases(imported, NOW, ADMIN), "invitations")
    assert (invitations.state, invitations.counts["missing"]) == (NOT_YET, 4)
    invited = replace(imported, invited=4)
    assert step(phases(invited, NOW, ADMIN), "invitations").state == DONE
    # The list it imported was never marked as sent: confirming it is suggested, after everything needed (here,
    # opening the pre-test).
    lists = step(phases(invited, NOW, ADMIN), "lists")
    assert (lists.action.key, lists.action.target, lists.action.urgency) == ("confirm_list", 10, SUGGESTED)
    assert chosen(invited) == ("evaluation", "pre_test", "open_questionnaire", 1)
    scheduled = with_tests(invited, pre=questionnaire("pre", opens=NOW + DAY), post=questionnaire("post"))
    assert chosen(scheduled) == ("registration", "lists", "confirm_list", 10)
    late = replace(invited, program=program(starts_in=3), activities=(session(1, NOW + 3 * DAY),))
    assert step(phases(late, NOW, ADMIN), "lists").state == LATE
    assert chosen(replace(late, contributed={"certificates": CertificateFacts()}))[2] == \
        "review_certificate_settings"  # a late suggestion still comes after what is needed
    assert step(phases(replace(invited, queued=2), NOW, ADMIN), "invitations").action.key == "send_queued"


def test_a_list_sent_by_its_focal_point_waits_for_the_secretariat_s_confirmation():
    facts = set_up(delegations=(DelegationFacts(10, "confirmed", 5, 5), DelegationFacts(11, "list_received", 3, 5)),
                   participants=8, invited=8)
    assert chosen(facts) == ("registration", "lists", "confirm_list", 11)
    lists = step(phases(facts, NOW, ADMIN), "lists")
    assert lists.counts == {"registered": 8, "places": 10, "delegations": 2, "confirmed": 1, "received": 1,
                            "to_send": 0}
    done = replace(facts, delegations=(DelegationFacts(10, "confirmed", 5, 5), DelegationFacts(11, "confirmed", 3, 5)))
    assert step(phases(done, NOW, ADMIN), "lists").state == DONE


def test_a_focal_point_sees_their_delegation_s_part_and_never_an_action_they_may_not_do():
    focal = ROLES["focal_point"]
    empty = set_up(delegations=(DelegationFacts(10, "invited", 0, 5),))
    assert chosen(empty, focal) == ("registration", "lists", "import_list", None)
    filled = replace(empty, delegations=(DelegationFacts(10, "invited", 5, 5),), participants=5)
    assert chosen(filled, focal) == ("registration", "lists", "submit_list", 10)
    sent = replace(filled, delegations=(DelegationFacts(10, "list_received", 5, 5),))
    assert chosen(sent, focal) is None  # the secretariat confirms it; the invitations are the secretariat's too
    shown = phases(sent, NOW, focal)
    keys = [s.key for phase in shown for s in phase.steps]
    assert "invitations" not in keys and "certificate_settings" not in keys
    actions = [s.action for phase in shown for s in phase.steps if s.action is not None]
    assert all(action.permission in focal for action in actions)
    # The secretariat, for the same facts, confirms; it is never asked to mark a list as sent for a focal point.
    assert chosen(sent) == ("registration", "lists", "confirm_list", 10)
    assert chosen(filled)[2] == "send_invitations"


def test_invitations_not_sent_a_week_before_the_start_are_late():
    facts = set_up(starts_in=5, delegations=(DelegationFacts(10, "confirmed", 4, 5),), participants=4, invited=1,
                   contributed={"certificates": CertificateFacts()})
    invitations = step(phases(facts, NOW, ADMIN), "invitations")
    assert (invitations.state, invitations.counts["missing"]) == (LATE, 3)
    # Late comes first: before the certificate settings, which come earlier in the phases but are not late.
    assert chosen(facts) == ("registration", "invitations", "send_invitations", None)
    assert step(phases(replace(facts, program=program(8)), NOW, ADMIN), "invitations").state == IN_PROGRESS


# --- Sessions -------------------------------------------------------------------------------------------------------


def registered(starts_in, activities, people=4, **changes):
    """Set up, with `people` registered in a confirmed list and invited."""
    return set_up(starts_in=starts_in, **{"activities": activities, "participants": people, "invited": people,
                                          "delegations": (DelegationFacts(10, "confirmed", people, 5),), **changes})


def test_a_session_that_ended_with_no_attendance_recorded_is_late_and_next():
    facts = registered(-3, (session(1, NOW - 3 * DAY, marked=4), session(2, NOW - 2 * DAY),
                            session(3, NOW + DAY)))
    attendance = step(phases(facts, NOW, ADMIN), "attendance")
    assert (attendance.state, attendance.counts) == (LATE, {"activities": 3, "ended": 2, "unrecorded": 1,
                                                            "partial": 0, "recorded": 1})
    assert chosen(facts) == ("sessions", "attendance", "record_attendance", 2)
    # A focal point may mark their country's people: the same action, counted among them.
    assert chosen(facts, ROLES["focal_point"]) == ("sessions", "attendance", "record_attendance", 2)


def test_attendance_partly_recorded_is_in_progress_and_optional_activities_are_never_late():
    facts = registered(-3, (session(1, NOW - 3 * DAY, marked=3), session(2, NOW - 2 * DAY, required=False)))
    attendance = step(phases(facts, NOW, ADMIN), "attendance")
    assert (attendance.state, attendance.action.key, attendance.action.subject) == (
        IN_PROGRESS, "complete_attendance", "S1")
    complete = registered(-3, (session(1, NOW - 3 * DAY, marked=4), session(2, NOW - 2 * DAY, required=False)))
    assert step(phases(complete, NOW, ADMIN), "attendance").state == DONE
    upcoming = registered(-3, (session(1, NOW - 3 * DAY, marked=4), session(2, NOW + 2 * DAY)))
    assert step(phases(upcoming, NOW, ADMIN), "attendance").state == IN_PROGRESS


# --- Evaluation -----------------------------------------------------------------------------------------------------


def with_tests(facts, pairs=0, **tests):
    return replace(facts, contributed={**facts.contributed, "evaluation": EvaluationFacts(tests, pairs)})


def test_the_pre_test_is_late_once_the_first_session_started_unopened_and_the_post_test_waits_for_the_last():
    first, last = NOW - 2 * DAY, NOW + 2 * DAY
    facts = registered(-2, (session(1, first, marked=4), session(2, last)))
    shown = phases(facts, NOW, ADMIN)
    pre, post = step(shown, "pre_test"), step(shown, "post_test")
    assert (pre.state, pre.action.key) == (LATE, "open_questionnaire")
    assert (post.state, post.action) == (NOT_YET, None)  # not before the last session starts
    assert chosen(facts) == ("evaluation", "pre_test", "open_questionnaire", 1)
    later = last + timedelta(hours=1)
    assert step(phases(facts, later, ADMIN), "post_test").action.key == "open_questionnaire"
    assert step(phases(facts, later, ADMIN), "post_test").state == NOT_YET
    assert step(phases(facts, last + DAY, ADMIN), "post_test").state == LATE  # every activity has ended


def test_a_scheduled_window_needs_nothing_and_an_open_one_with_everyone_answered_is_closed_by_hand():
    facts = registered(-2, (session(1, NOW - 2 * DAY, marked=4),))
    scheduled = with_tests(facts, pre=questionnaire("pre", opens=NOW + DAY),
                           post=questionnaire("post", opens=NOW + 2 * DAY))
    pre = step(phases(scheduled, NOW, ADMIN), "pre_test")
    assert (pre.state, pre.action, pre.counts["window"]) == (IN_PROGRESS, None, "not_open")
    answering = with_tests(facts, pre=questionnaire("pre", opens=NOW - DAY, submitted=3, in_progress=1),
                           post=questionnaire("post", opens=NOW + DAY))
    pre = step(phases(answering, NOW, ADMIN), "pre_test")
    assert (pre.state, pre.action, pre.counts["percent"]) == (IN_PROGRESS, None, 75)
    everyone = with_tests(facts, pre=questionnaire("pre", opens=NOW - DAY, submitted=4),
                          post=questionnaire("post", opens=NOW + DAY))
    assert step(phases(everyone, NOW, ADMIN), "pre_test").action.key == "close_answered"


def test_closing_is_suggested_for_the_pre_test_once_the_post_test_opened_and_for_the_post_test_after_the_end():
    facts = registered(-2, (session(1, NOW - 2 * DAY, marked=4), session(2, NOW + DAY)))
    both_open = with_tests(facts, pre=questionnaire("pre", opens=NOW - 2 * DAY, submitted=3),
                           post=questionnaire("post", opens=NOW - DAY, submitted=1))
    shown = phases(both_open, NOW, ADMIN)
    pre, post = step(shown, "pre_test"), step(shown, "post_test")
    assert (pre.action.key, pre.action.urgency, post.action) == ("close_questionnaire", SUGGESTED, None)
    end = both_open.program.ends_at
    assert step(phases(both_open, end + 6 * DAY, ADMIN), "post_test").action is None
    assert step(phases(both_open, end + 7 * DAY, ADMIN), "post_test").action.key == "close_questionnaire"
    pre_only = with_tests(facts, pre=questionnaire("pre", opens=NOW - 2 * DAY, submitted=3),
                          post=questionnaire("post"))
    assert step(phases(pre_only, NOW, ADMIN), "pre_test").action is None
    # A closing time already set closes it by itself: nothing to suggest.
    timed = with_tests(facts, pre=questionnaire("pre", opens=NOW - 2 * DAY, closes=NOW + DAY, submitted=3),
                       post=questionnaire("post", opens=NOW - DAY))
    assert step(phases(timed, NOW, ADMIN), "pre_test").action is None


def test_a_post_test_closed_with_attempts_left_in_progress_is_late():
    facts = registered(-3, (session(1, NOW - 3 * DAY, marked=4),))
    facts = with_tests(facts, pre=questionnaire("pre", opens=NOW - 3 * DAY, closes=NOW - 2 * DAY, submitted=4),
                       post=questionnaire("post", opens=NOW - 3 * DAY, closes=NOW - DAY, submitted=2, in_progress=2))
    shown = phases(facts, NOW, ADMIN)
    assert (step(shown, "pre_test").state, step(shown, "post_test").state) == (DONE, LATE)
    assert chosen(facts) == ("evaluation", "post_test", "finalize_attempts", 2)
    # Following it is the organizers': a facilitator sees the late step and has no action there.
    assert step(phases(facts, NOW, ROLES["facilitator"]), "post_test").action is None


# --- Certificates, closing, follow-up -------------------------------------------------------------------------------


def finished(now_after_end, eligible=3, issued=0, waiting=0, pairs=0, post_closed=True, follow_up=None):
    """A program that ran from 10 days before NOW, whose tests are closed and attendance recorded."""
    facts = registered(-10, (session(1, NOW - 10 * DAY, marked=4),))
    tests = {"pre": questionnaire("pre", opens=NOW - 11 * DAY, closes=NOW - 9 * DAY, submitted=4),
             "post": questionnaire("post", opens=NOW - 10 * DAY, closes=(NOW - 9 * DAY) if post_closed else None,
                               submitted=3)}
    if follow_up is not None:
        tests["follow_up"] = follow_up
    return replace(facts, program=replace(facts.program, ends_at=NOW - now_after_end),
                   contributed={"evaluation": EvaluationFacts(tests, pairs=pairs),
                                "certificates": CertificateFacts(True, eligible, issued, waiting)})


def test_eligible_people_are_issued_their_certificates_only_once_the_last_activity_ended():
    facts = finished(DAY)
    assert chosen(facts) == ("certificates", "certificates", "issue_certificates", None)
    assert step(phases(facts, NOW, ADMIN), "certificates").state == IN_PROGRESS
    assert step(phases(finished(8 * DAY), NOW, ADMIN), "certificates").state == LATE  # a week after the end
    running = replace(facts, activities=(session(1, NOW - 10 * DAY, marked=4), session(2, NOW + DAY)))
    certificates = step(phases(running, NOW, ADMIN), "certificates")
    assert (certificates.state, certificates.action) == (IN_PROGRESS, None)
    drawn = finished(DAY, eligible=0, issued=3, waiting=2)
    assert chosen(drawn) == ("certificates", "certificates", "draw_certificates", None)
    assert step(phases(finished(DAY, eligible=0, issued=3), NOW, ADMIN), "certificates").state == DONE
    assert chosen(facts, ROLES["focal_point"]) is None  # issuing is the organizers'


def test_the_impact_report_is_the_last_suggestion_once_nothing_else_waits():
    facts = finished(DAY, eligible=0, issued=3, pairs=3)
    impact = step(phases(facts, NOW, ADMIN), "impact")
    assert (impact.state, impact.counts) == (DONE, {"pairs": 3})
    assert chosen(facts) == ("closing", "impact", "read_impact", None)
    assert step(phases(finished(DAY, pairs=3, post_closed=False), NOW, ADMIN), "impact").state == IN_PROGRESS
    # A suggestion never comes before a needed action, wherever its phase is.
    assert chosen(finished(DAY, eligible=2, issued=1, pairs=3))[2] == "issue_certificates"


def test_the_follow_up_phase_exists_only_with_a_follow_up_questionnaire_and_opens_after_the_end():
    assert "follow_up" not in phase_states(phases(finished(DAY, eligible=0, issued=3), NOW, ADMIN))
    facts = finished(DAY, eligible=0, issued=3, follow_up=questionnaire("follow_up"))
    shown = phases(facts, NOW, ADMIN)
    assert shown[-1].key == "follow_up"
    assert chosen(facts) == ("follow_up", "follow_up", "open_questionnaire", 3)
    before_end = replace(facts, program=replace(facts.program, ends_at=NOW + DAY))
    assert step(phases(before_end, NOW, ADMIN), "follow_up").action is None


def test_without_the_later_blueprints_facts_their_phases_are_left_out():
    shown = phases(Facts(program=program()), NOW, ADMIN)
    assert [phase.key for phase in shown] == ["setup", "registration", "sessions"]
    assert [s.key for s in shown[0].steps] == ["details", "languages", "activities"]


def test_a_phase_is_late_when_any_step_is_done_when_all_are_else_in_progress():
    facts = registered(-3, (session(1, NOW - 3 * DAY, marked=4), session(2, NOW - 2 * DAY)))
    states = phase_states(phases(facts, NOW, ADMIN))
    assert (states["setup"], states["registration"], states["sessions"]) == (DONE, DONE, LATE)
    half_invited = registered(30, (session(1, NOW + 30 * DAY),), invited=2)
    assert phase_states(phases(half_invited, NOW, ADMIN))["registration"] == IN_PROGRESS


def test_lessons_learned_are_suggested_once_the_program_ended_and_done_once_one_is_recorded():
    facts = finished(DAY, eligible=0, issued=3, pairs=3)
    lessons = step(phases(facts, NOW, ADMIN), "lessons")
    assert (lessons.state, lessons.counts, lessons.action.key) == (IN_PROGRESS, {"lessons": 0}, "record_lessons")
    assert chosen(facts)[1] == "impact"  # the report first: the lessons cite its findings
    recorded = replace(facts, contributed={**facts.contributed,
                                           "evaluation": replace(facts.contributed["evaluation"], lessons=2)})
    assert step(phases(recorded, NOW, ADMIN), "lessons").state == DONE
    before_end = replace(facts, program=replace(facts.program, ends_at=NOW + DAY))
    assert step(phases(before_end, NOW, ADMIN), "lessons").state == NOT_YET
    assert step(phases(finished(DAY, pairs=3, post_closed=False), NOW, ADMIN), "lessons").state == NOT_YET
    assert step(phases(facts, NOW, ROLES["focal_point"]), "lessons").action is None  # recording is the organizers'
