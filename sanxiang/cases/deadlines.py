"""Deadlines as the law counts them. Pure Python (no Django), so it can be checked anywhere.

* 行政处罚法 (2021) art. 85: its 二日、三日、五日、七日 are **working days**; other periods (15, 60,
  90 days …) are calendar days.
* The day a period starts is not counted; a period whose last day is a statutory rest day ends on
  the first working day after it (民事诉讼法 art. 85; 民法典 art. 203).
* Working days follow the State Council's holiday schedule: weekends and public holidays are rest
  days, make-up working days (调休) are working days.

The schedule comes from the ``chinesecalendar`` package (2004–2026) plus any year an administrator
entered (:class:`YearSchedule`). For a year that neither knows, the period is counted on weekends
alone and the result is marked **provisional** (:attr:`DueDate.provisional`) — or, with
``strict=True``, :class:`ScheduleMissing` is raised. Never a silent guess.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from chinese_calendar import constants as _package

ONE_DAY = dt.timedelta(days=1)
# A period can never run longer than this many days past its nominal end (the longest run of
# rest days in any schedule is about 9); beyond it the schedule data must be wrong.
_MAX_EXTENSION = 60


class ScheduleMissing(LookupError):
    """No holiday schedule is loaded for a year a deadline falls in."""

    def __init__(self, years: Iterable[int]) -> None:
        self.years = sorted(set(years))
        shown = "、".join(str(y) for y in self.years)
        super().__init__(f"{shown}年的法定节假日安排尚未录入，无法准确计算期限；请系统管理员录入该年的放假调休安排")


class DueDate(dt.date):
    """The last day of a period; ``provisional`` when part of it fell in a year with no schedule."""

    provisional: bool
    unknown_years: tuple[int, ...]

    def __new__(cls, day: dt.date | int, unknown_years: Iterable[int] | int = (), *rest: int) -> DueDate:
        # Date arithmetic (due + timedelta) builds the subclass from (year, month, day): the result
        # is then a plain day, with nothing provisional known about it.
        if isinstance(day, int):
            value = super().__new__(cls, day, int(unknown_years), *rest)  # type: ignore[arg-type]
            unknown_years = ()
        else:
            value = super().__new__(cls, day.year, day.month, day.day)
        value.unknown_years = tuple(sorted(set(unknown_years)))  # type: ignore[arg-type]
        value.provisional = bool(value.unknown_years)
        return value

    def __repr__(self) -> str:
        flag = ", provisional" if self.provisional else ""
        return f"DueDate({self.isoformat()}{flag})"


@dataclass(frozen=True)
class YearSchedule:
    """One year's State Council schedule: public holidays and make-up working days (调休)."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        stray = [d for d in self.holidays | self.workdays if d.year != self.year]
        if stray:
            raise ValueError(f"{self.year}年的安排中含有其他年份的日期：{stray[0].isoformat()}")
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"{min(both).isoformat()} 不能既是节假日又是调休工作日")


@dataclass
class HolidayCalendar:
    """Which days are working days, from the package's data and administrator-entered years."""

    extra: Mapping[int, YearSchedule] = field(default_factory=dict)

    def knows(self, year: int) -> bool:
        return year in self.extra or _PACKAGE_FIRST <= year <= _PACKAGE_LAST

    def is_workday(self, day: dt.date) -> bool:
        """Working day or not; for an unknown year, by the weekday alone (the caller marks it)."""
        schedule = self.extra.get(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            return day not in schedule.holidays and day.weekday() < 5
        if day in _package.workdays:
            return True
        return day not in _package.holidays and day.weekday() < 5


_PACKAGE_FIRST = min(_package.holidays).year
_PACKAGE_LAST = max(_package.holidays).year
DEFAULT_CALENDAR = HolidayCalendar()


Pause = tuple[dt.date, dt.date]  # first and last day (inclusive) during which the period stands still


def due_date(start: dt.date, days: int, working: bool = True, *, calendar: HolidayCalendar | None = None,
             strict: bool = False, pauses: Iterable[Pause] = ()) -> DueDate:
    """The last day of a period of ``days`` days beginning on ``start`` (not counted).

    ``working=True``: count working days only. ``working=False``: count calendar days, then move
    a last day that is a rest day to the next working day. Days inside ``pauses`` (a hearing,
    public notice, testing, suspension: 行政处罚法 art. 60 and sector rules) are not counted.
    Raises :class:`ScheduleMissing` for an unknown year when ``strict``, else marks the result
    provisional.
    """
    if days < 0:
        raise ValueError("期限天数不能为负数")
    calendar = calendar or DEFAULT_CALENDAR
    paused = _paused_days(pauses)
    seen: set[int] = set()
    day = _count(start, days, working, calendar, paused, seen)
    day = _next_workday(day, calendar, seen, limit=_MAX_EXTENSION)
    unknown = {year for year in seen if not calendar.knows(year)}
    if unknown and strict:
        raise ScheduleMissing(unknown)
    return DueDate(day, unknown)


def _paused_days(pauses: Iterable[Pause]) -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for first, last in pauses:
        if last < first:
            raise ValueError(f"暂停期间的结束日 {last.isoformat()} 早于开始日 {first.isoformat()}")
        days.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset(days)


def _count(start: dt.date, days: int, working: bool, calendar: HolidayCalendar,
           paused: frozenset[dt.date], seen: set[int]) -> dt.date:
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if working:
            seen.add(day.year)
        if day not in paused and (not working or calendar.is_workday(day)):
            counted += 1
    return day


def _next_workday(day: dt.date, calendar: HolidayCalendar, seen: set[int], limit: int) -> dt.date:
    seen.add(day.year)
    for _ in range(limit):
        if calendar.is_workday(day):
            return day
        day += ONE_DAY
        seen.add(day.year)
    raise ValueError(f"{day.isoformat()} 之前连续{limit}天都不是工作日：节假日数据有误")


def working_days_between(first: dt.date, last: dt.date, *, calendar: HolidayCalendar | None = None) -> int:
    """Working days after ``first`` up to and including ``last`` (0 when ``last`` ≤ ``first``)."""
    calendar = calendar or DEFAULT_CALENDAR
    count, day = 0, first
    while day < last:
        day += ONE_DAY
        count += calendar.is_workday(day)
    return count
