"""Who qualifies for the certificate, what is missing and from when certificates may be issued
(certificates/eligibility.py), without an app."""
from datetime import UTC, datetime

import pytest

from certificates.eligibility import (
    ABSENT,
    EXCUSED,
    NOT_COMPLETED,
    PARTIAL,
    POST_TEST_NOT_SUBMITTED,
    POST_TEST_SCORE_LOW,
    PRE_TEST_NOT_SUBMITTED,
    TOO_SHORT,
    Activity,
    Mark,
    Missing,
    Record,
    Rules,
    decide,
    issuable_from,
    questionnaire_rules,
)

# The reference program: three virtual sessions of 180 minutes and three online courses.
S1, S2, S3 = (Activity(i, "virtual_session", 180) for i in (1, 2, 3))
C1, C2, C3 = (Activity(i, "online_course") for i in (11, 12, 13))
ACTIVITIES = (S1, S2, S3, C1, C2, C3)
ALL = Rules(required=tuple(a.id for a in ACTIVITIES))
EVERYTHING_DONE = {**{s.id: Mark("present", 180) for s in (S1, S2, S3)},
                   **{c.id: Mark("completed") for c in (C1, C2, C3)}}


IDS = {"s1": S1.id, "s2": S2.id, "s3": S3.id, "c1": C1.id, "c2": C2.id, "c3": C3.id}


def _record(post_test="submitted", score=80.0, pre_test="not_started", **marks):
    """Everything done, except the activities named (s1…c3) with the marks given (and no pre-test taken)."""
    return Record({**EVERYTHING_DONE, **{IDS[name]: mark for name, mark in marks.items()}}, post_test, score,
                  pre_test)


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


def test_the_pre_test_counts_when_the_rules_ask_for_it_after_the_activities():
    rules = Rules(required=ALL.required, pre_test_required=True)
    record = Record({**EVERYTHING_DONE, S2.id: Mark("absent")}, "not_started", None, pre_test="in_progress")
    assert decide(rules, ACTIVITIES, record).missing == (Missing(ABSENT, S2.id), Missing(PRE_TEST_NOT_SUBMITTED),
                                                         Missing(POST_TEST_NOT_SUBMITTED))
    assert decide(rules, ACTIVITIES, _record(pre_test="submitted")).eligible is True
    assert decide(ALL, ACTIVITIES, _record()).eligible is True  # not asked for by default


@pytest.mark.parametrize("kinds, expected", [
    (set(), (False, False, None)),  # a program without tests asks for none, whatever the settings say
    ({"pre"}, (True, False, None)),
    ({"post"}, (False, True, 60.0)),
    ({"pre", "post", "followup"}, (True, True, 60.0)),
])
def test_the_tests_rules_apply_only_to_the_tests_the_program_has(kinds, expected):
    assert questionnaire_rules(True, True, 60.0, kinds) == expected
    assert questionnaire_rules(False, False, None, kinds) == (False, False, None)


def test_issuing_waits_for_the_latest_end_among_the_counted_activities():
    at = lambda day, hour: datetime(2026, 12, day, hour, tzinfo=UTC)  # noqa: E731
    activities = (Activity(1, "virtual_session", 120, at(7, 20)), Activity(2, "virtual_session", 120, at(18, 22)),
                  Activity(3, "online_course", None, at(25, 5)), Activity(4, "online_course", None, None))
    assert issuable_from(Rules(required=(1, 2, 3, 4)), activities) == (activities[2], at(25, 5))
    assert issuable_from(Rules(required=(1, 2)), activities) == (activities[1], at(18, 22))  # C1 does not count
    assert issuable_from(Rules(required=(4,)), activities) is None  # no known end: nothing to wait for
