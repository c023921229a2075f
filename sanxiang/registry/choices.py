"""Choice lists of the registries (主体库·人员库·事项库·法规库·检查对象库)."""

from django.db import models

from sanxiang.accounts.choices import EnforcementKind

__all__ = ["EnforcementKind"]


class CredentialStatus(models.TextChoices):
    """执法证状态 as recorded; "expired" is derived from the expiry date, never stored."""

    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


EXPIRED_LABEL = "已过期"


class LawLevel(models.TextChoices):
    LAW = "law", "法律"
    ADMIN_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    DEPARTMENT_RULE = "department_rule", "部门规章"
    LOCAL_RULE = "local_rule", "地方政府规章"
    NORMATIVE_DOCUMENT = "normative_document", "规范性文件"


class LawStatus(models.TextChoices):
    IN_FORCE = "in_force", "现行有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"


class Circumstance(models.TextChoices):
    """违法情节 used by discretion benchmarks."""

    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    SEVERE = "severe", "严重"


class TargetKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    OTHER_ORGANISATION = "other_organisation", "其他组织"
    NATURAL_PERSON = "natural_person", "自然人"


class RiskLevel(models.TextChoices):
    LOW = "low", "低风险"
    MEDIUM = "medium", "中风险"
    HIGH = "high", "高风险"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"
