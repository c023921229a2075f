"""The legal review's state changes. Pages, API, commands and the demo call these; nothing else
writes a :class:`LegalReview`.

Each function runs in one transaction that locks the case, checks the rules, changes the rows and
writes a ledger entry about the case (``case.legal_review_*``, or the case transition's own
``case.submit_legal_review`` / ``case.pass_legal_review`` / ``case.return_legal_review``), so the
case's history shows the whole review. A second person acting on a submission someone else has
just handled gets :class:`ReviewConflict` and nothing is recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import CaseState
from sanxiang.cases.deadlines import due_date
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.lifecycle import HANDLERS
from sanxiang.cases.models import Case
from sanxiang.cases.schedule import rulebook
from sanxiang.cases.services.common import lock_case, record_case, require_role
from sanxiang.review import catalog, materials
from sanxiang.review.choices import (
    OPEN,
    RESUBMITTABLE,
    REVIEW_POINT_LABELS,
    REVIEW_POINTS,
    CollectiveConclusion,
    Finding,
    Outcome,
    ReviewStatus,
)
from sanxiang.review.documents import issue_opinion
from sanxiang.review.models import LegalReview, Opinion

R = ReviewStatus
SUBMITTABLE_FROM = (CaseState.EXAMINATION, CaseState.DECISION)


class ReviewConflict(ServiceError):
    """Someone else changed the submission first; nothing was recorded."""


# --- determination ----------------------------------------------------------------------------

def determine(user: User, case: Case, role: str, why: str) -> catalog.Determination:
    """Evaluate the catalog for ``case`` (locked by the caller), mark it major when a rule matches
    and record what matched — or that nothing did — in the ledger. A case once major stays major."""
    found = catalog.evaluate(case)
    became = found.major and not case.is_major
    if became:
        case.is_major = True
        case.major_reason = found.summary()[:300]
        case.save(update_fields=["is_major", "major_reason", "updated_at"])
    record_case(user, case, "major_determined", f"重大执法决定目录判断：{found.summary()}", role,
                rules=found.codes, major=case.is_major, why=why)
    return found


# --- submission -------------------------------------------------------------------------------

def eligible_reviewers(case: Case) -> list[User]:
    """Reviewers of the case's agency who do not handle it (回避), least loaded first."""
    handlers = set(case.handlers.values_list("officer__user_id", flat=True))
    users = (User.objects.filter(agency_id=case.agency_id, is_active=True, role_grants__role=Role.REVIEWER)
             .exclude(pk__in=[h for h in handlers if h])
             .annotate(load=Count("legal_reviews", filter=Q(legal_reviews__status__in=OPEN), distinct=True))
             .order_by("load", "pk").distinct())
    return list(users)


def _reviewer(case: Case, chosen: User | int | None, submitter: User) -> User:
    eligible = [u for u in eligible_reviewers(case) if u.pk != submitter.pk]
    if not eligible:
        raise ServiceError("本机关没有可承担本案审核的法制审核人员（审核人员不得是本案承办人）")
    if chosen is None:
        return eligible[0]
    pk = chosen.pk if isinstance(chosen, User) else int(chosen)
    for user in eligible:
        if user.pk == pk:
            return user
    raise ServiceError("所选人员不能审核本案：须为本机关的法制审核人员，且不是本案承办人或送审人")


def _due(case: Case, start: dt.date, code: str) -> dt.date:
    rules = rulebook(case.agency_id)
    due = due_date(start, rules.value(code), rules.rule(code).working, calendar=current_calendar())
    # A plain date: DueDate breaks date arithmetic (date + timedelta calls DueDate(y, m, d)).
    return dt.date(due.year, due.month, due.day)


def _snapshot(case: Case) -> dict:
    return {
        "proposed_type": case.proposed_type, "proposed_penalties": list(case.proposed_penalties or []),
        "proposed_fine": case.proposed_fine, "proposed_confiscation": case.proposed_confiscation,
        "hearing_concluded_on": case.hearing_concluded_on, "proposal_text": case.proposal_text,
        "proposed_basis": [str(a) for a in case.proposed_basis.all()],
        "benchmark": str(case.benchmark)[:300] if case.benchmark_id else "", "facts": case.facts,
    }


@transaction.atomic
def submit(user: User, case: Case | int, texts: Mapping[str, object], *, reviewer: User | int | None = None,
           on: dt.date | None = None) -> LegalReview:
    """送审: submit the case's current proposal with the materials checklist.

    ``texts`` carries the written materials (``investigation_report``, ``discretion_note``,
    ``hearing_record``). Missing materials, an open submission or no eligible reviewer refuse it.
    """
    case = lock_case(user, case)
    require_role(user, case, HANDLERS, "送法制审核")
    if case.state not in SUBMITTABLE_FROM:
        raise ServiceError(f"案件处于“{case.get_state_display()}”环节，不能送法制审核（须在案件审查或待决定环节）")
    if case.legal_reviews.filter(status__in=OPEN).exists():
        raise ServiceError("本案已有尚未办结的送审（待审核、协商中或待集体讨论），不能重复送审")
    items = materials.checklist(case, dict(texts))
    lacking = materials.missing(items)
    if lacking:
        raise ServiceError("送审材料不齐，不能送审：" + "；".join(lacking))
    on = on or timezone.localdate()
    # The newest submission is the one that counts: an earlier pass of the same proposal must not
    # open the gate once a later submission has found problems.
    case.legal_reviews.filter(status__in=RESUBMITTABLE).update(status=R.SUPERSEDED)
    review = LegalReview.objects.create(
        case=case, version=case.legal_reviews.count() + 1, return_state=case.state, submitted_by=user,
        submitted_on=on, reviewer=_reviewer(case, reviewer, user), due_on=_due(case, on, "legal_review"),
        major_rules=catalog.evaluate(case).codes, materials={m.code: m.as_dict() for m in items},
        **_snapshot(case))
    from sanxiang.cases.services import perform

    perform(user, case, "submit_legal_review", on=on)
    return review


# --- the reviewer's opinion -------------------------------------------------------------------

def _check_findings(outcome: str, findings: Mapping[str, Mapping[str, str]], problems: str) -> dict:
    clean = {}
    for code, _label in REVIEW_POINTS:
        item = findings.get(code) or {}
        finding = str(item.get("finding") or "")
        if finding and finding not in Finding.values:
            raise ServiceError(f"审核要点“{REVIEW_POINT_LABELS[code]}”的结论无效")
        clean[code] = {"finding": finding, "note": str(item.get("note") or "").strip()[:500]}
    unknown = set(findings) - set(REVIEW_POINT_LABELS)
    if unknown:
        raise ServiceError("未知的审核要点：" + "、".join(sorted(unknown)))
    blank = [REVIEW_POINT_LABELS[c] for c, v in clean.items() if not v["finding"]]
    if outcome != Outcome.RETURN and blank:
        raise ServiceError("须逐项给出审核结论：" + "、".join(blank))
    flagged = [c for c, v in clean.items() if v["finding"] == Finding.PROBLEM]
    if outcome == Outcome.AGREE and flagged:
        raise ServiceError("有审核要点存在问题时，不能作出“同意”的审核意见")
    if outcome == Outcome.PROBLEMS and not (flagged and problems):
        raise ServiceError("“存在问题”的审核意见须至少标出一个存在问题的要点，并写明问题")
    return clean


def _locked_review(user: User, review: LegalReview | int) -> tuple[LegalReview, Case]:
    pk = review.pk if isinstance(review, LegalReview) else review
    case_id = LegalReview.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        from django.http import Http404

        raise Http404("没有这次送审")
    case = lock_case(user, case_id)  # 404 for another agency, before anything is revealed
    return LegalReview.objects.select_related("case").get(pk=pk), case


def _claim(review: LegalReview, expected: tuple[str, ...] | str, new: str, **fields: object) -> None:
    """Move ``review`` from ``expected`` to ``new`` in one conditional UPDATE; a lost race is a conflict."""
    expected = (expected,) if isinstance(expected, str) else expected
    changed = LegalReview.objects.filter(pk=review.pk, status__in=expected).update(status=new, **fields)
    if changed != 1:
        raise ReviewConflict("该送审已由他人处理或状态已变化，请刷新后查看；本次操作未记录")
    review.status = new
    for name, value in fields.items():
        setattr(review, name, value)


@transaction.atomic
def give_opinion(user: User, review: LegalReview | int, *, outcome: str, findings: Mapping[str, Mapping[str, str]],
                 text: str, problems: str = "", suggestions: str = "", on: dt.date | None = None) -> Opinion:
    """审核意见: 同意 (the gate opens for this proposal), 存在问题 or 退回补充材料 (back to the handler)."""
    review, case = _locked_review(user, review)
    require_role(user, case, {Role.REVIEWER}, "出具法制审核意见")
    if outcome not in Outcome.values:
        raise ServiceError("审核结论无效")
    if not str(text).strip():
        raise ServiceError("须填写审核意见")
    clean = _check_findings(outcome, findings, str(problems).strip())
    on = on or timezone.localdate()
    new = {Outcome.AGREE: R.PASSED, Outcome.PROBLEMS: R.PROBLEMS, Outcome.RETURN: R.RETURNED}[Outcome(outcome)]
    _claim(review, R.PENDING, new, finished_on=on)
    opinion = Opinion.objects.create(review=review, reviewer=user, outcome=outcome, findings=clean,
                                     problems=str(problems).strip(), suggestions=str(suggestions).strip(),
                                     text=str(text).strip(), given_on=on)
    issue_opinion(user, case, opinion)  # 法制审核意见书: numbered, frozen, signed, in the case's documents
    from sanxiang.cases.services import perform

    if new == R.PASSED:
        perform(user, case, "pass_legal_review", on=on, note=opinion.text[:300])
    else:
        perform(user, case, "return_legal_review", on=on, reason=opinion.text[:300])
    return opinion


@transaction.atomic
def extend(user: User, review: LegalReview | int, reason: str) -> LegalReview:
    """Extend the review period once, with a reason."""
    review, case = _locked_review(user, review)
    role = require_role(user, case, {Role.REVIEWER, Role.AGENCY_HEAD}, "延长审核期限")
    reason = str(reason or "").strip()
    if not reason:
        raise ServiceError("须填写延长审核期限的理由")
    if review.extension_reason:
        raise ServiceError("审核期限只能延长一次")
    due = _due(case, review.due_on, "legal_review_extension")
    _claim(review, R.PENDING, R.PENDING, due_on=due, extension_reason=reason[:300])
    record_case(user, case, "legal_review_extended", f"延长法制审核期限至{due:%Y-%m-%d}：{case}", role,
                review=review.pk, due_on=due.isoformat(), reason=reason[:300])
    return review


@transaction.atomic
def reassign(user: User, review: LegalReview | int, reviewer: User | int) -> LegalReview:
    """Give a pending submission to another eligible reviewer (机关负责人 or 承办机构负责人)."""
    review, case = _locked_review(user, review)
    role = require_role(user, case, {Role.AGENCY_HEAD, Role.UNIT_HEAD}, "改派法制审核人员")
    chosen = _reviewer(case, reviewer, review.submitted_by)
    _claim(review, R.PENDING, R.PENDING, reviewer=chosen)
    record_case(user, case, "legal_review_reassigned", f"改派法制审核人员：{chosen.get_full_name() or chosen}",
                role, review=review.pk, reviewer=chosen.pk)
    return review


# --- disagreement: objection → consultation → 集体讨论 -----------------------------------------

@transaction.atomic
def object_to(user: User, review: LegalReview | int, text: str, on: dt.date | None = None) -> LegalReview:
    """The handler disagrees with a 存在问题 opinion in writing; consultation follows."""
    review, case = _locked_review(user, review)
    role = require_role(user, case, HANDLERS, "对审核意见提出异议")
    text = str(text or "").strip()
    if not text:
        raise ServiceError("须写明异议的理由")
    on = on or timezone.localdate()
    _claim(review, R.PROBLEMS, R.CONSULTATION, objection=text, objected_on=on)
    record_case(user, case, "legal_review_objection", f"对法制审核意见提出异议：{case}", role,
                review=review.pk, objection=text[:500])
    return review


CONSULTATION_RESULTS = {
    "adopt_opinion": (R.PROBLEMS, "协商一致：采纳审核意见，由承办机构修改后重新送审"),
    "adopt_proposal": (R.PASSED, "协商一致：审核人员同意拟处理意见"),
    "no_agreement": (R.COLLECTIVE, "协商未达成一致，提交机关集体讨论"),
}


@transaction.atomic
def record_consultation(user: User, review: LegalReview | int, record: str, result: str,
                        on: dt.date | None = None) -> LegalReview:
    """协商: the reviewer records the consultation with the handler and its result."""
    review, case = _locked_review(user, review)
    role = require_role(user, case, {Role.REVIEWER}, "记录协商结果")
    if result not in CONSULTATION_RESULTS:
        raise ServiceError("协商结果无效")
    record = str(record or "").strip()
    if not record:
        raise ServiceError("须填写协商记录")
    new, summary = CONSULTATION_RESULTS[result]
    on = on or timezone.localdate()
    _claim(review, R.CONSULTATION, new, consultation_record=record, consulted_on=on)
    record_case(user, case, "legal_review_consulted", f"{summary}：{case}", role, review=review.pk, result=result,
                record=record[:500])
    return review


@transaction.atomic
def conclude_collective(user: User, review: LegalReview | int, *, minutes: str, members: str, conclusion: str,
                        on: dt.date | None = None) -> LegalReview:
    """集体讨论: the agency head records who took part, the minutes and the conclusion, which decide."""
    review, case = _locked_review(user, review)
    role = require_role(user, case, {Role.AGENCY_HEAD}, "记录集体讨论结论")
    if conclusion not in CollectiveConclusion.values:
        raise ServiceError("集体讨论结论无效")
    minutes, members = str(minutes or "").strip(), str(members or "").strip()
    if not minutes or not members:
        raise ServiceError("须填写参加人员和集体讨论记录")
    new = R.COLLECTIVE_PASSED if conclusion == CollectiveConclusion.ADOPT_PROPOSAL else R.COLLECTIVE_REJECTED
    on = on or timezone.localdate()
    _claim(review, R.COLLECTIVE, new, collective_minutes=minutes, collective_members=members[:300],
           collective_conclusion=conclusion, collective_on=on, collective_chair=user)
    label = dict(CollectiveConclusion.choices)[conclusion]
    record_case(user, case, "legal_review_collective", f"法制审核分歧经集体讨论：{label}", role, review=review.pk,
                conclusion=conclusion, members=members[:300], minutes=minutes[:1000])
    return review


def responsibility(review: LegalReview) -> dict[str, str]:
    """Who answers for what (seeds 003 三.4): the submitter for the materials, the reviewer for the
    opinion, the chair of a collective discussion for settling a disagreement, and the agency head
    who took the decision (from the ledger's ``case.decide`` / ``case.decide_no_penalty`` entry)."""
    from sanxiang.ledger.services import history

    opinion = review.opinions.first()
    decided = (history(review.case).filter(event_type__in=("case.decide", "case.decide_no_penalty"))
               .select_related("actor").last())
    return {"送审人（对送审材料负责）": _name(review.submitted_by),
            "审核人（对审核意见负责）": _name(opinion.reviewer if opinion else None),
            "集体讨论主持人（对分歧的决定负责）": _name(review.collective_chair),
            "决定人（机关负责人，对决定负责）": _name(decided.actor if decided else None)}


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""
