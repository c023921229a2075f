"""The gate (行政处罚法 art. 58): a major case is not decided without a passed review of its current
proposal, whichever path tries — the services, the API, the case page's forms, management
commands and raw ORM writes (the database triggers). Django's admin site is not installed, so
there is no admin path to close: ``/admin/`` is a 404. A passed review stops counting when the
proposal changes, when a hearing is held after it, or when a later submission finds problems; and
the decision must be what was reviewed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core import serializers
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts import tokens
from sanxiang.cases import services
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DecisionType
from sanxiang.cases.choices import DocumentKind as D
from sanxiang.cases.lifecycle import PRECONDITIONS
from sanxiang.cases.models import Case, Document
from sanxiang.cases.services import TransitionError
from sanxiang.cases.testing import register, walk_to
from sanxiang.ledger.services import history
from sanxiang.review import gate
from sanxiang.review import services as review
from sanxiang.review.choices import Outcome, ReviewStatus
from sanxiang.review.testing import TEXTS, findings_with_problem, submit_and_pass

GATE = PRECONDITIONS["legal_review_if_major"]
AS_REVIEWED = PRECONDITIONS["decision_as_reviewed"]
DECISION = {"decision_type": DecisionType.PENALTY, "decision_penalties": ["warning", "fine"],
            "decision_fine": Decimal("5000"), "decision_text": "警告，并处罚款"}


@pytest.fixture(autouse=True)
def _render_later(settings, tmp_path) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def _collective_and_decision(cw, case: Case, **decision: object) -> None:
    head, boss = cw.user("unit_head"), cw.user("agency_head")
    services.perform(head, case.pk, "request_collective")
    services.perform(boss, case.pk, "conclude_collective", minutes="经集体讨论，同意拟处理意见。")
    services.update_case(boss, case.pk, {**DECISION, "decision_basis": [cw.article.pk], **decision})


@pytest.fixture
def unreviewed(cw) -> Case:
    """A case marked major at 待决定 whose proposal was never reviewed; ready for a decision otherwise."""
    case = walk_to(cw, S.DECISION)
    services.update_case(cw.user("unit_head"), case.pk, {"is_major": True, "major_reason": "社会影响较大"})
    _collective_and_decision(cw, case)
    case.refresh_from_db()
    assert case.is_major and case.state == S.DECISION and not case.legal_review_passed
    return case


def frozen(case: Case) -> tuple:
    return Case.objects.values().get(pk=case.pk), history(case).count(), Document.objects.filter(case=case).count()


def _decides(cw, case: Case) -> Case:
    boss = cw.user("agency_head")
    services.issue_document(boss, case.pk, D.DECISION)
    return services.perform(boss, case.pk, "decide")


# --- the service layer -----------------------------------------------------------------------

def test_services_refuse_an_unreviewed_major_decision_in_chinese(cw, unreviewed) -> None:
    boss, before = cw.user("agency_head"), frozen(unreviewed)
    attempts = [lambda: services.issue_document(boss, unreviewed.pk, D.DECISION),
                lambda: services.perform(boss, unreviewed.pk, "decide"),
                lambda: services.perform(boss, unreviewed.pk, "decide_no_penalty", reason="违法行为轻微")]
    for attempt in attempts:
        with pytest.raises(TransitionError) as refused:
            attempt()
        assert GATE in str(refused.value)
    assert frozen(unreviewed) == before
    # The review opens the gate for this very proposal.
    submit_and_pass(cw.user("unit_head"), cw.user("reviewer"), unreviewed.pk)
    assert _decides(cw, unreviewed).state == S.SERVICE


# --- the API, the case page, the admin ----------------------------------------------------------

def test_api_refuses_with_422_and_changes_nothing(client: Client, cw, unreviewed) -> None:
    key, _ = tokens.issue_token(cw.user("agency_head"), "测试")
    auth, url = {"HTTP_AUTHORIZATION": f"Bearer {key}"}, f"/api/v1/cases/{unreviewed.pk}"
    before = frozen(unreviewed)
    decided = client.post(f"{url}/transitions/decide", "{}", content_type="application/json", **auth)
    assert decided.status_code == 422 and GATE in decided.json()["detail"]
    issued = client.post(f"{url}/documents", json.dumps({"kind": "decision"}), content_type="application/json", **auth)
    assert issued.status_code == 422 and GATE in issued.json()["detail"]
    assert frozen(unreviewed) == before


def test_case_page_forms_show_the_refusal_and_change_nothing(cw, unreviewed) -> None:
    client = Client()
    client.force_login(cw.user("agency_head"))
    before = frozen(unreviewed)
    for url in (reverse("cases:transition", args=[unreviewed.pk, "decide"]),
                reverse("cases:issue", args=[unreviewed.pk, D.DECISION])):
        page = client.post(url, {}, follow=True)
        assert page.status_code == 200 and GATE in page.content.decode(), url
    assert frozen(unreviewed) == before


def test_there_is_no_admin_site(client: Client, cw) -> None:
    """django.contrib.admin is not installed: no admin page can write a case past the gate."""
    assert "django.contrib.admin" not in django_settings.INSTALLED_APPS
    client.force_login(cw.user("admin"))
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/cases/case/").status_code == 404


# --- management commands and raw ORM writes: the database triggers ----------------------------

def _fixture(case: Case, tmp_path, **fields: object) -> str:
    rows = json.loads(serializers.serialize("json", [case]))
    rows[0]["fields"].update(fields)
    if "case_number" in fields:
        rows[0]["pk"] = None  # a new row
    path = tmp_path / "decided_major_case.json"
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_loaddata_cannot_write_a_decided_major_case(cw, unreviewed, tmp_path) -> None:
    today = timezone.localdate().isoformat()
    before = frozen(unreviewed)
    updated = _fixture(unreviewed, tmp_path, state=S.SERVICE, decided_on=today)
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        call_command("loaddata", updated, verbosity=0)
    inserted = _fixture(unreviewed, tmp_path, state=S.CLOSED, decided_on=today, case_number="甲市市场罚〔2026〕999号")
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        call_command("loaddata", inserted, verbosity=0)
    assert frozen(unreviewed) == before and Case.objects.count() == 1


def test_shell_command_cannot_decide_a_major_case(cw, unreviewed) -> None:
    command = f"from sanxiang.cases.models import Case; Case.objects.filter(pk={unreviewed.pk}).update(state='service')"
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        call_command("shell", command=command)
    assert Case.objects.get(pk=unreviewed.pk).state == S.DECISION


def test_raw_orm_writes_are_refused_until_the_review_passes(cw, unreviewed) -> None:
    boss = cw.user("agency_head")
    for change in ({"state": S.SERVICE}, {"state": S.NO_PENALTY}, {"decided_on": timezone.localdate()},
                   {"is_major": False}):
        with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
            Case.objects.filter(pk=unreviewed.pk).update(**change)
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        Document.objects.create(case=unreviewed, kind=D.DECISION, context={}, issued_by=boss)
    Document.objects.create(case=unreviewed, kind=D.CLOSING_APPROVAL, context={}, issued_by=boss)  # not gated
    submit_and_pass(cw.user("unit_head"), cw.user("reviewer"), unreviewed.pk)
    Document.objects.create(case=unreviewed, kind=D.DECISION, context={}, issued_by=boss)
    assert Case.objects.filter(pk=unreviewed.pk).update(decided_on=timezone.localdate()) == 1
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        Case.objects.filter(pk=unreviewed.pk).update(is_major=False)  # still: once major, always major


# --- when a passed review stops counting --------------------------------------------------------

def _major_at_examination(cw) -> Case:
    case = walk_to(cw, S.EXAMINATION)
    services.update_case(cw.user("unit_head"), case.pk, {
        "is_major": True, "major_reason": "社会影响较大", "proposed_type": DecisionType.PENALTY,
        "proposed_penalties": ["warning", "fine"], "proposed_fine": Decimal("5000"), "proposed_basis": [cw.article.pk]})
    case.refresh_from_db()
    return case


def test_a_changed_proposal_needs_a_new_review(cw) -> None:
    case = _major_at_examination(cw)
    head, reviewer = cw.user("unit_head"), cw.user("reviewer")
    first = submit_and_pass(head, reviewer, case.pk)
    assert gate.passed_review(case) == first
    services.update_case(head, case.pk, {"proposed_fine": Decimal("6000")})
    case.refresh_from_db()
    first.refresh_from_db()
    assert first.status == ReviewStatus.PASSED and gate.passed_review(case) is None and not gate.passed(case)
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(decided_on=timezone.localdate())  # the database agrees
    second = submit_and_pass(head, reviewer, case.pk)
    assert second.version == 2 and second.proposed_fine == Decimal("6000")
    assert gate.passed_review(case) == second and gate.passed(case)


def test_a_later_submission_that_finds_problems_closes_the_gate(cw) -> None:
    case = walk_to(cw, S.DECISION, major=True)  # passed at 案件审查
    head, reviewer = cw.user("unit_head"), cw.user("reviewer")
    assert gate.passed(case)
    again = review.submit(head, case.pk, TEXTS)  # the same proposal, sent again from 待决定
    review.give_opinion(reviewer, again, outcome=Outcome.PROBLEMS, findings=findings_with_problem(),
                        problems="新证据显示违法所得计算有误", text="存在问题，建议重新核实违法所得。")
    case.refresh_from_db()
    assert case.state == S.DECISION
    assert not gate.passed(case)  # the earlier pass does not outweigh the later finding
    _collective_and_decision(cw, case)
    with pytest.raises(TransitionError) as refused:
        services.issue_document(cw.user("agency_head"), case.pk, D.DECISION)
    assert GATE in str(refused.value)


def test_a_hearing_after_the_review_needs_a_review_after_the_hearing(cw) -> None:
    case = walk_to(cw, S.DECISION, major=True, hearing=True)  # reviewed at 案件审查, then heard
    assert case.hearing_concluded_on and case.legal_reviews.get().status == ReviewStatus.PASSED
    assert not gate.passed(case)
    _collective_and_decision(cw, case, decision_fine=Decimal("150000"))
    with pytest.raises(TransitionError) as refused:
        services.perform(cw.user("agency_head"), case.pk, "decide")
    assert GATE in str(refused.value)
    after = submit_and_pass(cw.user("unit_head"), cw.user("reviewer"), case.pk)
    assert after.return_state == S.DECISION and after.hearing_concluded_on == case.hearing_concluded_on
    assert _decides(cw, case).state == S.SERVICE


def test_the_decision_must_be_what_was_reviewed(cw) -> None:
    case = walk_to(cw, S.DECISION, major=True)
    boss = cw.user("agency_head")
    _collective_and_decision(cw, case, decision_fine=Decimal("6000"))  # reviewed: 5,000 元
    before = frozen(case)
    for attempt in (lambda: services.issue_document(boss, case.pk, D.DECISION),
                    lambda: services.perform(boss, case.pk, "decide"),
                    lambda: services.perform(boss, case.pk, "decide_no_penalty", reason="不予处罚")):
        with pytest.raises(TransitionError) as refused:
            attempt()
        assert AS_REVIEWED in str(refused.value) and GATE not in str(refused.value)
    assert frozen(case) == before
    services.update_case(boss, case.pk, {"decision_fine": Decimal("5000")})
    assert _decides(cw, case).state == S.SERVICE


# --- the triggers themselves ---------------------------------------------------------------------

EXPECTED = {"sqlite": {"review_gate_case_insert", "review_gate_case_update", "review_gate_major_kept",
                       "review_gate_document"},
            "postgresql": {"review_gate_case", "review_gate_document"}}


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'review_gate%'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'review_gate%'")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_triggers_exist_after_migrations_and_come_back_after_a_migrate(cw) -> None:
    assert _triggers() == EXPECTED[connection.vendor]
    try:
        with connection.schema_editor() as editor:
            gate.install(editor, drop=True)
        assert _triggers() == set()
        call_command("migrate", verbosity=0)  # nothing to apply; post_migrate re-creates them
        assert _triggers() == EXPECTED[connection.vendor]
    finally:
        with connection.schema_editor() as editor:  # never leave the test database ungated
            gate.install(editor, drop=True)
            gate.install(editor)
    case = register(cw)
    Case.objects.filter(pk=case.pk).update(is_major=True)
    with pytest.raises(IntegrityError, match="review_gate"), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(state=S.SERVICE)
