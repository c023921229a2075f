"""Choice lists of 行政执法公示 (disclosure); names follow DOMAIN.md's glossary."""

from django.db import models


class Category(models.TextChoices):
    """What is published (事后公开): enforcement decisions by kind, and random-inspection results."""

    LICENSE = "license", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    FEE = "fee", "行政收费"
    INSPECTION = "inspection", "行政检查"
    INSPECTION_RESULT = "inspection_result", "随机抽查结果"


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤下"
    EXPIRED = "expired", "公示期满"
    NOT_PUBLISHED = "not_published", "依规定不予公示"


class WithdrawalKind(models.TextChoices):
    """Why a published decision leaves the portal at once (行政处罚法 art. 48)."""

    CHANGED = "changed", "决定被变更"
    REVOKED = "revoked", "决定被撤销"
    ILLEGAL = "illegal", "决定被确认违法"
    VOID = "void", "决定被确认无效"
    ERROR = "error", "公示内容有误"


class Profile(models.TextChoices):
    """Which publication rules an agency follows (DOMAIN.md's table)."""

    NATIONAL = "national", "国办发〔2018〕118号（一般规定）"
    MARKET = "market", "市场监督管理行政处罚信息公示规定（2021）"


class ReportStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
