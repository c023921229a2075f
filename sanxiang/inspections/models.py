"""双随机、一公开: 抽查计划, its frozen draw inputs and randomness, 回避 records and inspection tasks.

A plan's draw is verifiable by anyone (sanxiang.inspections.draw, docs/draw-format.md): the
inputs frozen at commitment (``inputs``), the commitment recorded in the ledger, the randomness
(a ledger checkpoint cosigned by the 司法局 after the commitment, optionally with a beacon) and the
seed are stored as published. Rows change only through sanxiang.inspections.services.
"""

from django.core.validators import MinValueValidator
from django.db import models

from sanxiang.accounts.models import Agency, User
from sanxiang.evidence.choices import MediaKind
from sanxiang.inspections.choices import ExclusionReason, PlanStatus, TaskResult
from sanxiang.registry.models import InspectionTarget, Officer, RandomInspectionItem


class Plan(models.Model):
    """抽查计划: which item, over which part of the target pool, how many, by whom, when."""

    agency = models.ForeignKey(Agency, verbose_name="牵头执法主体", on_delete=models.PROTECT,
                               related_name="inspection_plans", help_text="制定并组织实施本计划的执法主体。")
    joint_agencies = models.ManyToManyField(
        Agency, verbose_name="联合抽查部门", blank=True, related_name="joint_inspection_plans",
        help_text="跨部门联合抽查时参加的其他执法主体；其检查对象和执法人员一并纳入名单。")
    item = models.ForeignKey(RandomInspectionItem, verbose_name="抽查事项", on_delete=models.PROTECT,
                             related_name="plans", help_text="随机抽查事项清单中的事项（一单）。")
    title = models.CharField("计划名称", max_length=200, help_text="如“2026年第一季度食品经营者双随机抽查”。")
    target_filter = models.JSONField(
        "检查对象筛选条件", default=dict, blank=True,
        help_text="对检查对象库的筛选，键为 kind（对象类型）、industry（行业）、region（区划代码，含下级）、"
                  "risk_level（风险等级），值为可选值列表；空表示不限。")
    strata = models.JSONField(
        "分层抽查比例", default=list,
        help_text="按风险等级分层：每层 {key: 风险等级, label: 名称, percent: 比例 或 count: 数量}；"
                  "未列出的风险等级不抽。")
    inspectors_per_target = models.PositiveSmallIntegerField(
        "每个对象的检查人员数", default=2, validators=[MinValueValidator(2)],
        help_text="不少于 2 人（行政处罚法第四十二条：执法人员不得少于两人）。")
    conflict_days = models.PositiveIntegerField(
        "回避期限（天）", default=365,
        help_text="执法人员在此期限内检查过的对象不再派其检查（回避，行政处罚法第四十三条）。")
    period_start = models.DateField("检查开始日期", help_text="检查期间的第一天；检查人员的执法证须在整个期间有效。")
    period_end = models.DateField("检查结束日期", help_text="检查期间的最后一天。")
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(User, verbose_name="制定人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    inputs = models.JSONField("抽取输入", null=True, blank=True,
                              help_text="承诺时冻结的抽取输入（计划、各层对象名单、人员名单、回避记录），原样公布。")
    commitment = models.CharField("承诺值", max_length=64, blank=True,
                                  help_text="抽取输入的 SHA-256 承诺值，承诺时写入全过程记录（files）。")
    committed_at = models.DateTimeField("承诺时间", null=True, blank=True)
    checkpoint_size = models.PositiveBigIntegerField(
        "随机数检查点树大小", null=True, blank=True,
        help_text="承诺之后经司法局见证签署的全过程记录检查点的树大小。")
    checkpoint_root = models.CharField("随机数检查点根哈希", max_length=64, blank=True,
                                       help_text="该检查点的根哈希（十六进制），即随机数。")
    beacon = models.CharField("公共信标值", max_length=200, blank=True,
                              help_text="司法局录入的公共信标值（可选），与根哈希一起构成随机数。")
    randomness_fixed_by = models.ForeignKey(User, verbose_name="随机数确定人", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    randomness_fixed_at = models.DateTimeField("随机数确定时间", null=True, blank=True)
    seed = models.CharField("种子", max_length=64, blank=True, help_text="由承诺值和随机数导出的抽取种子。")
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    result = models.JSONField("抽取结果", null=True, blank=True,
                              help_text="抽取时得出的结果（各层抽中对象及其检查人员、人员不足记录），原样公布。")

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_randomness(self) -> bool:
        return bool(self.checkpoint_root)

    def randomness(self) -> dict:
        from sanxiang.inspections.draw import randomness_object

        return randomness_object(self.checkpoint_root, self.checkpoint_size or 0, self.beacon or None)


class Exclusion(models.Model):
    """回避记录: an inspector excluded for a target, with the reason (行政处罚法第四十三条)."""

    plan = models.ForeignKey(Plan, verbose_name="抽查计划", on_delete=models.CASCADE, related_name="exclusions")
    target = models.ForeignKey(InspectionTarget, verbose_name="检查对象", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("回避原因", max_length=20, choices=ExclusionReason.choices)
    detail = models.CharField("说明", max_length=300, blank=True, help_text="如申报的关系、上次检查的计划。")

    class Meta:
        verbose_name = "回避记录"
        verbose_name_plural = "回避记录"
        ordering = ["plan_id", "target_id", "officer_id", "reason"]

    def __str__(self) -> str:
        return f"{self.officer.name} 回避 {self.target.name}（{self.get_reason_display()}）"


class AvoidanceEntry(models.Model):
    """执法人员本人申报的回避名单中的一项: a target the officer declares they must not inspect."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="avoidances")
    target = models.ForeignKey(InspectionTarget, verbose_name="检查对象", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("申报理由", max_length=200, help_text="如“曾在该企业任职”。")

    class Meta:
        verbose_name = "回避名单"
        verbose_name_plural = "回避名单"
        constraints = [models.UniqueConstraint(fields=["officer", "target"], name="inspections_avoid_unique")]

    def __str__(self) -> str:
        return f"{self.officer.name}—{self.target.name}"


class Task(models.Model):
    """检查任务: one drawn target and the inspectors drawn for it, then the result."""

    plan = models.ForeignKey(Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="tasks")
    target = models.ForeignKey(InspectionTarget, verbose_name="检查对象", on_delete=models.PROTECT,
                               related_name="inspection_tasks")
    stratum = models.CharField("抽查层", max_length=20, help_text="抽中该对象的抽查层（风险等级）。")
    sequence = models.PositiveIntegerField("抽取顺序", help_text="在全部抽中对象中的顺序（从 1 起）。")
    inspectors = models.ManyToManyField(Officer, verbose_name="检查人员", related_name="inspection_tasks",
                                        help_text="随机派出的检查人员。")
    result = models.CharField("检查结果", max_length=20, choices=TaskResult.choices, blank=True,
                              default=TaskResult.PENDING)
    result_note = models.TextField("结果说明", blank=True, help_text="检查发现的情况、责令改正的内容等。")
    recorded_on = models.DateField("结果登记日期", null=True, blank=True,
                                   help_text="结果应在 20 个工作日内公示（国发〔2019〕5号）。")
    recorded_by = models.ForeignKey(User, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name="转立案案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspection_tasks",
                             help_text="结果为“发现问题转立案”时登记的案件。")
    publication = models.ForeignKey("disclosure.Publication", verbose_name="结果公示", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    help_text="公示流程中的结果公示稿。")
    recording_missing_reason = models.TextField(
        "未能音像记录的理由", blank=True,
        help_text="音像记录事项清单要求记录而未能记录时，登记结果须说明理由（设备故障等），记入全过程记录。")

    class Meta:
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"
        ordering = ["plan_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "target"], name="inspections_task_unique")]

    def __str__(self) -> str:
        return f"{self.plan.title}：{self.target.name}"


class TaskRecording(models.Model):
    """检查音像记录: an audio, video or photo record of a task's on-site inspection (音像记录事项清单:
    随机抽查), stored like evidence — content-addressed and read-only in the evidence store, its
    hash in the ledger entry that records the upload. When the result is 发现问题转立案 the case
    page links back to the task and its records."""

    task = models.ForeignKey(Task, verbose_name="检查任务", on_delete=models.PROTECT, related_name="recordings")
    media_kind = models.CharField("类型", max_length=10, choices=MediaKind.choices)
    recorded_at = models.DateTimeField("记录时间")
    place = models.CharField("记录地点", max_length=200)
    recorder = models.ForeignKey(Officer, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    device = models.CharField("记录设备", max_length=100, blank=True, help_text="如执法记录仪编号。")
    original_name = models.CharField("原文件名", max_length=255)
    mime = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    sm3 = models.CharField("SM3", max_length=64, blank=True)
    storage = models.CharField("存储", max_length=10, default="local")
    metadata = models.JSONField("文件元数据", default=dict, blank=True)
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查音像记录"
        verbose_name_plural = "检查音像记录"
        ordering = ["task_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_media_kind_display()}：{self.original_name}"
