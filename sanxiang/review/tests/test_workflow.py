"""The review workflow through its services: the 送审材料 checklist, who reviews (least loaded,
never a handler of the case), the period and its one extension, what an opinion must say, and the
disagreement path (存在问题 → 异议 → 协商 → 集体讨论) to a decision or to a resubmission; each step
leaves its entry in the case's history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import services
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DecisionType
from sanxiang.cases.choices import DocumentKind as D
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case
from sanxiang.cases.testing import make_officer, register, walk_to
from sanxiang.ledger.services import history
from sanxiang.review import gate, materials
from sanxiang.review import services as review
from sanxiang.review.choices import REVIEW_POINT_LABELS, CollectiveConclusion, Finding, Outcome, ReviewStatus
from sanxiang.review.models import LegalReview, Opinion
from sanxiang.review.testing import ALL_OK, TEXTS, agree, findings_with_problem, submit
from sanxiang.testing import make_user

R = ReviewStatus
PENALTY = {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
           "proposed_fine": Decimal("5000"), "proposal_text": "警告，并处罚款"}


@pytest.fixture(autouse=True)
def _render_later(settings, tmp_path) -> None:
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def proposed(cw, *, major: bool = True, **fields: object) -> Case:
    """A case at 案件审查 with a complete proposal (marked major by a person, with a reason)."""
    case = walk_to(cw, S.EXAMINATION)
    extra = {"is_major": True, "major_reason": "社会影响较大"} if major else {}
    services.update_case(cw.user("unit_head"), case.pk, {**PENALTY, "proposed_basis": [cw.article.pk], **extra,
                                                         **fields})
    case.refresh_from_db()
    return case


def state_of(case: Case) -> tuple:
    return Case.objects.values().get(pk=case.pk), history(case).count(), LegalReview.objects.filter(case=case).count()


def name(user) -> str:
    return user.get_full_name() or user.username


# --- materials ----------------------------------------------------------------------------------

def test_missing_materials_block_the_submission_and_are_named(cw) -> None:
    case = proposed(cw, proposed_basis=[])
    before = state_of(case)
    with pytest.raises(ServiceError) as refused:
        review.submit(cw.user("unit_head"), case.pk, {"investigation_report": "  "})
    message = str(refused.value)
    assert message.startswith("送审材料不齐，不能送审")
    assert "调查终结报告" in message and "拟处理意见及依据" in message and "须选择适用依据" in message
    assert "裁量基准适用说明" in message and "证据材料" not in message  # the case has its records
    assert state_of(case) == before
    services.update_case(cw.user("unit_head"), case.pk, {"proposed_basis": [cw.article.pk]})
    with pytest.raises(ServiceError) as still:
        review.submit(cw.user("unit_head"), case.pk, {**TEXTS, "discretion_note": ""})
    assert "裁量基准适用说明" in str(still.value) and "调查终结报告" not in str(still.value)
    done = review.submit(cw.user("unit_head"), case.pk, TEXTS)
    assert all(item["ok"] for item in done.materials.values())
    assert done.materials["investigation_report"]["text"] == TEXTS["investigation_report"]


def test_checklist_names_missing_evidence_and_the_hearing_record(cw) -> None:
    case = register(cw)  # nothing collected yet
    case.hearing_concluded_on = timezone.localdate()
    items = {m.code: m for m in materials.checklist(case, {})}
    assert set(items) == {"investigation_report", "evidence", "proposal", "discretion_note", "hearing_record"}
    lacking = "；".join(materials.missing(list(items.values())))
    assert "证据材料（本案尚无证据材料或现场检查、询问笔录）" in lacking
    assert "听证笔录（已举行听证，须附听证笔录）" in lacking and "拟处理意见及依据（未填写拟处理意见）" in lacking
    items = {m.code: m for m in materials.checklist(case, {"hearing_record": "听证笔录全文"})}
    assert items["hearing_record"].ok
    case.hearing_concluded_on = None
    assert "hearing_record" not in {m.code for m in materials.checklist(case, {})}


# --- who reviews ---------------------------------------------------------------------------------

def test_reviewers_are_assigned_least_loaded_and_never_a_handler(cw) -> None:
    head, first = cw.user("unit_head"), cw.user("reviewer")
    second = make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    a, b = proposed(cw), proposed(cw)
    assert submit(head, a.pk).reviewer == first  # both free: the first by id
    assert submit(head, b.pk).reviewer == second  # the first has one open review now
    # 回避: a reviewer who handles the case is never offered, and cannot be chosen.
    c = proposed(cw)
    services.set_handlers(head, c.pk, [cw.officer, cw.partner, make_officer(cw.world.agency, "审核兼办", second)],
                          cw.officer)
    assert review.eligible_reviewers(c) == [first]
    before = state_of(c)
    for chosen in (second, cw.user("officer"), cw.user("other_officer")):
        with pytest.raises(ServiceError, match="所选人员不能审核本案"):
            submit(head, c.pk, reviewer=chosen)
    assert state_of(c) == before
    # Nobody left: the reviewer of the agency handles the case, and the other one is inactive.
    first.is_active = False
    first.save(update_fields=["is_active"])
    with pytest.raises(ServiceError, match="本机关没有可承担本案审核的法制审核人员"):
        submit(head, c.pk)
    assert state_of(c) == before


def test_reassignment_by_a_head_to_an_eligible_reviewer(cw) -> None:
    second = make_user(cw.world.agency, Role.REVIEWER, username="reviewer2")
    case = proposed(cw)
    sent = submit(cw.user("unit_head"), case.pk, reviewer=cw.user("reviewer"))
    with pytest.raises(PermissionDenied):
        review.reassign(cw.user("officer"), sent, second)
    review.reassign(cw.user("agency_head"), sent, second)
    sent.refresh_from_db()
    assert sent.reviewer == second
    entry = history(case).last()
    assert entry.event_type == "case.legal_review_reassigned" and entry.detail["changes"]["reviewer"] == second.pk


# --- the period ----------------------------------------------------------------------------------

def _working_days_after(start: dt.date, end: dt.date) -> int:
    calendar = current_calendar()
    return sum(calendar.is_workday(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))


def test_due_in_five_working_days_extended_once_by_five_more(cw) -> None:
    case = proposed(cw)
    on = timezone.localdate() - dt.timedelta(days=2)
    sent = submit(cw.user("unit_head"), case.pk, on=on)
    calendar = current_calendar()
    assert sent.submitted_on == on and calendar.is_workday(sent.due_on)
    assert _working_days_after(on, sent.due_on) == 5  # 法制审核期限：5个工作日
    first_due = sent.due_on
    reviewer = cw.user("reviewer")
    with pytest.raises(ServiceError, match="须填写延长审核期限的理由"):
        review.extend(reviewer, sent, " ")
    with pytest.raises(PermissionDenied):
        review.extend(cw.user("officer"), sent, "情况复杂")
    review.extend(reviewer, sent, "案情复杂，需补充核实证据")
    sent.refresh_from_db()
    assert _working_days_after(first_due, sent.due_on) == 5 and sent.extension_reason == "案情复杂，需补充核实证据"
    entry = history(case).last()
    assert entry.event_type == "case.legal_review_extended" and entry.detail["changes"]["due_on"] == str(sent.due_on)
    entries = history(case).count()
    with pytest.raises(ServiceError, match="只能延长一次"):
        review.extend(cw.user("agency_head"), sent, "仍然复杂")
    sent.refresh_from_db()
    assert _working_days_after(first_due, sent.due_on) == 5 and history(case).count() == entries


# --- what an opinion must say -------------------------------------------------------------------

def test_an_opinion_must_be_consistent_and_complete(cw) -> None:
    case = proposed(cw)
    sent = submit(cw.user("unit_head"), case.pk)
    reviewer = cw.user("reviewer")
    before = state_of(case)
    missing_point = {k: v for k, v in ALL_OK.items() if k != "crime"}
    refusals = [
        ({"outcome": Outcome.AGREE, "findings": findings_with_problem()}, "不能作出“同意”"),
        ({"outcome": Outcome.AGREE, "findings": missing_point}, f"须逐项给出审核结论：{REVIEW_POINT_LABELS['crime']}"),
        ({"outcome": Outcome.PROBLEMS, "findings": ALL_OK, "problems": "裁量偏重"}, "至少标出一个存在问题的要点"),
        ({"outcome": Outcome.PROBLEMS, "findings": findings_with_problem()}, "写明问题"),
        ({"outcome": Outcome.AGREE, "findings": {**ALL_OK, "facts": {"finding": "maybe"}}}, "结论无效"),
        ({"outcome": Outcome.AGREE, "findings": {**ALL_OK, "weather": {"finding": Finding.OK}}}, "未知的审核要点"),
        ({"outcome": "approve", "findings": ALL_OK}, "审核结论无效"),
        ({"outcome": Outcome.AGREE, "findings": ALL_OK, "text": "  "}, "须填写审核意见"),
    ]
    for given, message in refusals:
        kwargs = {"text": "审核意见。", **given}
        with pytest.raises(ServiceError, match=message):
            review.give_opinion(reviewer, sent, **kwargs)
    assert state_of(case) == before and not Opinion.objects.exists()
    sent.refresh_from_db()
    assert sent.status == R.PENDING
    # 退回补充材料 need not go through every point.
    review.give_opinion(reviewer, sent, outcome=Outcome.RETURN, findings={}, text="请补充询问笔录。")
    sent.refresh_from_db()
    assert sent.status == R.RETURNED and Case.objects.get(pk=case.pk).state == S.EXAMINATION


# --- disagreement --------------------------------------------------------------------------------

def _problems(cw, sent: LegalReview) -> Opinion:
    return review.give_opinion(cw.user("reviewer"), sent, outcome=Outcome.PROBLEMS, findings=findings_with_problem(),
                               problems="罚款幅度高于裁量基准“一般”档次", suggestions="按一般档次下调罚款",
                               text="经审核，裁量幅度偏重，建议调整。")


REVIEW_EVENTS = ("case.submit_legal_review", "case.pass_legal_review", "case.return_legal_review",
                 "case.legal_review_objection", "case.legal_review_consulted", "case.legal_review_collective",
                 "case.document_issued")


def review_events(case: Case) -> list[str]:
    """The review's entries, from the first submission on."""
    events = [e.event_type for e in history(case)]
    events = events[events.index("case.submit_legal_review"):]
    return [e for e in events if e in REVIEW_EVENTS]


def _to_decision_and_decide(cw, case: Case) -> Case:
    head, boss, officer = cw.user("unit_head"), cw.user("agency_head"), cw.user("officer")
    services.issue_document(head, case.pk, D.PRIOR_NOTICE)
    services.perform(head, case.pk, "issue_notice", on=timezone.localdate() - dt.timedelta(days=40))
    services.perform(officer, case.pk, "conclude_notice", waived=True)
    services.perform(head, case.pk, "request_collective")
    services.perform(boss, case.pk, "conclude_collective", minutes="经集体讨论，同意处罚意见。")
    services.update_case(boss, case.pk, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["warning", "fine"],
                                         "decision_fine": Decimal("5000"), "decision_basis": [cw.article.pk]})
    services.issue_document(boss, case.pk, D.DECISION)
    return services.perform(boss, case.pk, "decide")


def test_disagreement_to_collective_discussion_that_adopts_the_proposal(cw) -> None:
    case = proposed(cw)
    head, reviewer, boss, officer = (cw.user(p) for p in ("unit_head", "reviewer", "agency_head", "officer"))
    sent = submit(head, case.pk, reviewer=reviewer)
    _problems(cw, sent)
    case.refresh_from_db()
    assert case.state == S.EXAMINATION and not gate.passed(case)
    with pytest.raises(PermissionDenied):
        review.object_to(reviewer, sent, "异议")  # only the handlers object
    review.object_to(officer, sent, "当事人系再次违法，按裁量基准应从重，拟处理意见适当")
    with pytest.raises(review.ReviewConflict):
        review.object_to(head, sent, "再次异议")  # already in consultation
    review.record_consultation(reviewer, sent, "双方就裁量档次协商，未能达成一致。", "no_agreement")
    sent.refresh_from_db()
    assert sent.status == R.COLLECTIVE and not gate.passed(case)
    with pytest.raises(PermissionDenied):
        review.conclude_collective(head, sent, minutes="记录", members="张三", conclusion="adopt_proposal")
    review.conclude_collective(boss, sent, minutes="经集体讨论，认为拟处理意见适当，予以同意。",
                               members="局长、副局长、法制科长、承办科长", conclusion=CollectiveConclusion.ADOPT_PROPOSAL)
    sent.refresh_from_db()
    assert sent.status == R.COLLECTIVE_PASSED and sent.collective_chair == boss
    assert gate.passed_review(case) == sent
    assert review.responsibility(sent) == {"送审人（对送审材料负责）": name(head), "审核人（对审核意见负责）": name(reviewer),
                                           "集体讨论主持人（对分歧的决定负责）": name(boss), "决定人（机关负责人，对决定负责）": ""}
    assert review_events(case) == ["case.submit_legal_review", "case.document_issued", "case.return_legal_review",
                                   "case.legal_review_objection", "case.legal_review_consulted",
                                   "case.legal_review_collective"]
    collective = history(case).filter(event_type="case.legal_review_collective").get()
    assert collective.detail["changes"]["conclusion"] == "adopt_proposal"
    assert _to_decision_and_decide(cw, case).state == S.SERVICE
    decider = history(case).filter(event_type="case.decide").get().actor
    assert review.responsibility(sent)["决定人（机关负责人，对决定负责）"] == name(decider)


def test_adopting_the_opinion_leads_to_a_resubmission_and_every_version_is_kept(cw) -> None:
    case = proposed(cw, proposed_fine=Decimal("8000"))
    head, reviewer, boss, officer = (cw.user(p) for p in ("unit_head", "reviewer", "agency_head", "officer"))
    first = submit(head, case.pk)
    _problems(cw, first)
    review.object_to(officer, first, "拟处理意见适当")
    review.record_consultation(reviewer, first, "协商未达成一致。", "no_agreement")
    review.conclude_collective(boss, first, minutes="采纳法制审核意见，下调罚款。", members="局长、副局长、法制科长",
                               conclusion=CollectiveConclusion.ADOPT_OPINION)
    first.refresh_from_db()
    assert first.status == R.COLLECTIVE_REJECTED and not gate.passed(case)
    with pytest.raises(review.ReviewConflict):
        review.object_to(officer, first, "再议")  # the collective decision is final
    services.update_case(head, case.pk, {"proposed_fine": Decimal("5000")})
    second = submit(head, case.pk)
    first.refresh_from_db()
    assert first.status == R.SUPERSEDED and second.version == 2
    # The consultation may also settle it: the handler adopts the opinion and resubmits.
    _problems(cw, second)
    review.object_to(officer, second, "请再考虑")
    review.record_consultation(reviewer, second, "承办机构同意按审核意见修改。", "adopt_opinion")
    second.refresh_from_db()
    assert second.status == R.PROBLEMS
    services.update_case(head, case.pk, {"proposed_fine": Decimal("4000")})
    third = submit(head, case.pk)
    agree(reviewer, third)
    versions = list(LegalReview.objects.filter(case=case).order_by("version").values_list(
        "version", "status", "proposed_fine"))
    assert versions == [(1, R.SUPERSEDED, Decimal("8000")), (2, R.SUPERSEDED, Decimal("5000")),
                        (3, R.PASSED, Decimal("4000"))]
    case.refresh_from_db()
    assert gate.passed_review(case).version == 3
    assert review_events(case).count("case.submit_legal_review") == 3
    assert review.responsibility(first)["集体讨论主持人（对分歧的决定负责）"] == name(boss)
    assert review.responsibility(third)["集体讨论主持人（对分歧的决定负责）"] == ""
