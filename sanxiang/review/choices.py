"""Choice lists of the legal review (重大执法决定法制审核); names follow DOMAIN.md's glossary."""

from django.db import models


class ReviewStatus(models.TextChoices):
    """Where one submission (送审) stands. Only PASSED and COLLECTIVE_PASSED open the gate."""

    PENDING = "pending", "待审核"
    PASSED = "passed", "审核通过"
    PROBLEMS = "problems", "存在问题"
    RETURNED = "returned", "退回补充材料"
    CONSULTATION = "consultation", "有异议·协商中"
    COLLECTIVE = "collective", "提交集体讨论"
    COLLECTIVE_PASSED = "collective_passed", "集体讨论同意拟处理意见"
    COLLECTIVE_REJECTED = "collective_rejected", "集体讨论采纳审核意见"
    SUPERSEDED = "superseded", "已被重新送审取代"


GATE_OPEN = (ReviewStatus.PASSED, ReviewStatus.COLLECTIVE_PASSED)
# Statuses after which the handler may resubmit a changed proposal.
RESUBMITTABLE = (ReviewStatus.PROBLEMS, ReviewStatus.RETURNED, ReviewStatus.COLLECTIVE_REJECTED,
                 ReviewStatus.PASSED, ReviewStatus.COLLECTIVE_PASSED)
# Statuses in which the submission still awaits someone.
OPEN = (ReviewStatus.PENDING, ReviewStatus.CONSULTATION, ReviewStatus.COLLECTIVE)


class Outcome(models.TextChoices):
    """审核意见 (the written opinion's conclusion)."""

    AGREE = "agree", "同意"
    PROBLEMS = "problems", "存在问题"
    RETURN = "return", "退回补充材料"


class Finding(models.TextChoices):
    OK = "ok", "符合"
    PROBLEM = "problem", "存在问题"
    NOT_APPLICABLE = "na", "不适用"


class CollectiveConclusion(models.TextChoices):
    ADOPT_PROPOSAL = "adopt_proposal", "同意承办机构的拟处理意见"
    ADOPT_OPINION = "adopt_opinion", "采纳法制审核意见，由承办机构修改后重新送审"


class RuleKind(models.TextChoices):
    """What a catalog rule looks at."""

    FINE_PERSON = "fine_person", "对公民的罚款数额"
    FINE_ORGANISATION = "fine_organisation", "对法人或其他组织的罚款数额"
    CONFISCATION = "confiscation", "没收违法所得、非法财物的数额"
    PENALTY_KINDS = "penalty_kinds", "处罚种类"
    ITEM_KINDS = "item_kinds", "执法类别"
    ITEMS = "items", "指定的执法事项"
    HEARING = "hearing", "经过听证程序"


# 审核内容 (seeds 003 三.3; 国办发〔2018〕118号): what the reviewer must go through, in order.
REVIEW_POINTS: tuple[tuple[str, str], ...] = (
    ("competent", "执法主体合法"),
    ("qualified", "执法人员具备执法资格"),
    ("facts", "案件事实清楚"),
    ("evidence", "证据合法、确凿、充分"),
    ("law", "适用法律、法规、规章准确"),
    ("discretion", "裁量基准运用适当"),
    ("procedure", "执法程序合法"),
    ("authority", "未超越法定权限、未滥用职权"),
    ("documents", "执法文书规范、齐备"),
    ("crime", "是否涉嫌犯罪需移送司法机关"),
)
REVIEW_POINT_LABELS = dict(REVIEW_POINTS)
