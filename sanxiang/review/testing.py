"""Test and demo helpers: a complete submission and a passing opinion, as people would give them."""

from __future__ import annotations

import datetime as dt

from sanxiang.accounts.models import User
from sanxiang.review import services
from sanxiang.review.choices import REVIEW_POINTS, Finding, Outcome
from sanxiang.review.models import LegalReview, Opinion

TEXTS = {
    "investigation_report": "经调查，当事人违法事实清楚，证据确凿，建议依法给予行政处罚。",
    "discretion_note": "当事人违法情节一般，按裁量基准“一般”档次确定处罚幅度。",
    "hearing_record": "听证会于听证日期举行，当事人陈述申辩意见已记录在案。",
}
ALL_OK = {code: {"finding": Finding.OK, "note": ""} for code, _ in REVIEW_POINTS}


def findings_with_problem(point: str = "discretion", note: str = "裁量幅度偏重") -> dict:
    return {**ALL_OK, point: {"finding": Finding.PROBLEM, "note": note}}


def submit(user: User, case_id: int, **kwargs: object) -> LegalReview:
    return services.submit(user, case_id, TEXTS, **kwargs)


def agree(reviewer: User, review: LegalReview | int, on: dt.date | None = None) -> Opinion:
    return services.give_opinion(reviewer, review, outcome=Outcome.AGREE, findings=ALL_OK, on=on,
                                 text="经审核，执法主体合法，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟处理意见。")


def submit_and_pass(submitter: User, reviewer: User, case_id: int) -> LegalReview:
    review = submit(submitter, case_id, reviewer=reviewer)
    agree(reviewer, review)
    review.refresh_from_db()
    return review


def agree_latest(reviewer: User, case_id: int, on: dt.date | None = None) -> Opinion:
    return agree(reviewer, LegalReview.objects.filter(case_id=case_id).order_by("-version").first(), on)
