"""The working-day calendar in force: the ``chinesecalendar`` package's data plus every year an
administrator entered (:class:`~sanxiang.cases.models.HolidaySchedule`)."""

import datetime as dt

from django.db.models import Count, Max

from sanxiang.cases.deadlines import HolidayCalendar, YearSchedule
from sanxiang.cases.models import HolidaySchedule

_cache: dict[str, object] = {}


def _as_dates(values: list[str]) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(v) for v in values)


def schedule_of(row: HolidaySchedule) -> YearSchedule:
    return YearSchedule(row.year, _as_dates(row.holidays), _as_dates(row.workdays or []))


def current_calendar() -> HolidayCalendar:
    """The calendar with every entered year; rebuilt only when the entered schedules change."""
    stamp = HolidaySchedule.objects.aggregate(n=Count("id"), last=Max("entered_at"))
    key = f"{stamp['n']}:{stamp['last']}"
    if _cache.get("key") != key:
        extra = {row.year: schedule_of(row) for row in HolidaySchedule.objects.all()}
        _cache.update(key=key, calendar=HolidayCalendar(extra=extra))
    return _cache["calendar"]  # type: ignore[return-value]


def missing_years(today: dt.date | None = None, ahead: int = 1) -> list[int]:
    """Years from this one to ``ahead`` years on that no schedule covers (the admin is warned)."""
    today = today or dt.date.today()
    calendar = current_calendar()
    return [y for y in range(today.year, today.year + ahead + 1) if not calendar.knows(y)]
