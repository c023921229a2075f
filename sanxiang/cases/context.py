"""Template context of the case app: the warning shown on every page while a year's holiday
schedule is missing, and the home page's panel of overdue and soon-due cases.

Both read the stored next deadline of each case (``next_due_on`` / ``next_due_code`` /
``next_due_provisional``, kept current by the services), so a page costs a query or two, not a
recomputation of every deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from sanxiang.accounts.access import is_active_member, may_manage_platform, restrict
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases import schedule
from sanxiang.cases.choices import OPEN_STATES, CaseState
from sanxiang.cases.deadlines import HolidayCalendar, working_days_between
from sanxiang.cases.holidays import current_calendar, missing_years
from sanxiang.cases.models import Case
from sanxiang.cases.rules import DEFAULT_RULES
from sanxiang.cases.schedule import DEADLINE_LABELS

STATE_LABELS = dict(CaseState.choices)
# A case due within the "due soon" window (≤ 3 working days) is due within this many calendar
# days even across the longest holiday: the database narrows to these, Python decides exactly.
_SOON_BOUND = dt.timedelta(days=30)
PANEL_LIMIT = 200


def deadline_label(code: str) -> str:
    if code in DEADLINE_LABELS:
        return DEADLINE_LABELS[code]
    rule = DEFAULT_RULES.get(code)
    return rule.label if rule else code


# ---------------------------------------------------------------- the schedule warning


@dataclass
class ScheduleWarning:
    """Years with no holiday schedule, worded for ``user``: the 司法局 admin who can enter them gets
    a link (``url``), an agency admin is told whom to ask, everyone else a milder note."""

    years: list[int]
    user: User
    manager: bool

    @property
    def text(self) -> str:
        shown = "、".join(str(y) for y in self.years)
        return f"{shown}年法定节假日安排尚未录入，跨年期限按周末计算并标为“暂定”"

    @property
    def level(self) -> str:
        return "warning" if self.manager or self.user.has_role(Role.ADMIN) else "info"

    @property
    def hint(self) -> str:
        if self.manager:
            return "国务院公布后请及时录入，录入后相关期限自动重新计算。"
        if self.user.has_role(Role.ADMIN):
            return "请联系司法局系统管理员录入。"
        return ""

    @property
    def url(self) -> str:
        return reverse("case_settings:holiday_edit", kwargs={"year": self.years[0]}) if self.manager else ""

    @cached_property
    def provisional_count(self) -> int:
        """Open cases whose next deadline is provisional: on the whole platform for the 司法局 admin
        (a count only), else among the cases the user may see."""
        cases = Case.objects.filter(state__in=OPEN_STATES, next_due_provisional=True)
        return (cases if self.manager else restrict(cases, self.user)).count()


def schedule_warning(request: HttpRequest) -> dict[str, object]:
    """``schedule_warning``: a :class:`ScheduleWarning` while this year or the next has no holiday
    schedule, else None (nothing for anonymous visitors)."""
    user = getattr(request, "user", None)
    if not is_active_member(user):
        return {}
    years = missing_years(schedule.today(), ahead=1)
    return {"schedule_warning": ScheduleWarning(years, user, may_manage_platform(user)) if years else None}


# ---------------------------------------------------------------- the due / overdue panel


@dataclass(frozen=True)
class DueRow:
    case: Case
    status: str  # "overdue" / "due_soon"
    label: str
    url: str

    @property
    def status_label(self) -> str:
        return schedule.STATUS_LABELS[self.status]

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.case.state, self.case.state)


@dataclass
class DuePanel:
    title: str
    read_only: bool
    groups: list[tuple[str, list[DueRow]]] = field(default_factory=list)
    truncated: bool = False

    def count(self, status: str) -> int:
        return sum(1 for _, rows in self.groups for row in rows if row.status == status)

    @property
    def overdue(self) -> int:
        return self.count("overdue")

    @property
    def due_soon(self) -> int:
        return self.count("due_soon")


def panel_scope(user: User) -> tuple[str, QuerySet[Case], bool] | None:
    """(title, open cases to watch, read-only) for ``user``'s roles; None when none applies."""
    cases = restrict(Case.objects.filter(state__in=OPEN_STATES), user)
    if user.has_role(Role.SUPERVISOR):
        return "辖区超期和临期案件", cases, True
    if user.has_role(Role.UNIT_HEAD) or user.has_role(Role.AGENCY_HEAD):
        return "本机关超期和临期案件", cases.filter(agency_id=user.agency_id), False
    if user.has_role(Role.OFFICER):
        return "我承办的超期和临期案件", cases.filter(agency_id=user.agency_id, handlers__officer__user=user), False
    return None


def case_url(case: Case) -> str:
    try:
        return reverse("cases:detail", kwargs={"pk": case.pk})
    except NoReverseMatch:  # the case page is not there yet
        return ""


def due_panel(user: User, today: dt.date | None = None) -> DuePanel | None:
    """The user's open cases that are overdue or due within the agency's "due soon" window
    (3 working days by default), earliest first, grouped by agency."""
    scope = panel_scope(user)
    if scope is None:
        return None
    title, cases, read_only = scope
    today = today or schedule.today()
    found = list(cases.filter(next_due_on__isnull=False, next_due_on__lte=today + _SOON_BOUND)
                 .select_related("agency").distinct().order_by("agency__name", "next_due_on", "pk")[:PANEL_LIMIT + 1])
    panel = DuePanel(title, read_only, truncated=len(found) > PANEL_LIMIT)
    soon = {pk: schedule.rulebook(pk).value("due_soon") for pk in {c.agency_id for c in found}}
    calendar = current_calendar()
    rows = [row for case in found[:PANEL_LIMIT] if (row := _row(case, today, soon[case.agency_id], calendar))]
    panel.groups = [(name, list(group)) for name, group in groupby(rows, key=lambda r: r.case.agency.name)]
    return panel


def _row(case: Case, today: dt.date, soon: int, calendar: HolidayCalendar) -> DueRow | None:
    due = case.next_due_on
    if due < today:
        status = "overdue"
    elif working_days_between(today, due, calendar=calendar) <= soon:
        status = "due_soon"
    else:
        return None
    return DueRow(case, status, deadline_label(case.next_due_code), case_url(case))
