"""A case's deadlines as the law counts them, and the next deadline kept on the case."""

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.cases import schedule, services
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.deadlines import due_date
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import AgencyRule, Case
from sanxiang.cases.testing import walk_to


@pytest.fixture(autouse=True)
def _render_later(settings) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def test_decision_deadline_is_ninety_calendar_days_from_filing(cw) -> None:
    case = walk_to(cw, S.INVESTIGATION)
    (deadline,) = schedule.deadlines(case)
    assert deadline.code == "decision" and "第六十条" in deadline.source
    assert deadline.due == due_date(case.filed_on, 90, working=False)
    assert (case.next_due_on, case.next_due_code) == (deadline.due, "decision")


def test_service_is_seven_working_days_and_a_stricter_agency_rule_applies(cw) -> None:
    case = walk_to(cw, S.SERVICE)
    assert case.next_due_code == "service"
    assert case.next_due_on == due_date(case.decided_on, 7, working=True)
    AgencyRule.objects.create(agency=case.agency, code="service", value=3, note="本机关规定三个工作日")
    (deadline,) = schedule.deadlines(case)
    assert deadline.due == due_date(case.decided_on, 3, working=True) < case.next_due_on


def test_payment_is_fifteen_calendar_days_after_service(cw) -> None:
    case = walk_to(cw, S.EXECUTION)
    (deadline,) = schedule.deadlines(case)
    assert deadline.code == "payment"
    assert deadline.due == due_date(case.served_on, 15, working=False)
    services.perform(cw.user("officer"), case, "record_execution")
    assert schedule.deadlines(Case.objects.get(pk=case.pk)) == []


def test_preservation_must_be_decided_within_seven_working_days(cw) -> None:
    case = walk_to(cw, S.INVESTIGATION)
    services.perform(cw.user("officer"), case, "record_preservation", on=ago(2))
    case.refresh_from_db()
    assert case.next_due_code == "preservation"
    assert case.next_due_on == due_date(ago(2), 7, working=True)


def test_a_pause_stops_the_clock_and_resuming_extends_the_deadline(cw) -> None:
    case = walk_to(cw, S.EXAMINATION)
    head = cw.user("unit_head")
    first = case.next_due_on
    services.perform(head, case, "pause_clock", kind="testing", reason="样品送检", on=ago(12))
    case.refresh_from_db()
    assert case.next_due_code == "" and case.next_due_on is None  # no running decision clock
    services.perform(head, case, "resume_clock", on=ago(2))
    case.refresh_from_db()
    assert case.next_due_on == due_date(case.filed_on, 90, working=False, pauses=[(ago(12), ago(2))])
    assert case.next_due_on > first


def test_status_overdue_and_due_soon(cw) -> None:
    case = walk_to(cw, S.INVESTIGATION)
    today, calendar = timezone.localdate(), current_calendar()
    Case.objects.filter(pk=case.pk).update(filed_on=ago(95))
    (late,) = schedule.deadlines(Case.objects.get(pk=case.pk))
    assert late.status(today, calendar) == "overdue"
    Case.objects.filter(pk=case.pk).update(filed_on=ago(88))
    (soon,) = schedule.deadlines(Case.objects.get(pk=case.pk))
    assert soon.due >= today and soon.status(today, calendar) == "due_soon"
    Case.objects.filter(pk=case.pk).update(filed_on=ago(30))
    (fine,) = schedule.deadlines(Case.objects.get(pk=case.pk))
    assert fine.status(today, calendar) == "ok"


def test_a_deadline_in_a_year_without_schedule_is_provisional_until_entered(cw) -> None:
    from sanxiang.cases.models import HolidaySchedule

    case = walk_to(cw, S.INVESTIGATION)  # filed 45 days ago: 90 days run into next year
    (deadline,) = schedule.deadlines(case)
    year = deadline.due.year
    if current_calendar().knows(year):
        pytest.skip("the calendar package already knows next year")
    assert deadline.provisional and case.next_due_provisional
    last = deadline.due
    HolidaySchedule.objects.create(year=year, holidays=[last.isoformat()], workdays=[], source="测试")
    assert schedule.recompute_open_cases() >= 1
    case.refresh_from_db()
    assert not case.next_due_provisional and case.next_due_on > last


def test_every_case_event_has_a_chinese_label() -> None:
    import re
    from pathlib import Path

    from sanxiang.cases import lifecycle
    from sanxiang.ledger.labels import event_label

    root = Path(__file__).resolve().parents[1]
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'"(case\.[a-z_.]+)"', text))
        written |= {f"case.{e}" for e in re.findall(r'record_case\([^,]+, [^,]+, "([a-z_]+)"', text)}
    written |= {t.event_type for t in lifecycle.TRANSITIONS}
    written.discard("case.")
    assert written, "no event types found"
    unlabelled = sorted(e for e in written if not re.search(r"[\u4e00-\u9fff]", event_label(e)))
    assert unlabelled == []


def test_overrides_may_only_be_stricter_in_the_rule_s_own_direction() -> None:
    from sanxiang.cases.rules import check_override

    check_override("service", 5)  # a shorter period
    check_override("due_soon", 5)  # an earlier reminder
    with pytest.raises(ValueError, match="第六十一条"):
        check_override("service", 8)
    with pytest.raises(ValueError, match="更严格"):
        check_override("due_soon", 2)
