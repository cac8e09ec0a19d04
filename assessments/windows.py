"""When a questionnaire can be taken and when an attempt must end (pure; times are aware UTC datetimes)."""
from datetime import timedelta

NOT_OPEN, OPEN, CLOSED = "not_open", "open", "closed"


def window_state(opens_at, closes_at, now):
    """'not_open' before the opening (or with no opening set), 'closed' from the closing on, else 'open'."""
    if opens_at is None or now < opens_at:
        return NOT_OPEN
    if closes_at is not None and now >= closes_at:
        return CLOSED
    return OPEN


def refusal(kind, state, pre_test_opened):
    """Why a participant cannot start or continue now (a state code), or None when they can.
    A post-test is never open before the pre-test's window has opened."""
    if kind == "post" and not pre_test_opened:
        return NOT_OPEN
    return None if state == OPEN else state


def attempt_deadline(started_at, time_limit_minutes, closes_at):
    """The moment an attempt ends by itself: its time limit or the window's closing, whichever comes first."""
    candidates = [closes_at] if closes_at is not None else []
    if time_limit_minutes:
        candidates.append(started_at + timedelta(minutes=time_limit_minutes))
    return min(candidates) if candidates else None


def finalized_reason(deadline, closes_at, now):
    """Why an in-progress attempt must be finalized from its saved answers now ('time_limit' or
    'window_closed'), or None while it may go on."""
    if deadline is None or now < deadline:
        return None
    return "window_closed" if closes_at is not None and deadline >= closes_at else "time_limit"


# The follow-up survey measures use at work months after the program: by default it opens twelve weeks after the
# program ends and stays open four weeks (long enough for people back at work to find a moment).
WEEK = timedelta(days=7)
FOLLOW_UP_WEEKS_AFTER, FOLLOW_UP_WEEKS_OPEN = 12, 4
MAX_WEEKS_AFTER, MAX_WEEKS_OPEN = 104, 26


def follow_up_window(program_end, weeks_after, weeks_open):
    """(opens, closes) of a follow-up sent `weeks_after` weeks after `program_end` and open `weeks_open` weeks."""
    opens = program_end + weeks_after * WEEK
    return opens, opens + weeks_open * WEEK


def follow_up_weeks(program_end, opens_at, closes_at):
    """(weeks after the end, weeks open) of a window `follow_up_window` could have made, else None (a window set by
    hand or sent early is shown as its dates)."""
    if program_end is None or opens_at is None or closes_at is None:
        return None
    after, length = opens_at - program_end, closes_at - opens_at
    if after < timedelta(0) or after % WEEK or length % WEEK:
        return None
    return after // WEEK, length // WEEK
