"""Data in every state for the portal tests: what must be shown, and distinctive internal strings
that must never appear on the portal."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.cases.testing import make_item, make_officer
from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import Publication, PublicEntry, ServiceGuide
from sanxiang.disclosure.search.testing import make_entry
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import DiscretionBenchmark, InspectionTarget, RandomInspectionItem
from sanxiang.testing import World, make_uscc, make_user

# Never on the portal: each is stored only where the public may not look.
SECRETS = {
    "draft_title": "内部草稿标题甲乙丙",
    "draft_facts": "草稿事实张三丰身份证",
    "draft_party": "未公示当事人欧阳锋",
    "withdrawn_facts": "已撤下决定的违法事实赵钱孙",
    "withdrawn_title": "已撤下决定的标题周吴郑",
    "expired_facts": "公示期满决定的事实冯陈褚",
    "expired_title": "公示期满决定的标题卫蒋沈",
    "officer_account": "officer_account_wxyz",
    "officer_account_name": "账户实名韩杨朱",
    "target_name": "内部检查对象秦尤许有限公司",
    "hidden_guide": "未公开指南何吕施",
    "hidden_guide_basis": "未公开指南依据孔曹严",
}


@dataclass
class PortalData:
    world: World
    published: PublicEntry
    inspection_result: PublicEntry
    withdrawn: PublicEntry
    expired: PublicEntry
    draft: Publication
    officer: object
    expired_officer: object
    guide: ServiceGuide
    hidden_guide: ServiceGuide
    shown: dict[str, str] = field(default_factory=dict)


def build(world: World) -> PortalData:
    agency = world.agency
    account = make_user(agency, Role.OFFICER, username=SECRETS["officer_account"])
    account.full_name = SECRETS["officer_account_name"]
    account.save()
    officer = make_officer(agency, "李执法", user=account)
    expired_officer = make_officer(agency, "王过期", expires=timezone.localdate() - dt.timedelta(days=3))
    suspended = make_officer(agency, "孙暂扣")
    suspended.status = CredentialStatus.SUSPENDED
    suspended.save()
    item = make_item(agency)
    DiscretionBenchmark.objects.create(agency=agency, item=item, violation="经营超过保质期的食品",
                                       circumstance="general", sanction="没收违法所得，并处罚款")
    RandomInspectionItem.objects.create(agency=agency, item=item, name="食品经营者日常抽查", basis="《食品安全法》",
                                        target_type="食品经营者", content="进货查验", method="现场检查",
                                        ratio=5, frequency="每年1次")
    InspectionTarget.objects.create(agency=agency, name=SECRETS["target_name"], uscc=make_uscc(), kind="enterprise")
    guide = ServiceGuide.objects.create(agency=agency, name="食品经营许可办理指南", basis="《食品安全法》第三十五条",
                                        accepting_office="政务服务中心市场监管窗口", materials="申请书\n营业执照",
                                        process="申请\n受理\n审查\n决定", time_limit="20个工作日", fees="不收费",
                                        hours="工作日 9:00-17:00", address="示例路1号", phone="0576-85000001")
    hidden_guide = ServiceGuide.objects.create(agency=agency, name=SECRETS["hidden_guide"], is_public=False,
                                               basis=SECRETS["hidden_guide_basis"], accepting_office="窗口")
    published = make_entry("对某某食品有限公司的行政处罚决定", facts="经营超过保质期的食品", agency_id=agency.pk,
                           agency_name=agency.name, party_name="某某食品有限公司", party_uscc=make_uscc())
    inspection_result = make_entry("食品经营者日常抽查结果", category=Category.INSPECTION_RESULT, agency_id=agency.pk,
                                   agency_name=agency.name, outcome="未发现问题")
    withdrawn = make_entry(SECRETS["withdrawn_title"], facts=SECRETS["withdrawn_facts"],
                           status=PublicationStatus.WITHDRAWN, agency_id=agency.pk, agency_name=agency.name,
                           withdrawn_at=timezone.now(), withdrawal_notice="决定被撤销，已撤下：复议决定撤销原处罚")
    expired = make_entry(SECRETS["expired_title"], facts=SECRETS["expired_facts"], status=PublicationStatus.EXPIRED,
                         agency_id=agency.pk, agency_name=agency.name, expires_on=timezone.localdate())
    draft = Publication.objects.create(
        agency=agency, category=Category.PENALTY, decided_on=timezone.localdate(), due_on=timezone.localdate(),
        original={"title": SECRETS["draft_title"], "facts": SECRETS["draft_facts"], "party_name": SECRETS["draft_party"]},
        redacted={"title": SECRETS["draft_title"], "facts": SECRETS["draft_facts"], "party_name": SECRETS["draft_party"]})
    return PortalData(world, published, inspection_result, withdrawn, expired, draft, officer, expired_officer,
                      guide, hidden_guide)


def unknown_uuid() -> uuid.UUID:
    return uuid.uuid4()


def more_entries(agency, n: int) -> None:
    for i in range(n):
        make_entry(f"批量行政处罚决定{i}", agency_id=agency.pk, agency_name=agency.name,
                   decided_on=dt.date(2026, 1, 1) + dt.timedelta(days=i))
