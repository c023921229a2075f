"""Demo legal reviews (``manage.py seed_demo``), built on the demo cases of the 市场监督管理局.

The cases demo already leaves a major case 待审核 (发布虚假广告, stopped at 送审) and several that
passed review (the 集体讨论 and hearing cases). This step adds what a reviewer meets besides:

* 存在问题: the case waiting for a decision after the statement period (使用超过保质期的食品原料)
  is marked major (案情复杂) by the unit head, submitted and given a 存在问题 opinion — back to 待决定
  for the handler to fix and resubmit;
* 集体讨论: the case in 案件审查 (进货查验记录) is marked major, submitted, given a 存在问题 opinion,
  objected to by the handler, and the consultation ends without agreement — it waits for the
  agency head's 集体讨论;
* a catalog note: the agency's own catalog rule for unlicensed drug sales (its first change copies
  the defaults).

Everything goes through the services as the demo logins. Idempotent: a case that has a review and
a rule that exists are left alone. Both cases stay in the state the cases demo gave them.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, User
from sanxiang.cases import services as case_services
from sanxiang.cases.choices import CaseState
from sanxiang.cases.demo import LOGINS, deferred_rendering
from sanxiang.cases.models import Case
from sanxiang.review import catalog_services, services
from sanxiang.review.choices import Outcome, RuleKind
from sanxiang.review.models import CatalogRule, LegalReview
from sanxiang.review.testing import TEXTS, findings_with_problem

CATALOG_NOTE = "未取得药品经营许可证销售药品的行政处罚决定"
CATALOG_SOURCE = "清江市市场监督管理局重大执法决定法制审核目录清单（2026年版）第九项：涉及药品安全、社会影响较大"
DRUG_ITEM = "SJ-CF-011"

RETURNED = ("使用超过保质期的食品原料", CaseState.DECISION)
COLLECTIVE = ("未按规定建立并遵守进货查验记录制度", CaseState.EXAMINATION)


def _count(step: object, created: bool) -> None:
    name = "created" if created else "existing"
    setattr(step, name, getattr(step, name) + 1)


def _users(agency: Agency) -> dict[str, User]:
    users = {role: User.objects.get(username=name) for role, name in LOGINS["scjg"].items()}
    users[Role.ADMIN] = User.objects.get(agency=agency, username="admin")
    return users


def _case(agency: Agency, spec: tuple[str, CaseState]) -> Case | None:
    """The demo case of ``spec`` (violation, state): the one already reviewed by this step, else
    the one waiting in that state."""
    violation, state = spec
    rows = Case.objects.filter(agency=agency, title__contains=violation, is_major=True,
                               legal_reviews__isnull=False).order_by("id")
    return rows.first() or Case.objects.filter(agency=agency, title__contains=violation, state=state).order_by(
        "id").first()


def _submit(users: dict[str, User], case: Case, reason: str, on: dt.date) -> LegalReview:
    head = users[Role.UNIT_HEAD]
    case_services.update_case(head, case.pk, {"is_major": True, "major_reason": reason})
    return services.submit(head, case.pk, TEXTS, reviewer=users[Role.REVIEWER], on=on)


def _problems(users: dict[str, User], review: LegalReview, on: dt.date) -> None:
    services.give_opinion(
        users[Role.REVIEWER], review, outcome=Outcome.PROBLEMS, on=on,
        findings=findings_with_problem("evidence", "货值金额的计算缺少进货票据佐证"),
        problems="1．货值金额仅有当事人陈述，缺少进货票据或销售记录佐证；\n2．裁量基准适用说明未说明从轻情节的依据。",
        suggestions="补充调取进货票据、销售记录，据实认定货值金额；补充从轻情节的证据后重新送审。",
        text="经审核，本案证据不够充分，裁量理由未说明，请承办机构补充完善后重新送审。")


def _returned(step: object, agency: Agency, users: dict[str, User], today: dt.date) -> None:
    case = _case(agency, RETURNED)
    if case is None or case.legal_reviews.exists():
        _count(step, False)
        return
    review = _submit(users, case, "案情复杂，涉及多个法律关系（行政处罚法第五十八条第一款第四项）", today)
    _problems(users, review, today)
    _count(step, True)


def _collective(step: object, agency: Agency, users: dict[str, User], today: dt.date) -> None:
    case = _case(agency, COLLECTIVE)
    if case is None or case.legal_reviews.exists():
        _count(step, False)
        return
    days = [today - dt.timedelta(days=n) for n in (3, 2, 1, 0)]
    review = _submit(users, case, "当事人经营范围涉及学校食堂供货，社会影响较大", days[0])
    _problems(users, review, days[1])
    services.object_to(users[Role.OFFICER], review, on=days[2],
                       text="货值金额已由当事人签字确认的盘点记录证实，且当事人无法提供进货票据本身即是违法事实，"
                            "承办机构认为证据已经充分。")
    services.record_consultation(users[Role.REVIEWER], review, on=days[3], result="no_agreement",
                                 record="法制科与承办科室就货值金额的认定协商，双方意见未能统一，提请机关负责人集体讨论。")
    _count(step, True)


def _catalog_note(step: object, agency: Agency, users: dict[str, User]) -> None:
    if CatalogRule.objects.filter(agency=agency, label=CATALOG_NOTE).exists():
        _count(step, False)
        return
    catalog_services.add_rule(users[Role.ADMIN], label=CATALOG_NOTE, kind=RuleKind.ITEMS, source=CATALOG_SOURCE,
                              values=[DRUG_ITEM])
    _count(step, True)


def seed_review(step: object, agencies: dict[str, Agency], today: dt.date | None = None) -> None:
    """Create the demo reviews and the catalog note that are missing (see the module docstring)."""
    today = today or timezone.localdate()
    agency = agencies["scjg"]
    users = _users(agency)
    with deferred_rendering():
        _catalog_note(step, agency, users)
        _returned(step, agency, users, today)
        _collective(step, agency, users, today)
