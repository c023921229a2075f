"""What the case lifecycle asks of the legal review: preconditions and effects of the transitions
``submit_legal_review``, ``pass_legal_review``, ``return_legal_review``, ``decide`` and
``decide_no_penalty`` (called from :mod:`sanxiang.cases.preconditions` and
:mod:`sanxiang.cases.services.transitions`)."""

from __future__ import annotations

from decimal import Decimal

from sanxiang.cases.choices import CaseState, DecisionType
from sanxiang.review import gate
from sanxiang.review.choices import ReviewStatus
from sanxiang.review.models import LegalReview

R = ReviewStatus
# The status the review service has just set before taking each transition.
OPINION_STATUS = {"pass_legal_review": (R.PASSED,), "return_legal_review": (R.PROBLEMS, R.RETURNED)}


def _latest(case_id: int) -> LegalReview | None:
    return LegalReview.objects.filter(case_id=case_id).order_by("-version").first()


def submitted(ctx) -> bool:
    """A pending submission of exactly the current proposal exists (made by the review service)."""
    return LegalReview.objects.filter(case_id=ctx.case.pk, status=R.PENDING).filter(
        gate.current_match(ctx.case)).exists()


def opinion_recorded(ctx) -> bool:
    review = _latest(ctx.case.pk)
    wanted = OPINION_STATUS.get(ctx.transition, ())
    return bool(review and review.status in wanted and review.opinions.exists())


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))


def decision_as_reviewed(ctx) -> bool:
    """A major case decides what was reviewed: the decision's type, penalties and amounts equal the
    passed proposal (a 不予处罚 decision needs a reviewed 不予处罚 proposal)."""
    case = ctx.case
    if not case.is_major:
        return True
    if ctx.transition == "decide_no_penalty":
        return case.proposed_type == DecisionType.NO_PENALTY
    return (case.decision_type == case.proposed_type
            and sorted(case.decision_penalties or []) == sorted(case.proposed_penalties or [])
            and _same(case.decision_fine, case.proposed_fine)
            and _same(case.decision_confiscation, case.proposed_confiscation))


def on_submitted(ctx) -> dict:
    review = LegalReview.objects.filter(case_id=ctx.case.pk, status=R.PENDING).order_by("-version").first()
    return {"review": review.pk, "version": review.version, "reviewer": review.reviewer_id,
            "due_on": review.due_on.isoformat(), "major_rules": review.major_rules}


def on_opinion(ctx) -> dict:
    """Back to the step the case was submitted from; the opinion's outcome goes into the entry."""
    review = _latest(ctx.case.pk)
    ctx.target = CaseState(review.return_state)
    opinion = review.opinions.first()
    return {"review": review.pk, "version": review.version, "outcome": opinion.outcome,
            "findings": {k: v["finding"] for k, v in opinion.findings.items()}}
