"""Deadline arithmetic on real calendar edge cases. Every expected date below was worked out by
hand from the State Council's published schedules (2024: 春节 2月10–17日 休，2月4日、18日 上班；
国庆 10月1–7日 休，9月29日、10月12日 上班), not taken from the code under test."""

import datetime as dt

import pytest

from sanxiang.cases.deadlines import (
    DueDate,
    HolidayCalendar,
    ScheduleMissing,
    YearSchedule,
    due_date,
    working_days_between,
)

D = dt.date


def test_hearing_request_across_the_spring_festival() -> None:
    # Notice served Thu 8 Feb 2024; 5 working days (art. 64): 9 Feb, 18 Feb (调休 Sunday), 19, 20, 21.
    assert due_date(D(2024, 2, 8), 5) == D(2024, 2, 21)


def test_service_within_seven_working_days_across_national_day() -> None:
    # From Fri 27 Sep 2024: 29 Sep (Sun, 调休), 30 Sep, 8, 9, 10, 11 Oct, 12 Oct (Sat, 调休).
    assert due_date(D(2024, 9, 27), 7) == D(2024, 10, 12)


def test_calendar_period_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    # Payment within 15 days (art. 67) from 16 Sep 2024 would end on 1 Oct, a holiday: 8 Oct.
    assert due_date(D(2024, 9, 16), 15, working=False) == D(2024, 10, 8)
    # …but a period ending on a make-up working Saturday ends that Saturday.
    assert due_date(D(2024, 10, 5), 7, working=False) == D(2024, 10, 12)
    # An ordinary weekend end moves to Monday.
    assert due_date(D(2024, 6, 1), 15, working=False) == D(2024, 6, 17)


def test_start_day_is_not_counted() -> None:
    assert due_date(D(2024, 6, 3), 1) == D(2024, 6, 4)  # Monday → Tuesday
    assert due_date(D(2024, 6, 3), 2, working=False) == D(2024, 6, 5)


def test_leap_year_ninety_days() -> None:
    # Decision within 90 days of filing (art. 60).
    assert due_date(D(2023, 12, 1), 90, working=False) == D(2024, 2, 29)
    assert due_date(D(2022, 12, 1), 90, working=False) == D(2023, 3, 1)  # 28 Feb 2023 + 1


def test_unknown_year_is_provisional_never_a_silent_guess() -> None:
    # 2027 is not in the package: counted on weekends alone and marked provisional.
    result = due_date(D(2026, 12, 30), 2)
    assert isinstance(result, DueDate) and result.provisional and result.unknown_years == (2027,)
    assert result == D(2027, 1, 1)  # a Friday: a holiday in fact, unknown until the schedule exists
    with pytest.raises(ScheduleMissing, match="2027年的法定节假日安排尚未录入"):
        due_date(D(2026, 12, 30), 2, strict=True)
    assert not due_date(D(2026, 12, 1), 5).provisional


def test_an_entered_year_schedule_is_used() -> None:
    schedule = YearSchedule(2027, holidays=frozenset({D(2027, 1, 1)}), workdays=frozenset({D(2027, 1, 2)}))
    calendar = HolidayCalendar(extra={2027: schedule})
    result = due_date(D(2026, 12, 30), 2, calendar=calendar)
    assert result == D(2027, 1, 2) and not result.provisional  # 31 Dec, then 2 Jan (Saturday, 调休)


def test_schedule_validation() -> None:
    with pytest.raises(ValueError, match="其他年份"):
        YearSchedule(2027, holidays=frozenset({D(2026, 1, 1)}))
    with pytest.raises(ValueError, match="既是节假日又是调休工作日"):
        YearSchedule(2027, holidays=frozenset({D(2027, 2, 6)}), workdays=frozenset({D(2027, 2, 6)}))
    with pytest.raises(ValueError):
        due_date(D(2024, 1, 1), -1)


def test_working_days_between_counts_the_same_way() -> None:
    assert working_days_between(D(2024, 2, 8), D(2024, 2, 21)) == 5
    assert working_days_between(D(2024, 9, 27), D(2024, 10, 12)) == 7
    assert working_days_between(D(2024, 3, 1), D(2024, 3, 1)) == 0


def test_a_hearing_pauses_the_decision_period() -> None:
    # 90 days from filing on 1 Mar 2024 end on 30 May; a hearing from 10 to 19 Apr (10 days) does
    # not count, so the period ends 10 days later, on 9 Jun — a Sunday — hence Tue 11 Jun
    # (Mon 10 Jun 2024 was 端午节).
    assert due_date(D(2024, 3, 1), 90, working=False) == D(2024, 5, 30)
    paused = [(D(2024, 4, 10), D(2024, 4, 19))]
    assert due_date(D(2024, 3, 1), 90, working=False, pauses=paused) == D(2024, 6, 11)


def test_a_pause_inside_a_working_day_period() -> None:
    # 7 working days from Mon 3 Jun 2024: 4, 5, 6, 7, (10 Jun 端午) 11, 12, 13 → Thu 13 Jun;
    # with 4–5 Jun paused: 6, 7, 11, 12, 13, 14, 17 → Mon 17 Jun.
    assert due_date(D(2024, 6, 3), 7) == D(2024, 6, 13)
    assert due_date(D(2024, 6, 3), 7, pauses=[(D(2024, 6, 4), D(2024, 6, 5))]) == D(2024, 6, 17)
    with pytest.raises(ValueError, match="早于开始日"):
        due_date(D(2024, 6, 3), 7, pauses=[(D(2024, 6, 5), D(2024, 6, 4))])


def test_due_date_arithmetic_gives_plain_days():
    from sanxiang.cases.deadlines import DueDate

    due = DueDate(dt.date(2026, 12, 30), [2027])
    later = due + dt.timedelta(days=3)
    assert later == dt.date(2027, 1, 2) and not later.provisional and due.provisional
    assert due - dt.timedelta(days=1) == dt.date(2026, 12, 29)
