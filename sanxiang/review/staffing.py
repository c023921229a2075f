"""法制审核人员配备: legal reviewers against the agency's officers (seed 003: in principle not fewer
than 5 % of the agency's 执法人员).

A reviewer is a registry officer marked 法制审核人员, or a user holding the reviewer role whose
officer record (if any) is not so marked — each person once. Officers are the agency's officers
whose certificate is not revoked or suspended (执法人员总数).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from sanxiang.accounts.access import visible_agencies
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, User
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Officer

MINIMUM_SHARE = Decimal("0.05")
SOURCE = "《关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的实施方案》（seed 003）：" \
         "原则上各行政执法机关法制审核人员不少于本单位执法人员总数的5%"


@dataclass(frozen=True)
class Staffing:
    agency: Agency
    officers: int  # 执法人员总数
    registry_reviewers: int  # officers marked 法制审核人员
    role_reviewers: int  # users with the reviewer role not counted above
    qualified: int  # reviewers holding 法律职业资格 (registry)

    @property
    def reviewers(self) -> int:
        return self.registry_reviewers + self.role_reviewers

    @property
    def required(self) -> int:
        """The fewest reviewers that reach 5 % (at least one where the agency has officers)."""
        return math.ceil(self.officers * MINIMUM_SHARE) if self.officers else 0

    @property
    def share(self) -> Decimal | None:
        if not self.officers:
            return None
        return (Decimal(self.reviewers) / Decimal(self.officers) * 100).quantize(Decimal("0.1"))

    @property
    def short(self) -> bool:
        return self.reviewers < self.required

    @property
    def warning(self) -> str:
        if not self.short:
            return ""
        return (f"{self.agency.name}法制审核人员{self.reviewers}人，占执法人员{self.officers}人的{self.share}%，"
                f"低于5%（至少需{self.required}人）")


def of_agency(agency: Agency) -> Staffing:
    officers = Officer.objects.filter(agency=agency, status=CredentialStatus.VALID)
    flagged = Officer.objects.filter(agency=agency, is_legal_reviewer=True)
    flagged_users = flagged.exclude(user__isnull=True).values("user_id")
    role_users = (User.objects.filter(agency=agency, is_active=True, role_grants__role=Role.REVIEWER)
                  .exclude(pk__in=flagged_users).distinct())
    return Staffing(agency, officers.count(), flagged.count(), role_users.count(),
                    flagged.filter(has_legal_qualification=True).count())


def for_user(user: User) -> list[Staffing]:
    """The staffing of every agency ``user`` may read: their own; a supervisor's jurisdiction."""
    return [of_agency(a) for a in visible_agencies(user).order_by("name", "pk")]


def warnings_for(user: User) -> list[str]:
    return [s.warning for s in for_user(user) if s.short]
