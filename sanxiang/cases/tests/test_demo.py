"""The demo cases of ``manage.py seed_demo``: every step of the lifecycle is shown, some cases are
overdue or due soon, one has a provisional deadline, all were made through the services (each
has its ledger history and the documents its steps require), and a second run adds nothing."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxiang.cases import schedule
from sanxiang.cases.choices import CaseState, DocumentKind, Procedure
from sanxiang.cases.demo import SPECS, path
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case, Document, Party
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import history

S, D = CaseState, DocumentKind
# Documents a case must hold once it has gone past a state (required by the steps out of it).
REQUIRED_AFTER = {
    D.FILING_APPROVAL: {S.FILING_APPROVAL, S.INVESTIGATION, S.EXAMINATION, S.LEGAL_REVIEW, S.NOTICE, S.HEARING,
                        S.COLLECTIVE, S.DECISION, S.SERVICE, S.EXECUTION, S.CLOSED, S.ARCHIVED, S.NOT_FILED},
    D.PRIOR_NOTICE: {S.NOTICE, S.HEARING, S.COLLECTIVE, S.SERVICE},
    D.SERVICE_RECEIPT: set(),
}


@pytest.fixture
def seeded(settings) -> dict[str, str]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    return {"output": out.getvalue()}


def statuses(today: dt.date) -> Counter:
    calendar = current_calendar()
    found: Counter = Counter()
    for case in Case.objects.all():
        upcoming = schedule.next_deadline(case)
        if upcoming:
            found[upcoming.status(today, calendar)] += 1
            found[f"{upcoming.code}:{upcoming.status(today, calendar)}"] += 1
    return found


def check_every_state_has_a_case(seeded: dict[str, str]) -> None:
    states = Counter(Case.objects.values_list("state", flat=True))
    assert set(states) == set(S.values), f"missing: {set(S.values) - set(states)}"
    assert Case.objects.count() == len(SPECS)
    assert f"执法案件：新增 {len(SPECS)}" in seeded["output"]


def check_simple_procedure_cases_decided_on_the_spot(seeded: dict[str, str]) -> None:
    simple = Case.objects.filter(procedure=Procedure.SIMPLE)
    assert simple.count() >= 3
    for case in simple:
        assert case.state in (S.EXECUTION, S.CLOSED)
        assert "简" in case.case_number and case.decided_on == case.served_on
        assert case.documents.filter(kind=D.DECISION).exists()
        fine = case.decision_fine or 0
        limit = 200 if all(p.is_natural_person for p in case.parties.all()) else 3000
        assert fine <= limit


def check_overdue_due_soon_and_provisional(seeded: dict[str, str]) -> None:
    today = timezone.localdate()
    found = statuses(today)
    assert found["overdue"] >= 3
    assert found["decision:overdue"] >= 1  # filed ~100 days ago, still investigating
    assert found["due_soon"] >= 2
    overdue = Case.objects.get(title__contains="未遵守药品经营质量管理规范")
    assert overdue.state == S.INVESTIGATION and (today - overdue.filed_on).days >= 95
    # The stored next deadline the lists sort by is the computed one.
    for case in Case.objects.all():
        upcoming = schedule.next_deadline(case)
        assert case.next_due_on == (upcoming.due if upcoming else None)
    # A 90-day period running into a year the holiday schedule does not know yet is 暂定.
    if not current_calendar().knows((today + dt.timedelta(days=90)).year):
        assert Case.objects.filter(next_due_provisional=True, state=S.INVESTIGATION).exists()


def check_made_through_the_services(seeded: dict[str, str]) -> None:
    for case in Case.objects.prefetch_related("parties", "handlers__officer"):
        events = set(history(case).values_list("event_type", flat=True))
        assert "case.registered" in events, case
        assert len(case.handlers.all()) >= 2
        for handler in case.handlers.all():
            assert handler.officer.agency_id == case.agency_id
        for kind, states in REQUIRED_AFTER.items():
            if case.state in states and case.procedure == Procedure.NORMAL:
                assert case.documents.filter(kind=kind).exists(), (case, kind)
        if case.decided_on and case.decision_type == "penalty":
            assert case.documents.filter(kind=D.DECISION).exists()
    issued = Entry.objects.filter(event_type="case.document_issued").count()
    assert issued == Document.objects.count() > 50
    # Dates entered for paper steps keep their order.
    for case in Case.objects.exclude(decided_on=None).exclude(served_on=None):
        assert case.served_on >= case.decided_on
        if case.filed_on:
            assert case.filed_on <= case.decided_on


def check_parties_and_amounts_are_plausible(seeded: dict[str, str]) -> None:
    for party in Party.objects.all():
        party.full_clean()  # 身份证 / USCC check characters, phone format
    for case in Case.objects.exclude(benchmark=None).select_related("benchmark"):
        bench = case.benchmark
        assert bench.item_id == case.item_id
        if bench.fine_min is not None and case.proposed_fine:
            assert bench.fine_min <= case.proposed_fine <= bench.fine_max, case
    assert any(case.legal_review_passed for case in Case.objects.filter(is_major=True))
    # Every decided major case passed review of what it decided (the database gate enforces it too).
    for case in Case.objects.filter(is_major=True).exclude(decided_on=None):
        assert case.legal_review_passed, case
    assert Case.objects.exclude(hearing_concluded_on=None).exists()
    titles = Counter(Case.objects.values_list("agency_id", "title"))
    assert max(titles.values()) == 1


def check_second_run_adds_nothing(seeded: dict[str, str]) -> None:
    before = (Case.objects.count(), Document.objects.count(), Entry.objects.count())
    out = StringIO()
    call_command("seed_demo", "--quiet-logins", stdout=out)
    assert (Case.objects.count(), Document.objects.count(), Entry.objects.count()) == before
    assert "执法案件：新增 0" in out.getvalue()
    assert "未新增任何记录" in out.getvalue()


@pytest.mark.django_db
def test_demo_cases(seeded) -> None:
    # One seed for all checks: seeding the demo takes ~15 s.
    check_every_state_has_a_case(seeded)
    check_simple_procedure_cases_decided_on_the_spot(seeded)
    check_overdue_due_soon_and_provisional(seeded)
    check_made_through_the_services(seeded)
    check_parties_and_amounts_are_plausible(seeded)
    check_evidence(seeded)
    check_second_run_adds_nothing(seeded)


def check_evidence(seeded: dict[str, str]) -> None:
    """Open demo cases carry a photo with EXIF, an audio clip and a PDF, all intact (verify_evidence)."""
    from sanxiang.evidence.evaluation import evaluate
    from sanxiang.evidence.models import Evidence

    kinds = set(Evidence.objects.values_list("media_kind", flat=True))
    assert kinds == {"photo", "audio", "document"}
    assert Evidence.objects.filter(media_kind="photo", metadata__camera="SanxiangCam ZF-100").exists()
    call_command("verify_evidence", stdout=StringIO())
    closed = Case.objects.filter(state__in=["closed", "archived"])
    assert closed.exists() and all(evaluate(c).findings for c in closed)  # closed cases are scored


def test_each_spec_stops_on_its_path() -> None:
    for spec in SPECS:
        assert spec.stop in path(spec), spec
