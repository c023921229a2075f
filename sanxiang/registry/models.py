"""Master data: officers, enforcement items, laws and articles, discretion benchmarks,
inspection targets and random-inspection items. Each row belongs to an agency except laws,
which are shared by all (a law added by an agency remains editable by that agency only)."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from sanxiang.accounts.models import Agency, Jurisdiction, User
from sanxiang.accounts.validators import validate_uscc
from sanxiang.registry.choices import (
    EXPIRED_LABEL,
    Circumstance,
    CredentialStatus,
    EnforcementKind,
    JobStatus,
    LawLevel,
    LawStatus,
    RiskLevel,
    TargetKind,
)


class OfficerQuerySet(models.QuerySet["Officer"]):
    def enforceable(self, on: datetime.date | None = None) -> "OfficerQuerySet":
        """Officers who may be assigned to enforcement on ``on`` (行政处罚法 art. 42)."""
        on = on or timezone.localdate()
        return self.filter(status=CredentialStatus.VALID, issued_on__lte=on, expires_on__gte=on)


class Officer(models.Model):
    """执法人员 and the 执法证 they hold."""

    name = models.CharField("姓名", max_length=50, db_index=True, help_text="执法人员姓名。")
    agency = models.ForeignKey(Agency, verbose_name="所属执法主体", on_delete=models.PROTECT,
                               related_name="officers", help_text="持证人所在执法主体。")
    user = models.OneToOneField(User, verbose_name="登录账户", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="officer",
                                help_text="该执法人员使用的系统账户（如有）。")
    position = models.CharField("职务", max_length=50, blank=True, help_text="如“科员”“大队长”。")
    certificate_number = models.CharField(
        "执法证号", max_length=30, unique=True,
        help_text="行政执法证件编号，全国唯一。",
    )
    categories = models.JSONField("执法类别", default=list, blank=True,
                                  help_text="证件载明的执法类别代码列表。")
    issued_on = models.DateField("发证日期", help_text="证件签发日期。")
    expires_on = models.DateField("有效期至", help_text="证件有效期截止日；过期后不得从事执法活动。")
    status = models.CharField("证件状态", max_length=10, choices=CredentialStatus.choices,
                              default=CredentialStatus.VALID, help_text="有效、暂扣或注销；过期由有效期自动判断。")
    is_legal_reviewer = models.BooleanField("法制审核人员", default=False,
                                            help_text="是否为本机关法制审核人员（seed 003：不少于执法人员的5%）。")
    has_legal_qualification = models.BooleanField(
        "法律职业资格", default=False,
        help_text="是否取得国家统一法律职业资格；初次从事法制审核的人员须取得（行政处罚法第五十八条）。",
    )

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"
        ordering = ["agency_id", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return self.expires_on < (on or timezone.localdate())

    def can_enforce(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == CredentialStatus.VALID and self.issued_on <= on <= self.expires_on

    def status_label(self, on: datetime.date | None = None) -> str:
        if self.status == CredentialStatus.VALID and self.is_expired(on):
            return EXPIRED_LABEL
        return str(self.get_status_display())

    def category_labels(self) -> list[str]:
        labels = dict(EnforcementKind.choices)
        return [str(labels.get(k, k)) for k in self.categories]


class Law(models.Model):
    """法律法规: a law, regulation, rule or normative document."""

    title = models.CharField("名称", max_length=200, db_index=True, help_text="法规全称。")
    level = models.CharField("效力级别", max_length=20, choices=LawLevel.choices)
    issuing_body = models.CharField("制定机关", max_length=100, blank=True)
    promulgated_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    status = models.CharField("时效性", max_length=10, choices=LawStatus.choices, default=LawStatus.IN_FORCE)
    agency = models.ForeignKey(
        Agency, verbose_name="录入机关", null=True, blank=True, on_delete=models.PROTECT,
        related_name="laws", help_text="录入该法规的机关；为空表示随平台发布的全国性法规，只能通过命令更新。",
    )
    preamble = models.TextField("题注", blank=True, help_text="通过和修正的记载。")

    class Meta:
        verbose_name = "法律法规"
        verbose_name_plural = "法律法规"
        ordering = ["title", "-promulgated_on"]
        constraints = [
            models.UniqueConstraint(fields=["title", "promulgated_on"], name="unique_law_version")
        ]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    """条款: one numbered article of a law."""

    law = models.ForeignKey(Law, verbose_name="法规", on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveIntegerField("条号", help_text="阿拉伯数字条号，如 60。")
    label = models.CharField("条标", max_length=20, help_text="原文条标，如“第六十条”。")
    chapter = models.CharField("所在章节", max_length=200, blank=True, help_text="如“第五章 行政处罚的决定 · 第三节 普通程序”。")
    text = models.TextField("条文", help_text="本条全文，款与款之间以换行分隔。")

    class Meta:
        verbose_name = "条款"
        verbose_name_plural = "条款"
        ordering = ["law_id", "number"]
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="unique_article_number")]

    def __str__(self) -> str:
        return f"《{self.law.title}》{self.label}"


class EnforcementItem(models.Model):
    """行政执法事项: one power an agency exercises."""

    agency = models.ForeignKey(Agency, verbose_name="实施主体", on_delete=models.PROTECT, related_name="items")
    code = models.CharField("事项编码", max_length=40, help_text="本机关权责清单中的编码，机关内唯一。")
    name = models.CharField("事项名称", max_length=200, db_index=True)
    kind = models.CharField("执法类别", max_length=12, choices=EnforcementKind.choices)
    legal_basis = models.ManyToManyField(Article, verbose_name="法律依据", blank=True, related_name="items",
                                         help_text="设定该事项的法律条款。")
    basis_text = models.TextField("依据说明", blank=True, help_text="依据的文字表述，如条款未入库时使用。")
    description = models.TextField("事项描述", blank=True)

    class Meta:
        verbose_name = "行政执法事项"
        verbose_name_plural = "行政执法事项"
        ordering = ["agency_id", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unique_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DiscretionBenchmark(models.Model):
    """裁量基准: the sanction an agency applies to a violation in a given circumstance."""

    agency = models.ForeignKey(Agency, verbose_name="制定机关", on_delete=models.PROTECT, related_name="benchmarks")
    item = models.ForeignKey(EnforcementItem, verbose_name="执法事项", on_delete=models.PROTECT,
                             related_name="benchmarks")
    violation = models.CharField("违法行为", max_length=300)
    circumstance = models.CharField("违法情节", max_length=10, choices=Circumstance.choices)
    sanction = models.TextField("处罚内容", help_text="裁量结果，如“警告，并处五千元以上一万元以下罚款”。")
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("0"))])
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                   validators=[MinValueValidator(Decimal("0"))])
    conditions = models.TextField("适用条件", blank=True, help_text="适用该档次的具体情形。")

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"
        ordering = ["agency_id", "item_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fine_min__isnull=True) | models.Q(fine_max__isnull=True)
                | models.Q(fine_min__lte=models.F("fine_max")),
                name="benchmark_fine_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.violation}（{self.get_circumstance_display()}）"


class InspectionTarget(models.Model):
    """检查对象: a company, individual business, organisation or person in the target pool."""

    agency = models.ForeignKey(Agency, verbose_name="所属执法主体", on_delete=models.PROTECT,
                               related_name="targets", help_text="维护该检查对象的执法主体。")
    name = models.CharField("名称", max_length=200, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc],
                            help_text="自然人可为空。")
    kind = models.CharField("对象类型", max_length=20, choices=TargetKind.choices)
    industry = models.CharField("行业", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    region = models.ForeignKey(Jurisdiction, verbose_name="所在区域", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="targets")
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象"
        ordering = ["agency_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "uscc"], condition=~models.Q(uscc=""),
                                    name="unique_target_uscc_per_agency")
        ]

    def __str__(self) -> str:
        return self.name


class RandomInspectionItem(models.Model):
    """随机抽查事项: an entry of the 随机抽查事项清单 (the “一单” of 一单两库)."""

    agency = models.ForeignKey(Agency, verbose_name="实施主体", on_delete=models.PROTECT,
                               related_name="random_items")
    item = models.ForeignKey(EnforcementItem, verbose_name="对应执法事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="random_items")
    name = models.CharField("抽查事项", max_length=200)
    basis = models.TextField("抽查依据")
    target_type = models.CharField("抽查对象", max_length=200)
    content = models.TextField("抽查内容")
    method = models.CharField("抽查方式", max_length=100, help_text="如“现场检查”“书面检查”。")
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    frequency = models.CharField("抽查频次", max_length=50, help_text="如“每年1次”。")

    class Meta:
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项"
        ordering = ["agency_id", "id"]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """An Excel import or export run by the task worker; the page polls its progress."""

    registry = models.CharField("基础库", max_length=40)
    direction = models.CharField("方向", max_length=10, choices=[("import", "导入"), ("export", "导出")])
    agency = models.ForeignKey(Agency, verbose_name="机关", on_delete=models.PROTECT, related_name="jobs")
    user = models.ForeignKey(User, verbose_name="发起人", on_delete=models.PROTECT, related_name="jobs")
    file_name = models.CharField("文件", max_length=255, help_text="数据目录 jobs/ 下的文件名。")
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    errors = models.JSONField("错误报告", default=list, blank=True,
                              help_text="每项含 sheet、row、column、reason。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入导出任务"
        verbose_name_plural = "导入导出任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.registry} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
