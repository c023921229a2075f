"""法制审核意见书: the reviewer's written opinion as a document of the case.

Issued by the review service when the opinion is given (:func:`issue_opinion`), through the case
documents' own path (number by the agency's 文号 pattern, frozen context, ledger entry, .docx and
PDF signed with the agency's key), so it lists with the case's other documents. Its context adds a
``review`` section to the case context: the submission as it was sent (the review's copy of the
proposal, not the case as it may be later), the ten 审核要点 with findings and notes, and the
opinion.
"""

from __future__ import annotations

from decimal import Decimal

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases.choices import DecisionType, DocumentKind, PenaltyKind
from sanxiang.cases.documents.chinese import amount_upper, date_numeric, money
from sanxiang.cases.models import Case, Document
from sanxiang.review.choices import REVIEW_POINTS, Finding
from sanxiang.review.models import LegalReview, Opinion

PENALTY_LABELS = dict(PenaltyKind.choices)
TYPE_LABELS = dict(DecisionType.choices)
FINDING_LABELS = dict(Finding.choices)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _amount(value: Decimal | None) -> dict:
    return {"value": money(value), "upper": amount_upper(value), "present": bool(value)}


def _proposal(review: LegalReview) -> dict:
    """The proposal as submitted (the review's copy)."""
    penalties = [str(PENALTY_LABELS.get(code, code)) for code in review.proposed_penalties or []]
    basis = [str(b) for b in review.proposed_basis or []]
    return {"type": str(TYPE_LABELS.get(review.proposed_type, review.proposed_type or "")),
            "type_code": review.proposed_type, "penalties": penalties, "penalties_text": "、".join(penalties),
            "fine": _amount(review.proposed_fine), "confiscation": _amount(review.proposed_confiscation),
            "text": review.proposal_text, "basis": basis, "basis_text": "、".join(basis),
            "benchmark": review.benchmark, "facts": review.facts}


def _points(opinion: Opinion) -> list[dict]:
    rows = []
    for index, (code, label) in enumerate(REVIEW_POINTS, start=1):
        item = (opinion.findings or {}).get(code) or {}
        finding = item.get("finding") or ""
        rows.append({"index": index, "code": code, "label": label, "finding": finding,
                     "finding_label": str(FINDING_LABELS.get(finding, "未审查")), "note": item.get("note") or ""})
    return rows


def review_context(review: LegalReview, opinion: Opinion) -> dict:
    """The ``review`` section of the 法制审核意见书's context (JSON-able)."""
    from sanxiang.review import catalog

    labels = {rule.code: rule.label for rule in catalog.rules_for(review.case.agency_id)}
    materials = [{"label": m.get("label", code), "ok": bool(m.get("ok")), "detail": m.get("detail", "")}
                 for code, m in (review.materials or {}).items()]
    return {
        "version": review.version, "submitted_on": review.submitted_on.isoformat(),
        "submitted_text": date_numeric(review.submitted_on), "submitted_by": _name(review.submitted_by),
        "due_text": date_numeric(review.due_on), "proposal": _proposal(review),
        "major_rules": [labels.get(code, "全覆盖审核" if code == "full_coverage" else code)
                        for code in review.major_rules or []],
        "materials": materials, "points": _points(opinion),
        "outcome": opinion.outcome, "outcome_label": str(opinion.get_outcome_display()),
        "problems": opinion.problems, "suggestions": opinion.suggestions, "text": opinion.text,
        "reviewer": _name(opinion.reviewer), "given_on": opinion.given_on.isoformat(),
        "given_text": date_numeric(opinion.given_on),
    }


def issue_opinion(user: User, case: Case, opinion: Opinion) -> Document:
    """Issue the 法制审核意见书 of ``opinion`` (inside the caller's transaction, case locked) and
    link it to the opinion. ``user`` is the reviewer who gave it."""
    from sanxiang.cases.services.documents import make_document

    extra = {"review": review_context(opinion.review, opinion)}
    document = make_document(user, case, DocumentKind.LEGAL_REVIEW_OPINION, Role.REVIEWER, extra=extra,
                             on=opinion.given_on)
    opinion.document = document
    opinion.save(update_fields=["document"])
    return document
