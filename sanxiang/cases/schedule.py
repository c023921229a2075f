"""A case's deadlines, computed from its dates, the agency's rules and the holiday calendar.

Nothing here is stored except the next deadline (kept on the case so lists can sort by it);
every figure can be recomputed, and is, when an administrator enters a year's holiday schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.cases.choices import OPEN_STATES, CaseState
from sanxiang.cases.deadlines import DueDate, HolidayCalendar, due_date, working_days_between
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.lifecycle import BEFORE_DECISION
from sanxiang.cases.models import AgencyRule, Case
from sanxiang.cases.rules import RuleBook


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    due: DueDate
    source: str

    @property
    def provisional(self) -> bool:
        return self.due.provisional

    def status(self, today: dt.date, calendar: HolidayCalendar, soon: int = 3) -> str:
        return due_status(self.due, today, calendar, soon)


def due_status(due: dt.date, today: dt.date, calendar: HolidayCalendar, soon: int = 3) -> str:
    """"overdue", "due_soon" (within ``soon`` working days) or "ok": the one flag rule for case,
    review and publication deadlines."""
    if due < today:
        return "overdue"
    if working_days_between(today, due, calendar=calendar) <= soon:
        return "due_soon"
    return "ok"


STATUS_LABELS = {"overdue": "已超期", "due_soon": "即将到期", "ok": "正常"}
# The deadlines :func:`deadlines` computes, by code (also the stored ``Case.next_due_code``).
DEADLINE_LABELS = {
    "decision": "作出处理决定", "preservation": "先行登记保存处理决定", "statement": "陈述申辩期满",
    "hearing": "举行听证", "service": "送达决定书", "payment": "缴纳罚款",
}


def rulebook(agency_id: int) -> RuleBook:
    return RuleBook(dict(AgencyRule.objects.filter(agency_id=agency_id).values_list("code", "value")))


def _pauses(case: Case) -> tuple[list[tuple[dt.date, dt.date]], bool]:
    closed, open_ = [], False
    for pause in case.pauses.all():
        if pause.ended_on is None:
            open_ = True
        else:
            closed.append((pause.started_on, pause.ended_on))
    return closed, open_


def deadlines(case: Case, rules: RuleBook | None = None, calendar: HolidayCalendar | None = None) -> list[Deadline]:
    """The deadlines running now for ``case`` (none once it is closed), earliest first."""
    if case.state not in OPEN_STATES:
        return []
    rules = rules or rulebook(case.agency_id)
    calendar = calendar or current_calendar()
    found: list[Deadline] = []

    def add(code: str, start: dt.date | None) -> None:
        if start is None:
            return
        rule = rules.rule(code)
        due = due_date(start, rules.value(code), rule.working, calendar=calendar)
        found.append(Deadline(code, DEADLINE_LABELS[code], due, rule.source))

    if case.state in BEFORE_DECISION and case.filed_on:
        paused, still_paused = _pauses(case)
        if not still_paused:
            rule = rules.rule("decision")
            days = rules.value("decision") + case.extension_days
            due = due_date(case.filed_on, days, False, calendar=calendar, pauses=paused)
            found.append(Deadline("decision", DEADLINE_LABELS["decision"], due, rule.source))
    if case.preserved_on and not case.preservation_resolved_on:
        add("preservation", case.preserved_on)
    if case.state == CaseState.NOTICE and not case.statement_waived:
        add("statement", case.notice_served_on)
    if case.state == CaseState.HEARING and case.hearing_date:
        found.append(Deadline("hearing", DEADLINE_LABELS["hearing"], DueDate(case.hearing_date), "《行政处罚法》第六十四条"))
    if case.state == CaseState.SERVICE:
        add("service", case.decided_on)
    if case.state == CaseState.EXECUTION and not case.executed_on and case.decision_fine:
        add("payment", case.served_on)
    return sorted(found, key=lambda d: (d.due, d.code))


def next_deadline(case: Case, **kwargs: object) -> Deadline | None:
    found = deadlines(case, **kwargs)  # type: ignore[arg-type]
    return found[0] if found else None


def refresh(case: Case, rules: RuleBook | None = None, calendar: HolidayCalendar | None = None) -> None:
    """Set the case's stored next-deadline fields (the caller saves)."""
    upcoming = next_deadline(case, rules=rules, calendar=calendar)
    case.next_due_on = upcoming.due if upcoming else None
    case.next_due_code = upcoming.code if upcoming else ""
    case.next_due_provisional = bool(upcoming and upcoming.provisional)


def recompute_open_cases(agency_id: int | None = None, on_case: Callable[[], object] | None = None) -> int:
    """Recompute the stored next deadline of every open case (of one agency, when given) after a
    holiday schedule or a rule changed. Returns how many changed; ``on_case`` is called after each
    case (a progress bar)."""
    changed = 0
    calendar = current_calendar()
    books: dict[int, RuleBook] = {}
    cases = Case.objects.filter(state__in=OPEN_STATES)
    if agency_id is not None:
        cases = cases.filter(agency_id=agency_id)
    for case in cases.prefetch_related("pauses").iterator(chunk_size=500):
        before = (case.next_due_on, case.next_due_code, case.next_due_provisional)
        book = books.setdefault(case.agency_id, rulebook(case.agency_id))
        refresh(case, book, calendar)
        if (case.next_due_on, case.next_due_code, case.next_due_provisional) != before:
            Case.objects.filter(pk=case.pk).update(next_due_on=case.next_due_on, next_due_code=case.next_due_code,
                                                   next_due_provisional=case.next_due_provisional)
            changed += 1
        if on_case:
            on_case()
    return changed


def today() -> dt.date:
    return timezone.localdate()
