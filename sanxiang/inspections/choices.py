"""Choices of 双随机、一公开: plan states, task results and the reasons for 回避."""

from django.db import models


class PlanStatus(models.TextChoices):
    """抽查计划状态: 草稿 → 已承诺（名单冻结、承诺值写入全过程记录）→ 已抽取. The randomness is fixed
    while the plan is committed; a plan is drawn once only."""

    DRAFT = "draft", "草稿"
    COMMITTED = "committed", "已承诺"
    DRAWN = "drawn", "已抽取"


class TaskResult(models.TextChoices):
    """检查结果 (国发〔2019〕5号: results of random inspections are published)."""

    PENDING = "", "待检查"
    NO_PROBLEM = "no_problem", "未发现问题"
    CORRECTED = "corrected", "发现问题已责令改正"
    CASE_OPENED = "case_opened", "发现问题转立案"
    NOT_FOUND = "not_found", "未找到检查对象"
    REFUSED = "refused", "不配合检查"


class ExclusionReason(models.TextChoices):
    """回避原因; the codes are those of the draw file (sanxiang.inspections.draw.REASONS)."""

    RECENT_INSPECTION = "recent_inspection", "计划规定的期限内检查过该对象"
    RELATIONSHIP = "relationship", "与检查对象有申报的利害关系（行政处罚法第四十三条）"
    DECLARED_CONFLICT = "declared_conflict", "检查对象在本人申报的回避名单中（行政处罚法第四十三条）"
