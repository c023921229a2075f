"""The case list's filters and sort orders: a whitelist shared by the pages (and the API if it wants).

Only the parameters named here are read; unknown keys and values are ignored (an unknown choice
gives an empty list rather than an error, as a hand-edited URL deserves).

Deadline filters work on the next deadline stored on each case (``next_due_on``), so the list
sorts and filters in the database. "Due soon" means within the ``due_soon`` rule's working days
(3): the same test as :meth:`sanxiang.cases.schedule.Deadline.status`, so a case marked 即将到期
on its row is one the filter finds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from sanxiang.cases.choices import OPEN_STATES, CaseState, Procedure
from sanxiang.cases.deadlines import HolidayCalendar, due_date
from sanxiang.cases.models import CaseOfficer, Party
from sanxiang.cases.rules import DEFAULT_RULES

OPEN = "open"  # extra value of the state filter: every state in which the case is still handled
STATE_CHOICES = [(OPEN, "办理中（全部未结）")] + [(str(v), str(label)) for v, label in CaseState.choices]
DEADLINE_CHOICES = [
    ("overdue", "已超期"),
    ("due_soon", "即将到期（3个工作日内）"),
    ("provisional", "期限为暂定"),
    ("none", "无期限"),
]
SORT_CHOICES = [("next_due", "按下一期限"), ("received", "按线索登记日期（新的在前）")]
DUE_SOON_DAYS = DEFAULT_RULES["due_soon"].value
# The whitelist: parameters the list reads.
PARAMS = ("state", "officer", "item", "party", "deadline", "procedure", "agency", "sort")


def due_soon_limit(today: dt.date, calendar: HolidayCalendar, days: int = DUE_SOON_DAYS) -> dt.date:
    """The first day that is no longer "due soon": a deadline is due soon when it falls before it.

    ``due_date(today, days + 1)`` is the working day after the last of the ``days`` working days,
    so a deadline on a weekend or holiday right after the third working day is still due soon —
    exactly when ``working_days_between(today, due) <= days``, the test of ``Deadline.status``.
    """
    return due_date(today, days + 1, calendar=calendar)


def deadline_q(value: str, today: dt.date, calendar: HolidayCalendar) -> Q | None:
    """The condition of the deadline filter ``value`` (None for an unknown value)."""
    open_ = Q(state__in=OPEN_STATES)
    if value == "overdue":
        return open_ & Q(next_due_on__lt=today)
    if value == "due_soon":
        return open_ & Q(next_due_on__gte=today, next_due_on__lt=due_soon_limit(today, calendar))
    if value == "provisional":
        return open_ & Q(next_due_provisional=True)
    if value == "none":
        return Q(next_due_on__isnull=True)
    return None


def _party_q(text: str) -> Q:
    """Cases with a party whose name contains ``text`` or whose 身份证/USCC is ``text``."""
    upper = text.upper()
    match = Party.objects.filter(case=OuterRef("pk")).filter(
        Q(name__icontains=text) | Q(id_number=upper) | Q(uscc=upper))
    return Q(Exists(match))


def _int(value: str) -> int:
    return int(value) if value.isdigit() else -1


def filter_cases(queryset: models.QuerySet, params: Mapping[str, str], today: dt.date,
                 calendar: HolidayCalendar) -> models.QuerySet:
    """Apply the whitelisted filters in ``params`` to ``queryset`` (already restricted to what the
    user may see) and the chosen sort order."""
    value = {name: (params.get(name) or "").strip() for name in PARAMS}
    if value["state"] == OPEN:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif value["state"]:
        queryset = queryset.filter(state=value["state"])
    if value["procedure"]:
        queryset = queryset.filter(procedure=value["procedure"] if value["procedure"] in Procedure.values else "-")
    if value["item"]:
        queryset = queryset.filter(item_id=_int(value["item"]))
    if value["agency"]:
        queryset = queryset.filter(agency_id=_int(value["agency"]))
    if value["officer"]:
        handled = CaseOfficer.objects.filter(case=OuterRef("pk"), officer_id=_int(value["officer"]))
        queryset = queryset.filter(Exists(handled))
    if value["party"]:
        queryset = queryset.filter(_party_q(value["party"]))
    if value["deadline"]:
        condition = deadline_q(value["deadline"], today, calendar)
        queryset = queryset.filter(condition) if condition is not None else queryset.none()
    return sort_cases(queryset, value["sort"])


def sort_cases(queryset: models.QuerySet, sort: str) -> models.QuerySet:
    """Next deadline first (cases without one last), or newest clue first."""
    if sort == "received":
        return queryset.order_by("-received_on", "-id")
    return queryset.order_by(F("next_due_on").asc(nulls_last=True), "-received_on", "-id")
