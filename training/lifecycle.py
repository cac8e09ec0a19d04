"""A program's lifecycle: its phases from set-up to follow-up, each step done, in progress, late or not yet, and the
one next action for the person looking (pure: plain facts and the time in, phases out)."""
from dataclasses import dataclass, field
from datetime import timedelta

DONE, IN_PROGRESS, LATE, NOT_YET = "done", "in_progress", "late", "not_yet"
PHASES = ("setup", "registration", "sessions", "evaluation", "certificates", "closing", "follow_up")
# Set-up and registration are late once the program starts within a week: a later list or invitation reaches people
# too late to plan for it. Certificates are late, and closing the post-test is suggested, a week after it ended.
WEEK = timedelta(days=7)
# How pressing an action is when its step is not late: needed to move the program on, or only a suggestion.
NEEDED, SUGGESTED = 1, 2
LATE_FIRST = 0

# Who sees a step (the permission of the page it is about): a focal point is not shown the secretariat's outbox.
STEP_AUDIENCE = {
    "details": "programs.view",
    "languages": "programs.view",
    "activities": "activities.view",
    "questionnaires": "tests.follow",
    "certificate_settings": "certificates.issue",
    "delegations": "programs.view",
    "lists": "participants.view",
    "invitations": "messages.send",
    "attendance": "attendance.mark",
    "pre_test": "tests.follow",
    "post_test": "tests.follow",
    "certificates": "certificates.follow",
    "impact": "impact.view",
    "lessons": "lessons.view",
    "follow_up": "tests.follow",
}


# --- What the dashboard shows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    key: str  # what to do, e.g. "add_activities"; the page shows it in words and links the page that does it
    permission: str
    target: int | None = None  # the activity, delegation or questionnaire it is about
    subject: str = ""  # its plain name: an activity's code, a questionnaire's kind, a language
    urgency: int = NEEDED


@dataclass(frozen=True)
class Step:
    key: str
    state: str
    counts: dict = field(default_factory=dict)
    action: Action | None = None

    @property
    def rank(self):
        """How soon its action comes: needed actions of late steps first, then the other needed actions, then
        suggestions (a suggestion stays one, late or not)."""
        late = self.state == LATE and self.action.urgency == NEEDED
        return LATE_FIRST if late else self.action.urgency


@dataclass(frozen=True)
class Phase:
    key: str
    steps: tuple

    @property
    def state(self):
        states = {step.state for step in self.steps}
        if LATE in states:
            return LATE
        if states == {DONE}:
            return DONE
        if states == {NOT_YET}:
            return NOT_YET
        return IN_PROGRESS


def phases(facts, now, allowed):
    """The program's phases in order, each with the steps the viewer may see; an action the viewer may not do is
    left out (`allowed`: the permission actions their role has). A phase with nothing to show is left out."""
    built = [
        ("setup", _setup(facts, now)),
        ("registration", _registration(facts, now, allowed)),
        ("sessions", [_attendance(facts, now)]),
        ("evaluation", _evaluation(facts, now)),
        ("certificates", _certificates(facts, now)),
        ("closing", _closing(facts, now)),
        ("follow_up", _follow_up(facts, now)),
    ]
    shown = []
    for key, steps in built:
        visible = tuple(_for_viewer(step, allowed) for step in steps if STEP_AUDIENCE[step.key] in allowed)
        if visible:
            shown.append(Phase(key, visible))
    return shown


def next_action(shown):
    """(phase, step) of the one action to do next: the first late one, else the first needed, else the first
    suggested, in the phases' order; None when nothing waits on the viewer."""
    candidates = [(step.rank, index, phase, step) for index, (phase, step) in
                  enumerate((phase, step) for phase in shown for step in phase.steps) if step.action is not None]
    if not candidates:
        return None
    _rank, _index, phase, step = min(candidates, key=lambda candidate: candidate[:2])
    return phase, step


def _for_viewer(step, allowed):
    if step.action is not None and step.action.permission not in allowed:
        return Step(step.key, step.state, step.counts, None)
    return step


def _starting_soon(facts, now):
    starts = facts.program.starts_at
    return starts is not None and now >= starts - WEEK


def _late_or(state, late):
    return LATE if late else state


# --- Set-up ---------------------------------------------------------------------------------------------------------


def _setup(facts, now):
    soon = _starting_soon(facts, now)
    steps = [_details(facts.program), _languages(facts.program), _activities(facts.activities, soon)]
    evaluation = facts.contributed.get("evaluation")
    if evaluation is not None:
        steps.append(_questionnaires(evaluation, soon))
    certificates = facts.contributed.get("certificates")
    if certificates is not None:
        steps.append(_certificate_settings(certificates))
    return steps


def _details(program):
    if program.start_date and program.end_date:
        return Step("details", DONE)
    return Step("details", IN_PROGRESS, action=Action("add_dates", "programs.manage"))


def _languages(program):
    missing = [language for language in program.languages if language not in program.titled]
    counts = {"languages": len(program.languages), "missing": len(missing)}
    if not missing:
        return Step("languages", DONE, counts)
    return Step("languages", IN_PROGRESS, counts, Action("translate_title", "programs.manage", subject=missing[0]))


def _activities(activities, soon):
    without_agenda = [a for a in activities if a.is_session and not a.agenda_items]
    counts = {"activities": len(activities), "sessions": sum(a.is_session for a in activities),
              "without_agenda": len(without_agenda)}
    if not activities:
        return Step("activities", _late_or(NOT_YET, soon), counts, Action("add_activities", "activities.plan"))
    if without_agenda:
        first = without_agenda[0]
        return Step("activities", IN_PROGRESS, counts,
                    Action("add_agenda", "activities.plan", target=first.id, subject=first.code))
    return Step("activities", DONE, counts)


def _questionnaires(evaluation, soon):
    tests = [evaluation.questionnaires.get(kind) for kind in ("pre", "post")]
    ready = sum(1 for test in tests if test is not None and test.questions)
    counts = {"ready": ready, "pre": tests[0].questions if tests[0] else None,
              "post": tests[1].questions if tests[1] else None}
    if ready == 2:
        return Step("questionnaires", DONE, counts)
    action = None
    for kind, test in zip(("pre", "post"), tests, strict=True):
        if test is None:
            action = Action("create_questionnaire", "questionnaires.build", subject=kind)
            break
        if not test.questions:
            action = Action("add_questions", "questionnaires.build", target=test.id, subject=kind)
            break
    state = IN_PROGRESS if any(tests) else NOT_YET
    return Step("questionnaires", _late_or(state, soon), counts, action)


def _certificate_settings(certificates):
    if certificates.settings_saved:
        return Step("certificate_settings", DONE)
    return Step("certificate_settings", NOT_YET, action=Action("review_certificate_settings", "certificates.issue"))


# --- Registration ---------------------------------------------------------------------------------------------------


def _registration(facts, now, allowed):
    soon = _starting_soon(facts, now)
    return [_delegations(facts.delegations, soon), _lists(facts.delegations, soon, allowed),
            _invitations(facts, soon)]


def _delegations(delegations, soon):
    counts = {"delegations": len(delegations), "places": sum(d.quota for d in delegations)}
    if delegations:
        return Step("delegations", DONE, counts)
    return Step("delegations", _late_or(NOT_YET, soon), counts, Action("add_delegations", "delegations.manage"))


def _lists(delegations, soon, allowed):
    """The lists: imported (people registered), sent by their focal point, confirmed by the secretariat. The
    secretariat confirms the lists sent to it, and is only invited to confirm one it holds that was never marked as
    sent (it may have imported it from the focal point's e-mail); marking a list as sent is the focal point's step."""
    registered = sum(d.registered for d in delegations)
    received = [d for d in delegations if d.status == "list_received"]
    to_send = [d for d in delegations if d.status == "invited" and d.registered]
    confirmed = sum(d.status == "confirmed" for d in delegations)
    counts = {"registered": registered, "places": sum(d.quota for d in delegations), "delegations": len(delegations),
              "confirmed": confirmed, "received": len(received), "to_send": len(to_send)}
    if delegations and confirmed == len(delegations) and registered:
        return Step("lists", DONE, counts)
    if received:
        action = Action("confirm_list", "delegations.manage", target=received[0].id)
    elif to_send and "delegations.manage" in allowed:
        action = Action("confirm_list", "delegations.manage", target=to_send[0].id, urgency=SUGGESTED)
    elif to_send:
        action = Action("submit_list", "delegations.submit", target=to_send[0].id)
    elif delegations and not registered:
        action = Action("import_list", "participants.edit")
    else:
        action = None
    state = NOT_YET if not registered else IN_PROGRESS
    return Step("lists", _late_or(state, soon and bool(delegations)), counts, action)


def _invitations(facts, soon):
    counts = {"invited": facts.invited, "participants": facts.participants,
              "missing": max(facts.participants - facts.invited, 0), "queued": facts.queued}
    if not facts.participants:
        return Step("invitations", NOT_YET, counts)
    if facts.invited < facts.participants:
        state = NOT_YET if not facts.invited else IN_PROGRESS
        return Step("invitations", _late_or(state, soon), counts, Action("send_invitations", "messages.send"))
    if facts.queued:
        return Step("invitations", IN_PROGRESS, counts, Action("send_queued", "messages.send"))
    return Step("invitations", DONE, counts)


# --- Sessions -------------------------------------------------------------------------------------------------------


def _attendance(facts, now):
    """Attendance of the required activities that have ended (optional ones may well have nobody to mark): none
    recorded is late; some people unmarked is in progress."""
    timed = [a for a in facts.activities if a.required and a.ends_at is not None]
    ended = [a for a in timed if a.ends_at <= now]
    people = facts.participants
    unrecorded = [a for a in ended if not a.marked] if people else []
    partial = [a for a in ended if 0 < a.marked < people]
    counts = {"activities": len(timed), "ended": len(ended), "unrecorded": len(unrecorded),
              "partial": len(partial), "recorded": len(ended) - len(unrecorded) - len(partial)}
    if unrecorded:
        first = unrecorded[0]
        return Step("attendance", LATE, counts,
                    Action("record_attendance", "attendance.mark", target=first.id, subject=first.code))
    if partial:
        first = partial[0]
        return Step("attendance", IN_PROGRESS, counts,
                    Action("complete_attendance", "attendance.mark", target=first.id, subject=first.code))
    if not ended or not people:
        return Step("attendance", NOT_YET, counts)
    return Step("attendance", DONE if len(ended) == len(timed) else IN_PROGRESS, counts)


# --- Evaluation and follow-up ---------------------------------------------------------------------------------------


def _evaluation(facts, now):
    evaluation = facts.contributed.get("evaluation")
    if evaluation is None:
        return []
    sessions = [a for a in facts.activities if a.is_session and a.starts_at is not None]
    first = min(sessions, key=lambda a: a.starts_at) if sessions else None
    last = max(sessions, key=lambda a: a.starts_at) if sessions else None
    ends = [a.ends_at for a in facts.activities if a.ends_at is not None]
    tests = evaluation.questionnaires
    post = tests.get("post")
    # The pre-test may open any time and is late once the first session has started; once the post-test has opened,
    # closing it is suggested. The post-test opens from the last session on, is late once every activity has ended,
    # and closing it is suggested a week after the program ended (late answers still count until then).
    return [
        _test("pre_test", tests.get("pre"), facts.participants, now, opens_from=None,
              late_from=first.starts_at if first else facts.program.starts_at,
              close_from=post.opens_at if post is not None else None),
        _test("post_test", post, facts.participants, now,
              opens_from=last.starts_at if last else facts.program.starts_at,
              late_from=max(ends) if ends else facts.program.ends_at,
              close_from=facts.program.ends_at + WEEK if facts.program.ends_at else None),
    ]


def _follow_up(facts, now):
    evaluation = facts.contributed.get("evaluation")
    if evaluation is None or "follow_up" not in evaluation.questionnaires:
        return []
    test = evaluation.questionnaires["follow_up"]
    # It is answered by those it was sent to (who completed the program) once it has been sent; its schedule is set
    # from the program's end on (the action opens its page, where the schedule is).
    people = test.sent if test.sent else facts.participants
    step = _test("follow_up", test, people, now, opens_from=facts.program.ends_at, late_from=None, close_from=None)
    if test.sent is not None and "window" in step.counts:
        step = Step(step.key, step.state, {**step.counts, "sent": test.sent}, step.action)
    return [step]


def _test(key, test, people, now, *, opens_from, late_from, close_from):
    """A questionnaire's window and answers. Closed with attempts still in progress is late (they must be submitted
    from their saved answers). Open with no closing time: closing it is needed once everyone has answered, and
    suggested from `close_from` on."""
    if test is None or not test.questions:
        return Step(key, NOT_YET, {"participants": people, "submitted": 0, "in_progress": 0, "percent": 0})
    counts = {"participants": people, "submitted": test.submitted, "in_progress": test.in_progress,
              "percent": round(100 * test.submitted / people) if people else 0,
              "opens_at": test.opens_at, "closes_at": test.closes_at, "window": _window(test, now)}
    window = counts["window"]
    if window == "closed":
        if test.in_progress:
            return Step(key, LATE, counts, Action("finalize_attempts", "questionnaires.build", test.id, test.kind))
        return Step(key, DONE, counts)
    if window == "open":
        return Step(key, IN_PROGRESS, counts, _closing_action(test, people, now, close_from))
    if test.opens_at is not None:  # its opening is set: it opens by itself
        return Step(key, IN_PROGRESS, counts)
    late = late_from is not None and now >= late_from
    if opens_from is None or now >= opens_from:
        return Step(key, _late_or(NOT_YET, late), counts,
                    Action("open_questionnaire", "questionnaires.build", test.id, test.kind))
    return Step(key, NOT_YET, counts)


def _closing_action(test, people, now, close_from):
    if test.closes_at is not None:  # it closes by itself
        return None
    if people and test.submitted >= people:
        return Action("close_answered", "questionnaires.build", test.id, test.kind)
    if close_from is not None and now >= close_from:
        return Action("close_questionnaire", "questionnaires.build", test.id, test.kind, urgency=SUGGESTED)
    return None


def _window(test, now):
    """As assessments.windows.window_state (which training may not import): not open, open or closed."""
    if test.opens_at is None or now < test.opens_at:
        return "not_open"
    if test.closes_at is not None and now >= test.closes_at:
        return "closed"
    return "open"


# --- Certificates and closing ---------------------------------------------------------------------------------------


def _certificates(facts, now):
    certificates = facts.contributed.get("certificates")
    if certificates is None:
        return []
    return [_issuing(facts, certificates, now)]


def _issuing(facts, certificates, now):
    counts = {"eligible": certificates.eligible, "issued": certificates.issued, "waiting": certificates.waiting}
    ends = [a.ends_at for a in facts.activities if a.ends_at is not None]
    # Certificates are for having taken part: none is issued before the last activity has ended.
    over = not ends or now >= max(ends)
    if certificates.eligible:
        late = facts.program.ends_at is not None and now >= facts.program.ends_at + WEEK
        action = Action("issue_certificates", "certificates.issue") if over else None
        return Step("certificates", _late_or(IN_PROGRESS, late and over), counts, action)
    if certificates.waiting:
        return Step("certificates", IN_PROGRESS, counts, Action("draw_certificates", "certificates.issue"))
    return Step("certificates", DONE if certificates.issued else NOT_YET, counts)


def _closing(facts, now):
    evaluation = facts.contributed.get("evaluation")
    if evaluation is None:
        return []
    return [_impact(evaluation, now), _lessons(evaluation, facts, now)]


def _impact(evaluation, now):
    counts = {"pairs": evaluation.pairs}
    if not evaluation.pairs:
        return Step("impact", NOT_YET, counts)
    post = evaluation.questionnaires.get("post")
    closed = post is not None and _window(post, now) == "closed"
    return Step("impact", DONE if closed else IN_PROGRESS, counts,
                Action("read_impact", "impact.view", urgency=SUGGESTED))


def _lessons(evaluation, facts, now):
    """The lessons-learned records close the program: suggested once it ended and its post-test closed (the
    lessons cite the report's findings), done once one is recorded."""
    counts = {"lessons": evaluation.lessons}
    if evaluation.lessons:
        return Step("lessons", DONE, counts)
    ends, post = facts.program.ends_at, evaluation.questionnaires.get("post")
    if ends is None or ends > now or (post is not None and _window(post, now) != "closed"):
        return Step("lessons", NOT_YET, counts)
    return Step("lessons", IN_PROGRESS, counts, Action("record_lessons", "lessons.record", urgency=SUGGESTED))
