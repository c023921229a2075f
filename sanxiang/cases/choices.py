"""Choice lists of case handling (执法办案); names follow DOMAIN.md's glossary."""

from django.db import models


class CaseState(models.TextChoices):
    """Where a case stands. The transitions between them are in :mod:`sanxiang.cases.lifecycle`."""

    CLUE = "clue", "线索登记"
    FILING_APPROVAL = "filing_approval", "立案审批"
    INVESTIGATION = "investigation", "调查取证"
    EXAMINATION = "examination", "案件审查"
    LEGAL_REVIEW = "legal_review", "法制审核"
    NOTICE = "notice", "事先告知"
    HEARING = "hearing", "听证"
    COLLECTIVE = "collective", "集体讨论"
    DECISION = "decision", "待决定"
    SERVICE = "service", "送达"
    EXECUTION = "execution", "执行"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    NOT_FILED = "not_filed", "不予立案"
    REVOKED = "revoked", "撤销立案"
    NO_PENALTY = "no_penalty", "不予处罚"
    TRANSFERRED = "transferred", "移送司法机关"


# States in which the case is still being handled (its deadlines run).
OPEN_STATES = frozenset(CaseState) - {CaseState.CLOSED, CaseState.ARCHIVED, CaseState.NOT_FILED,
                                      CaseState.REVOKED}


class Procedure(models.TextChoices):
    NORMAL = "normal", "普通程序"
    SIMPLE = "simple", "简易程序"


class CaseSource(models.TextChoices):
    """案件来源."""

    INSPECTION = "inspection", "检查发现"
    COMPLAINT = "complaint", "投诉举报"
    ASSIGNED = "assigned", "上级交办"
    TRANSFERRED = "transferred", "移送"
    RANDOM_INSPECTION = "random_inspection", "随机抽查"


class PartyKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    LEGAL_PERSON = "legal_person", "法人"
    OTHER_ORGANISATION = "other_organisation", "其他组织"


class HandlerRole(models.TextChoices):
    LEAD = "lead", "主办"
    ASSISTANT = "assistant", "协办"


class DecisionType(models.TextChoices):
    """处理意见 / 决定 types (行政处罚法 art. 57)."""

    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送司法机关"


class PenaltyKind(models.TextChoices):
    """行政处罚的种类 (行政处罚法 art. 9)."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENSE = "suspend_license", "暂扣许可证件"
    DOWNGRADE = "downgrade", "降低资质等级"
    REVOKE_LICENSE = "revoke_license", "吊销许可证件"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    STOP_BUSINESS = "stop_business", "责令停产停业"
    CLOSE_DOWN = "close_down", "责令关闭"
    RESTRICT_PRACTICE = "restrict_practice", "限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "其他"


class PauseKind(models.TextChoices):
    """Periods not counted in the decision deadline (行政处罚法 art. 60 and sector rules)."""

    HEARING = "hearing", "听证"
    PUBLIC_NOTICE = "public_notice", "公告"
    TESTING = "testing", "检测、检验、检疫、鉴定"
    SUSPENSION = "suspension", "案件中止"


class DocumentKind(models.TextChoices):
    """执法文书 the platform generates."""

    FILING_APPROVAL = "filing_approval", "立案审批表"
    INSPECTION_RECORD = "inspection_record", "现场检查（勘验）笔录"
    INQUIRY_RECORD = "inquiry_record", "询问笔录"
    PRIOR_NOTICE = "prior_notice", "行政处罚事先告知书"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    DECISION = "decision", "行政处罚决定书"
    SERVICE_RECEIPT = "service_receipt", "送达回证"
    CLOSING_APPROVAL = "closing_approval", "结案审批表"
    LEGAL_REVIEW_OPINION = "legal_review_opinion", "法制审核意见书"


class ServiceMethod(models.TextChoices):
    """送达方式 (行政处罚法 art. 61; 民事诉讼法 on the forms of service)."""

    DIRECT = "direct", "直接送达"
    ON_THE_SPOT = "on_the_spot", "当场交付"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（当事人书面同意）"
    LEFT = "left", "留置送达"
    NOTICE = "notice", "公告送达"


class RecusalStatus(models.TextChoices):
    PENDING = "pending", "待决定"
    GRANTED = "granted", "回避"
    REFUSED = "refused", "驳回"
