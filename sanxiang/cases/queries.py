"""Read-only questions the pages ask about cases: how a next deadline is shown, and which cases
need attention (the home page's reminder card calls :func:`due_cases_for`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sanxiang.accounts.access import is_active_member, restrict
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases.choices import OPEN_STATES
from sanxiang.cases.deadlines import DueDate, HolidayCalendar
from sanxiang.cases.filters import due_soon_limit
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case, CaseOfficer
from sanxiang.cases.rules import DEFAULT_RULES
from sanxiang.cases.schedule import DEADLINE_LABELS, STATUS_LABELS, Deadline

BADGES = {"overdue": "overdue", "due_soon": "due-soon"}


@dataclass(frozen=True)
class DueInfo:
    """A deadline as a list row shows it: date, label, status and its badge."""

    due: dt.date
    label: str
    status: str  # "overdue" / "due_soon" / "ok"
    provisional: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return BADGES.get(self.status, "")

    @property
    def flagged(self) -> bool:
        return self.status in BADGES


def deadline_info(deadline: Deadline, today: dt.date, calendar: HolidayCalendar) -> DueInfo:
    status = deadline.status(today, calendar, soon=DEFAULT_RULES["due_soon"].value)
    return DueInfo(deadline.due, deadline.label, status, deadline.provisional)


def next_due(case: Case, today: dt.date, calendar: HolidayCalendar) -> DueInfo | None:
    """The stored next deadline of ``case`` with its status (None when it has none)."""
    if case.next_due_on is None or case.state not in OPEN_STATES:
        return None
    code = case.next_due_code
    due = DueDate(case.next_due_on, (case.next_due_on.year,) if case.next_due_provisional else ())
    deadline = Deadline(code, DEADLINE_LABELS.get(code, code or "期限"), due, "")
    return deadline_info(deadline, today, calendar)


@dataclass(frozen=True)
class DueCase:
    case: Case
    deadline: DueInfo


def _handled_by(user: User) -> Exists:
    return Exists(CaseOfficer.objects.filter(case=OuterRef("pk"), officer__user=user))


def attention_queryset(user: User) -> models.QuerySet[Case]:
    """The open cases whose deadlines are the user's concern: a supervisor's jurisdiction, an
    agency or unit head's agency, an officer's own cases; nobody else's (empty)."""
    cases = restrict(Case.objects.filter(state__in=OPEN_STATES), user)
    if not is_active_member(user):
        return cases.none()
    roles = user.role_codes
    if roles & {Role.SUPERVISOR, Role.UNIT_HEAD, Role.AGENCY_HEAD}:
        return cases
    if Role.OFFICER in roles:
        return cases.filter(_handled_by(user))
    return cases.none()


def due_cases_for(user: User, limit: int = 10, today: dt.date | None = None) -> list[DueCase]:
    """The user's overdue and due-soon open cases (within the ``due_soon`` rule's 3 working
    days), most urgent first, at most ``limit``. Each row carries the case (with its agency and
    item loaded) and its next deadline's status for a badge."""
    today = today or timezone.localdate()
    calendar = current_calendar()
    cases = (attention_queryset(user)
             .filter(next_due_on__lt=due_soon_limit(today, calendar))
             .select_related("agency", "item")
             .order_by("next_due_on", "id")[:limit])
    found = []
    for case in cases:
        info = next_due(case, today, calendar)
        if info is not None:
            found.append(DueCase(case, info))
    return found
