"""Legal review API at /api/v1/reviews/: the queue, one submission with its opinions, and the same
actions as the review pages (送审, 审核意见, 延期, 改派, 异议, 协商, 集体讨论), plus the agency's
审核目录清单 and the reviewer staffing.

Reads are narrowed by ``access.restrict``/``get_for_user`` (another agency's submission is 404; a
supervisor reads those of their jurisdiction, and the read is recorded). Every change is a call into
:mod:`sanxiang.review.services`: refused for the role → 403, for a rule (named in Chinese) → 422,
someone else handled the submission first → 409; nothing changed in any of these cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from sanxiang.accounts.access import get_for_user, restrict
from sanxiang.accounts.api import current_user
from sanxiang.accounts.models import Agency, User
from sanxiang.api_support import READ_ERRORS, WRITE_ERRORS, PageParams, page_schema, paginate
from sanxiang.cases.schedule import today as case_today
from sanxiang.ledger.reads import record_supervisory_read
from sanxiang.review import api_schemas as s
from sanxiang.review import presenting, services, staffing
from sanxiang.review.choices import REVIEW_POINTS, ReviewStatus
from sanxiang.review.models import LegalReview, Opinion

router = Router(tags=["法制审核"])
STATUS_LABELS = dict(ReviewStatus.choices)


def _person(user: User | None) -> dict[str, Any]:
    return {"id": user.pk, "name": user.get_full_name() or user.username} if user else {"id": 0, "name": ""}


def _rows() -> models.QuerySet[LegalReview]:
    return LegalReview.objects.select_related("case__agency", "reviewer", "submitted_by")


def _item(review: LegalReview, today: dt.date) -> dict[str, Any]:
    case = review.case
    return {"id": review.pk, "case_id": case.pk, "case_number": case.case_number, "case_title": case.title,
            "agency": case.agency, "version": review.version, "status": review.status,
            "status_label": STATUS_LABELS[review.status], "reviewer": _person(review.reviewer),
            "submitted_on": review.submitted_on, "due_on": review.due_on, "extended": bool(review.extension_reason),
            "overdue": review.status == ReviewStatus.PENDING and review.due_on < today}


ReviewPage = page_schema(s.ReviewListItemOut, "ReviewPage")


@router.get("/", response={200: ReviewPage, **READ_ERRORS}, summary="法制审核列表", operation_id="reviews_list")
def list_reviews(request: HttpRequest, filters: Query[s.ReviewFilters], page: Query[PageParams]) -> dict:
    """可见范围内的送审（本机关；监督人员为本辖区），按审核期限从早到晚分页；可按状态、是否分给我、案件筛选。"""
    user = current_user(request)
    rows = restrict(_rows(), user)
    if filters.status:
        rows = rows.filter(status=filters.status.value)
    if filters.mine:
        rows = rows.filter(reviewer=user)
    if filters.case_id:
        rows = rows.filter(case_id=filters.case_id)
    found = paginate(rows.order_by("due_on", "id"), page)
    today = case_today()
    found["items"] = [_item(r, today) for r in found["items"]]
    return found


@router.get("/catalog", response={200: s.CatalogOut, **READ_ERRORS}, summary="法制审核目录清单",
            operation_id="reviews_catalog")
def catalog_of(request: HttpRequest, agency_id: int | None = None) -> dict:
    """本机关（监督人员可指定本辖区的机关）的重大执法决定法制审核目录清单，每项带依据；
    机关未自定时为平台默认目录。"""
    user = current_user(request)
    agency = get_for_user(Agency.objects.all(), user, pk=agency_id or user.agency_id)
    return presenting.catalog_dict(agency)


@router.get("/staffing", response={200: list[s.StaffingOut], **READ_ERRORS}, summary="法制审核人员配备",
            operation_id="reviews_staffing")
def staffing_of(request: HttpRequest) -> list[dict]:
    """各机关执法人员数、法制审核人员数及占比（原则上不少于5%）、具有法律职业资格的人数；
    机关成员看本机关，监督人员看本辖区各机关。"""
    return [presenting.staffing_dict(x) for x in staffing.for_user(current_user(request))]


# --- one submission ---------------------------------------------------------------------------

def _points(opinion: Opinion) -> list[dict[str, str]]:
    found = opinion.findings or {}
    return [{"code": code, "label": label, "finding": (found.get(code) or {}).get("finding") or "",
             "note": (found.get(code) or {}).get("note") or ""} for code, label in REVIEW_POINTS]


def _opinion(opinion: Opinion) -> dict[str, Any]:
    document = opinion.document
    return {"id": opinion.pk, "reviewer": _person(opinion.reviewer), "outcome": opinion.outcome,
            "outcome_label": str(opinion.get_outcome_display()), "points": _points(opinion),
            "problems": opinion.problems, "suggestions": opinion.suggestions, "text": opinion.text,
            "given_on": opinion.given_on,
            "document": {"id": document.pk, "number": document.number, "rendered": document.rendered}
            if document else None}


def review_detail(review: LegalReview) -> dict[str, Any]:
    versions = LegalReview.objects.filter(case_id=review.case_id).order_by("version")
    proposal = {"type": review.proposed_type, "penalties": list(review.proposed_penalties or []),
                "fine": review.proposed_fine, "confiscation": review.proposed_confiscation,
                "text": review.proposal_text, "basis": list(review.proposed_basis or []),
                "benchmark": review.benchmark, "facts": review.facts,
                "hearing_concluded_on": review.hearing_concluded_on}
    materials = [{"code": code, "label": m.get("label", code), "ok": bool(m.get("ok")), "detail": m.get("detail", "")}
                 for code, m in (review.materials or {}).items()]
    return {
        **_item(review, case_today()), "return_state": review.return_state, "proposal": proposal,
        "major_rules": list(review.major_rules or []), "materials": materials,
        "submitted_by": _person(review.submitted_by), "extension_reason": review.extension_reason,
        "finished_on": review.finished_on, "objection": review.objection, "objected_on": review.objected_on,
        "consultation_record": review.consultation_record, "consulted_on": review.consulted_on,
        "collective_minutes": review.collective_minutes, "collective_members": review.collective_members,
        "collective_conclusion": review.collective_conclusion, "collective_on": review.collective_on,
        "opinions": [_opinion(o) for o in review.opinions.all()],
        "versions": [{"id": v.pk, "version": v.version, "status": v.status, "status_label": STATUS_LABELS[v.status],
                      "submitted_on": v.submitted_on} for v in versions],
        "responsibility": [{"role": k, "name": v} for k, v in services.responsibility(review).items()],
    }


def _fresh(review: LegalReview | int) -> dict[str, Any]:
    pk = review.pk if isinstance(review, LegalReview) else review
    rows = _rows().prefetch_related(Prefetch("opinions", Opinion.objects.select_related("reviewer", "document")))
    return review_detail(rows.get(pk=pk))


@router.get("/{review_id}", response={200: s.ReviewOut, **READ_ERRORS}, summary="送审详情",
            operation_id="reviews_detail")
def detail(request: HttpRequest, review_id: int) -> dict:
    """一次送审：送审时的拟处理意见副本、送审材料、审核意见（逐项）及《法制审核意见书》、异议、协商、
    集体讨论、本案各次送审和责任人。监督人员调阅其他机关的送审会记入全过程记录。"""
    user = current_user(request)
    review = get_for_user(_rows(), user, pk=review_id)
    record_supervisory_read(user, review.case)
    return _fresh(review)


# --- actions ----------------------------------------------------------------------------------

@router.post("/", response={201: s.ReviewOut, **WRITE_ERRORS}, summary="送法制审核", operation_id="reviews_submit")
def submit(request: HttpRequest, payload: s.SubmitIn) -> Status:
    """承办人或承办机构负责人将案件当前的拟处理意见连同送审材料送法制审核（案件审查或待决定环节）。
    材料不齐、已有未办结的送审或没有可承担审核的人员时返回 422。"""
    texts = payload.model_dump(include={"investigation_report", "discretion_note", "hearing_record"})
    review = services.submit(current_user(request), payload.case_id, texts, reviewer=payload.reviewer_id,
                             on=payload.on)
    return Status(201, _fresh(review))


@router.post("/{review_id}/opinion", response={201: s.ReviewOut, **WRITE_ERRORS}, summary="出具审核意见",
             operation_id="reviews_opinion")
def give_opinion(request: HttpRequest, review_id: int, payload: s.OpinionIn) -> Status:
    """法制审核人员出具书面审核意见（同意、存在问题或退回补充材料），同时制作《法制审核意见书》。
    该送审已有审核意见（他人或本人刚刚出具）时返回 409，不再记录。"""
    findings = {code: {"finding": item.finding.value if item.finding else "", "note": item.note}
                for code, item in payload.findings.items()}
    services.give_opinion(current_user(request), review_id, outcome=payload.outcome.value, findings=findings,
                          text=payload.text, problems=payload.problems, suggestions=payload.suggestions,
                          on=payload.on)
    return Status(201, _fresh(review_id))


@router.post("/{review_id}/extend", response={200: s.ReviewOut, **WRITE_ERRORS}, summary="延长审核期限",
             operation_id="reviews_extend")
def extend(request: HttpRequest, review_id: int, payload: s.ExtendIn) -> dict:
    """情况复杂的，法制审核人员或机关负责人写明理由延长审核期限一次。"""
    return _fresh(services.extend(current_user(request), review_id, payload.reason))


@router.post("/{review_id}/reassign", response={200: s.ReviewOut, **WRITE_ERRORS}, summary="改派审核人员",
             operation_id="reviews_reassign")
def reassign(request: HttpRequest, review_id: int, payload: s.ReassignIn) -> dict:
    """机关负责人或承办机构负责人把待审核的送审改派给本机关另一名法制审核人员（不得是本案承办人）。"""
    return _fresh(services.reassign(current_user(request), review_id, payload.reviewer_id))


@router.post("/{review_id}/objection", response={200: s.ReviewOut, **WRITE_ERRORS}, summary="对审核意见提出异议",
             operation_id="reviews_objection")
def objection(request: HttpRequest, review_id: int, payload: s.ObjectionIn) -> dict:
    """承办人对“存在问题”的审核意见有不同意见的，书面提出异议，进入协商。"""
    return _fresh(services.object_to(current_user(request), review_id, payload.text, on=payload.on))


@router.post("/{review_id}/consultation", response={200: s.ReviewOut, **WRITE_ERRORS}, summary="记录协商结果",
             operation_id="reviews_consultation")
def consultation(request: HttpRequest, review_id: int, payload: s.ConsultationIn) -> dict:
    """法制审核人员记录与承办机构协商的情况和结果；未达成一致的提交机关集体讨论。"""
    review = services.record_consultation(current_user(request), review_id, payload.record, payload.result,
                                          on=payload.on)
    return _fresh(review)


@router.post("/{review_id}/collective", response={200: s.ReviewOut, **WRITE_ERRORS}, summary="记录集体讨论结论",
             operation_id="reviews_collective")
def collective(request: HttpRequest, review_id: int, payload: s.CollectiveIn) -> dict:
    """机关负责人记录集体讨论的参加人员、记录和结论；结论决定分歧如何处理。"""
    review = services.conclude_collective(current_user(request), review_id, minutes=payload.minutes,
                                          members=payload.members, conclusion=payload.conclusion.value,
                                          on=payload.on)
    return _fresh(review)

