"""Questionnaire windows and attempt deadlines (pure)."""
from datetime import datetime, timedelta, timezone

from assessments.windows import attempt_deadline, finalized_reason, refusal, window_state

T = datetime(2026, 3, 3, 20, 0, tzinfo=timezone.utc)
MINUTE = timedelta(minutes=1)


def test_window_states_at_the_edges():
    assert window_state(None, None, T) == "not_open"
    assert window_state(T, T + 60 * MINUTE, T - MINUTE) == "not_open"
    assert window_state(T, T + 60 * MINUTE, T) == "open"
    assert window_state(T, None, T + 1000 * MINUTE) == "open"
    assert window_state(T, T + 60 * MINUTE, T + 60 * MINUTE) == "closed"


def test_post_test_waits_for_the_pre_test():
    assert refusal("post", "open", pre_test_opened=False) == "not_open"
    assert refusal("post", "open", pre_test_opened=True) is None
    assert refusal("pre", "closed", pre_test_opened=True) == "closed"


def test_deadline_is_the_earlier_of_time_limit_and_closing():
    assert attempt_deadline(T, None, None) is None
    assert attempt_deadline(T, 20, None) == T + 20 * MINUTE
    assert attempt_deadline(T, 20, T + 10 * MINUTE) == T + 10 * MINUTE
    assert attempt_deadline(T, None, T + 30 * MINUTE) == T + 30 * MINUTE


def test_why_an_attempt_is_finalized():
    assert finalized_reason(None, None, T) is None
    assert finalized_reason(T + MINUTE, None, T) is None
    assert finalized_reason(T, None, T) == "time_limit"
    assert finalized_reason(T, T, T + MINUTE) == "window_closed"
    assert finalized_reason(T, T + MINUTE, T + 2 * MINUTE) == "time_limit"
