"""Choice lists of the accounts app; names follow DOMAIN.md's glossary."""

from django.db import models


class Role(models.TextChoices):
    """Roles of DOMAIN.md. A user may hold several."""

    OFFICER = "officer", "执法人员"
    UNIT_HEAD = "unit_head", "承办机构负责人"
    REVIEWER = "reviewer", "法制审核人员"
    AGENCY_HEAD = "agency_head", "机关负责人"
    SUPERVISOR = "supervisor", "监督人员"
    PUBLISHER = "publisher", "公示管理员"
    ADMIN = "admin", "系统管理员"


class JurisdictionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "区县"
    TOWNSHIP = "township", "乡镇/街道"


JURISDICTION_PARENT_LEVEL = {
    JurisdictionLevel.PROVINCE: None,
    JurisdictionLevel.CITY: JurisdictionLevel.PROVINCE,
    JurisdictionLevel.COUNTY: JurisdictionLevel.CITY,
    JurisdictionLevel.TOWNSHIP: JurisdictionLevel.COUNTY,
}


class AgencyKind(models.TextChoices):
    """主体性质: the kinds of body that may hold enforcement power (行政处罚法 arts. 17-21)."""

    ADMINISTRATIVE = "administrative", "行政机关"
    AUTHORIZED = "authorized", "法律法规授权组织"
    ENTRUSTED = "entrusted", "受委托组织"
    JUDICIAL_BUREAU = "judicial_bureau", "司法行政机关（监督）"


class EnforcementKind(models.TextChoices):
    """执法类别 of DOMAIN.md's glossary."""

    LICENSE = "license", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    FEE = "fee", "行政收费"
    INSPECTION = "inspection", "行政检查"
    OTHER = "other", "其他"
