"""Who qualifies for the certificate and what is missing (certificates/eligibility.py), without an app."""
import pytest

from certificates.eligibility import (
    ABSENT,
    EXCUSED,
    NOT_COMPLETED,
    PARTIAL,
    POST_TEST_NOT_SUBMITTED,
    POST_TEST_SCORE_LOW,
    TOO_SHORT,
    Activity,
    Mark,
    Missing,
    Record,
    Rules,
    decide,
)

# The reference program: three virtual sessions of 180 minutes and three online courses.
S1, S2, S3 = (Activity(i, "virtual_session", 180) for i in (1, 2, 3))
C1, C2, C3 = (Activity(i, "online_course") for i in (11, 12, 13))
ACTIVITIES = (S1, S2, S3, C1, C2, C3)
ALL = Rules(required=tuple(a.id for a in ACTIVITIES))
EVERYTHING_DONE = {**{s.id: Mark("present", 180) for s in (S1, S2, S3)},
                   **{c.id: Mark("completed") for c in (C1, C2, C3)}}


IDS = {"s1": S1.id, "s2": S2.id, "s3": S3.id, "c1": C1.id, "c2": C2.id, "c3": C3.id}


def _record(post_test="submitted", score=80.0, **marks):
    """Everything done, except the activities named (s1…c3) with the marks given."""
    return Record({**EVERYTHING_DONE, **{IDS[name]: mark for name, mark in marks.items()}}, post_test, score)


def test_everything_done_qualifies():
    assert decide(ALL, ACTIVITIES, _record()).eligible is True
    assert decide(ALL, ACTIVITIES, _record()).missing == ()


def test_every_missing_thing_is_listed_in_the_order_of_the_program():
    record = Record({S1.id: Mark("present"), S3.id: Mark("absent"), C1.id: Mark("completed"),
                     C2.id: Mark("absent")}, post_test="in_progress")
    decision = decide(ALL, ACTIVITIES, record)
    assert decision.eligible is False
    assert decision.missing == (Missing(ABSENT, S2.id), Missing(ABSENT, S3.id), Missing(NOT_COMPLETED, C2.id),
                                Missing(NOT_COMPLETED, C3.id), Missing(POST_TEST_NOT_SUBMITTED))


def test_only_required_activities_count():
    rules = Rules(required=(S1.id, C1.id))
    record = Record({S1.id: Mark("late"), C1.id: Mark("completed")}, "submitted", 50.0)
    assert decide(rules, ACTIVITIES, record).eligible is True


@pytest.mark.parametrize("counts, expected", [(False, (Missing(EXCUSED, 2),)), (True, ())])
def test_excused_absences_count_only_when_the_program_says_so(counts, expected):
    rules = Rules(required=ALL.required, excused_counts=counts)
    assert decide(rules, ACTIVITIES, _record(s2=Mark("excused"))).missing == expected


def test_a_partial_session_does_not_count_without_a_minimum_share():
    assert decide(ALL, ACTIVITIES, _record(s2=Mark("partial", 150))).missing == (Missing(PARTIAL, S2.id),)


def test_with_a_minimum_share_the_minutes_decide():
    rules = Rules(required=ALL.required, min_share=0.75)
    assert decide(rules, ACTIVITIES, _record(s2=Mark("partial", 135))).eligible is True  # 135 of 180 = 75 %
    short = decide(rules, ACTIVITIES, _record(s2=Mark("present", 120)))
    assert short.missing == (Missing(TOO_SHORT, S2.id, pytest.approx(120 / 180), 0.75),)
    assert decide(rules, ACTIVITIES, _record(s2=Mark("present"))).eligible is True  # marked by hand, no minutes


def test_a_course_counts_only_when_completed():
    assert decide(ALL, ACTIVITIES, _record(c3=Mark("present"))).missing == (Missing(NOT_COMPLETED, C3.id),)


def test_the_post_test_can_be_optional_or_need_a_minimum_score():
    not_taken = _record(post_test="not_started", score=None)
    assert decide(Rules(required=ALL.required, post_test_required=False), ACTIVITIES, not_taken).eligible is True
    strict = Rules(required=ALL.required, min_post_score=70.0)
    assert decide(strict, ACTIVITIES, _record(score=70.0)).eligible is True
    assert decide(strict, ACTIVITIES, _record(score=65.5)).missing == (
        Missing(POST_TEST_SCORE_LOW, reached=65.5, needed=70.0),)
    assert decide(strict, ACTIVITIES, not_taken).missing == (Missing(POST_TEST_NOT_SUBMITTED),)
