"""The publication pipeline through the real services: a draft at once when a decision takes
effect, de-identified; the 市场监管 profile's exclusions; approval into the public read model with
its ledger receipt; withdrawal at once with its notice; expiry (idempotent); auto-approval."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from sanxiang.cases import services as cases
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DecisionType, DocumentKind, Procedure
from sanxiang.cases.models import Case
from sanxiang.cases.testing import CaseWorld, build_case_world, company_party, person_party, register, walk_to
from sanxiang.disclosure import services
from sanxiang.disclosure.choices import Category, Profile, PublicationStatus
from sanxiang.disclosure.models import DisclosureSettings, Publication, PublicEntry
from sanxiang.ledger.checkpoints import platform_signer, receipt
from sanxiang.ledger.models import Entry
from sanxiang.ledger.receipt import verify_receipt
from sanxiang.ledger.services import default_log, record_change
from sanxiang.ledger.verify import verify_log

P = PublicationStatus
FACTS = ("当事人张三丰（身份证号码{id}，住甲市东区幸福路18号，联系电话13800138000）在其经营的摊位销售"
         "超过保质期的牛奶12盒，执法人员王执法、李协办现场检查。")


@pytest.fixture
def cw(world) -> CaseWorld:
    return build_case_world(world)


@pytest.fixture(autouse=True)
def _render_later(settings, tmp_path) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def decide(cw, *, party: dict | None = None, penalties=("warning", "fine"), fine=Decimal("5000")) -> Case:
    """A normal-procedure case decided through the services, its facts naming the party in full."""
    party = party or person_party()
    case = walk_to(cw, S.DECISION, party=party, fine=fine)
    Case.objects.filter(pk=case.pk).update(facts=FACTS.format(id=party.get("id_number", "")))
    boss = cw.user("agency_head")
    cases.update_case(boss, case.pk, {"decision_type": DecisionType.PENALTY, "decision_penalties": list(penalties),
                                      "decision_fine": fine, "decision_basis": [cw.article.pk],
                                      "decision_text": f"对当事人张三丰{'、'.join(penalties)}"})
    cases.issue_document(boss, case.pk, DocumentKind.DECISION)
    return cases.perform(boss, case.pk, "decide")


def test_a_decision_drafts_its_publication_at_once_de_identified(cw) -> None:
    party = person_party()
    case = decide(cw, party=party)
    publication = Publication.objects.get(case=case)
    assert publication.status == P.DRAFT and publication.category == Category.PENALTY
    assert publication.original["party_name"] == "张三丰" and publication.redacted["party_name"] == "张某"
    shown = json.dumps(publication.redacted, ensure_ascii=False)
    for secret in (party["id_number"], "13800138000", "幸福路18号", "张三丰"):
        assert secret not in shown
    assert "王执法" in publication.redacted["facts"]  # officers are kept
    assert publication.redacted["document_number"] == case.decision_number != ""
    assert publication.decided_on == case.decided_on
    assert publication.due_on == services.due_on(Profile.NATIONAL, Category.PENALTY, case.decided_on)
    events = [e.event_type for e in Entry.objects.order_by("-index")[:2]]
    assert events == ["disclosure.draft", "case.decide"]


def test_an_organisation_keeps_its_name_and_uscc(cw) -> None:
    party = company_party()
    case = decide(cw, party=party)
    shown = Publication.objects.get(case=case).redacted
    assert shown["party_name"] == party["name"] and shown["party_uscc"] == party["uscc"]
    assert shown["legal_representative"] == "赵大海"


def test_market_profile_leaves_out_simple_procedure_and_warnings_alone(cw) -> None:
    DisclosureSettings.objects.create(agency=cw.world.agency, profile=Profile.MARKET)
    case = register(cw, party=person_party(), procedure=Procedure.SIMPLE)
    officer = cw.user("officer")
    cases.update_case(officer, case, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["fine"],
                                      "decision_fine": Decimal("100"), "decision_basis": [cw.article.pk]})
    cases.issue_document(officer, case, DocumentKind.DECISION)
    cases.perform(officer, case, "decide_on_the_spot")
    simple = Publication.objects.get(case=case)
    assert simple.status == P.NOT_PUBLISHED and "普通程序" in simple.not_published_reason
    warned = decide(cw, penalties=("warning",), fine=None)
    publication = Publication.objects.get(case=warned)
    assert publication.status == P.NOT_PUBLISHED and "仅受到警告" in publication.not_published_reason
    fined = decide(cw)
    publication = Publication.objects.get(case=fined)
    assert publication.status == P.DRAFT
    assert publication.due_on == services.due_on(Profile.MARKET, Category.PENALTY, fined.decided_on)
    assert publication.due_on > services.due_on(Profile.NATIONAL, Category.PENALTY, fined.decided_on)
    with pytest.raises(services.DisclosureError):
        services.publish(cw.user("publisher"), simple.pk)


def test_no_penalty_decisions_are_recorded_as_not_published(cw) -> None:
    case = walk_to(cw, S.EXAMINATION)
    cases.perform(cw.user("agency_head"), case, "decide_no_penalty", reason="首违不罚")
    publication = Publication.objects.get(case=case)
    assert publication.status == P.NOT_PUBLISHED and "不予行政处罚" in publication.not_published_reason


def test_approval_publishes_with_a_public_ledger_receipt(cw) -> None:
    party = person_party()
    case = decide(cw, party=party)
    publication = Publication.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        services.publish(cw.user("agency_head"), publication.pk)
    with pytest.raises(Http404):
        services.publish(cw.world.personas["other_officer"], publication.pk)
    services.publish(cw.user("publisher"), publication.pk)
    entry = PublicEntry.objects.get(public_id=publication.public_id)
    assert entry.status == P.PUBLISHED and entry.party_name == "张某" and entry.sequence >= 1
    assert entry.expires_on == services.rules.add_months(timezone.localdate(), 36)  # 5,000 元: not low
    assert "张某" in entry.search_text.split() or "张某" in entry.search_text
    ledger = Entry.objects.get(index=entry.ledger_index)
    assert ledger.event_type == "disclosure.publish" and bytes(ledger.leaf_hash).hex() == entry.ledger_leaf
    assert ledger.object_type == "disclosure.publicentry"
    public = bytes(ledger.body).decode() + json.dumps(ledger.detail, ensure_ascii=False)
    for secret in ("张三丰", party["id_number"], "13800138000"):
        assert secret not in public
    document = receipt(ledger)
    assert verify_receipt(document, [platform_signer().verifier]).ok
    with pytest.raises(services.DisclosureError):
        services.publish(cw.user("publisher"), publication.pk)  # once only


def test_a_changed_decision_withdraws_the_entry_at_once(cw) -> None:
    case = decide(cw)
    publication = Publication.objects.get(case=case)
    services.publish(cw.user("publisher"), publication.pk)
    sequence = PublicEntry.objects.get(public_id=publication.public_id).sequence
    with pytest.raises(cases.TransitionError, match="决定变化的情形"):
        cases.perform(cw.user("agency_head"), case.pk, "record_decision_change", change_kind="bogus", reason="x")
    assert PublicEntry.objects.get(public_id=publication.public_id).status == P.PUBLISHED
    cases.perform(cw.user("agency_head"), case.pk, "record_decision_change", change_kind="revoked",
                  reason="经行政复议，决定被撤销")
    entry = PublicEntry.objects.get(public_id=publication.public_id)
    assert entry.status == P.WITHDRAWN and entry.withdrawn_at is not None
    assert "决定被撤销" in entry.withdrawal_notice and "经行政复议" in entry.withdrawal_notice
    assert entry.sequence > sequence
    assert Entry.objects.get(index=entry.ledger_index).event_type == "disclosure.withdraw"
    events = [e.event_type for e in Entry.objects.order_by("-index")[:3]]
    assert events == ["disclosure.withdrawn", "disclosure.withdraw", "case.record_decision_change"]


def test_publisher_withdraws_an_entry_for_an_error(cw) -> None:
    publication = Publication.objects.get(case=decide(cw))
    services.publish(cw.user("publisher"), publication.pk)
    with pytest.raises(services.DisclosureError, match="理由"):
        services.withdraw(cw.user("publisher"), publication.pk, "")
    services.withdraw(cw.user("publisher"), publication.pk, "当事人名称录入错误")
    entry = PublicEntry.objects.get(public_id=publication.public_id)
    assert entry.status == P.WITHDRAWN and entry.withdrawal_notice.startswith("公示内容有误")


def test_expiry_command_is_idempotent(cw) -> None:
    publication = Publication.objects.get(case=decide(cw))
    services.publish(cw.user("publisher"), publication.pk)
    today = timezone.localdate()
    Publication.objects.filter(pk=publication.pk).update(expires_on=today - dt.timedelta(days=1))
    out = StringIO()
    call_command("expire_publications", stdout=out)
    assert "1" in out.getvalue()
    entry = PublicEntry.objects.get(public_id=publication.public_id)
    assert entry.status == P.EXPIRED and Entry.objects.get(index=entry.ledger_index).event_type == "disclosure.expire"
    size = Entry.objects.count()
    assert services.expire_publications() == 0 and Entry.objects.count() == size
    assert PublicEntry.objects.get(public_id=publication.public_id).sequence == entry.sequence


def test_a_low_fine_is_published_for_three_months(cw) -> None:
    publication = Publication.objects.get(case=decide(cw, penalties=("fine",), fine=Decimal("200")))
    services.publish(cw.user("publisher"), publication.pk)
    publication.refresh_from_db()
    assert publication.expires_on == services.rules.add_months(timezone.localdate(), 3)


def test_auto_approval_publishes_without_a_publisher(cw) -> None:
    DisclosureSettings.objects.create(agency=cw.world.agency, auto_approve=[Category.PENALTY])
    publication = Publication.objects.get(case=decide(cw))
    assert publication.status == P.PUBLISHED and publication.approved_by is None
    assert PublicEntry.objects.filter(public_id=publication.public_id, status=P.PUBLISHED).exists()


def test_inspection_results_are_drafted_once_per_source(world) -> None:
    agency = world.agency
    first = services.publish_inspection_result(
        agency, source="inspection_task:1:target:2", decided_on=dt.date(2025, 9, 30), party_name="甲市好味食品有限公司",
        party_uscc="", title="2025年食品经营随机抽查结果", content="未发现问题", outcome="未发现问题")
    again = services.publish_inspection_result(
        agency, source="inspection_task:1:target:2", decided_on=dt.date(2025, 9, 30), party_name="x", title="x",
        content="x", outcome="x")
    assert again.pk == first.pk and first.category == Category.INSPECTION_RESULT
    # 20 working days after 30 September 2025, the National Day holiday (1–8 October) and the
    # make-up working day (Saturday 11 October) counted as the calendar has them.
    assert first.due_on == dt.date(2025, 11, 4)


def test_redaction_edits(cw) -> None:
    publication = Publication.objects.get(case=decide(cw))
    publisher = cw.user("publisher")
    services.add_replacement(publisher, publication.pk, "facts", "牛奶", kind="manual")
    publication.refresh_from_db()
    assert "牛奶" not in publication.redacted["facts"] and "【已隐去】" in publication.redacted["facts"]
    added = [r for r in publication.replacements["facts"] if r["original"] == "牛奶"][0]
    services.undo_replacement(publisher, publication.pk, "facts", added["start"], added["end"])
    publication.refresh_from_db()
    assert "牛奶" in publication.redacted["facts"]
    with pytest.raises(services.DisclosureError):
        services.add_replacement(publisher, publication.pk, "facts", "不存在的文字")
    with pytest.raises(PermissionDenied):
        services.add_replacement(cw.user("officer"), publication.pk, "facts", "牛奶")


def test_the_ledger_verifies_after_publish_withdraw_expire_and_report(cw) -> None:
    withdrawn = Publication.objects.get(case=decide(cw))
    expired = Publication.objects.get(case=decide(cw, party=company_party()))
    for publication in (withdrawn, expired):
        services.publish(cw.user("publisher"), publication.pk)
    report = services.report_error(expired.public_id, "名称有误")
    services.answer_report(cw.user("publisher"), report.pk, "经核实无误")
    services.withdraw(cw.user("publisher"), withdrawn.pk, "录入错误")
    Publication.objects.filter(pk=expired.pk).update(expires_on=timezone.localdate() - dt.timedelta(days=1))
    # The test's own shortcut above bypassed the services: record the row as it now stands first.
    record_change(event_type="test.fixture", actor=None, obj=Publication.objects.get(pk=expired.pk), summary="测试")
    assert services.expire_publications() == 1
    result = verify_log(default_log())
    assert result.ok, result.problems
