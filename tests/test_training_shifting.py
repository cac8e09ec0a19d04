"""The dates of a copied program: whole days, same wall-clock time in the program's zone across a change of clocks."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from training.shifting import day_shift, first_day, shift_date, shift_moment

MADRID = "Europe/Madrid"


def test_a_day_shift_is_counted_from_the_source_start():
    assert day_shift(date(2021, 10, 25), date(2022, 10, 24)) == 364
    assert day_shift(date(2021, 10, 25), date(2021, 10, 20)) == -5
    assert day_shift(None, date(2022, 1, 1)) == 0
    assert shift_date(date(2021, 10, 29), 364) == date(2022, 10, 28) and shift_date(None, 3) is None


def test_a_session_at_nine_stays_at_nine_local_across_the_autumn_change():
    # 09:00 in Madrid on Friday 2021-10-29 (summer time, UTC+2) → Monday 2021-11-01 (winter time, UTC+1).
    source = datetime(2021, 10, 29, 7, 0, tzinfo=timezone.utc)
    moved = shift_moment(source, 3, MADRID)
    assert moved == datetime(2021, 11, 1, 8, 0, tzinfo=timezone.utc)
    assert moved.astimezone(ZoneInfo(MADRID)).strftime("%H:%M") == "09:00"
    assert (moved - source).total_seconds() == 3 * 24 * 3600 + 3600  # not a plain 72 hours


def test_a_spring_change_shortens_the_utc_gap_and_a_skipped_hour_moves_forward():
    source = datetime(2022, 3, 25, 8, 0, tzinfo=timezone.utc)  # 09:00 CET
    assert shift_moment(source, 3, MADRID) == datetime(2022, 3, 28, 7, 0, tzinfo=timezone.utc)  # 09:00 CEST
    skipped = datetime(2022, 3, 26, 1, 30, tzinfo=timezone.utc)  # 02:30 CET; 02:30 on the 27th does not exist
    assert shift_moment(skipped, 1, MADRID).astimezone(ZoneInfo(MADRID)).strftime("%H:%M") == "03:30"


def test_a_zone_without_changes_and_no_moment():
    source = datetime(2023, 10, 25, 15, 0, tzinfo=timezone.utc)  # Mexico has kept one offset since 2022
    assert shift_moment(source, 7, "America/Mexico_City") == datetime(2023, 11, 1, 15, 0, tzinfo=timezone.utc)
    assert shift_moment(None, 7, MADRID) is None


def test_a_program_without_a_start_date_is_measured_from_its_first_moment_in_its_zone():
    late_evening = datetime(2021, 10, 26, 3, 30, tzinfo=timezone.utc)  # 25 October, 22:30 in Mexico City
    assert first_day([None, datetime(2021, 10, 27, 15, 0, tzinfo=timezone.utc), late_evening],
                     "America/Mexico_City") == date(2021, 10, 25)
    assert first_day([None], MADRID) is None
