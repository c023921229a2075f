"""Cases (执法案件) and what belongs to them: parties, handling officers, pauses, documents;
per-agency settings (numbering rule, stricter legal rules) and the holiday schedules an
administrator enters for years the calendar package does not know.

State changes go through :mod:`sanxiang.cases.services` only; each writes the ledger.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from sanxiang.accounts.models import Agency, User
from sanxiang.accounts.validators import validate_id_number, validate_phone, validate_uscc
from sanxiang.cases.choices import (
    CaseSource,
    CaseState,
    DecisionType,
    DocumentKind,
    HandlerRole,
    PartyKind,
    PauseKind,
    Procedure,
    RecusalStatus,
    ServiceMethod,
)
from sanxiang.cases.rules import DEFAULT_RULES
from sanxiang.registry.models import Article, DiscretionBenchmark, EnforcementItem, Officer

DEFAULT_CASE_PATTERN = "{机关简称}{类别简称}〔{年}〕{序号}号"
DEFAULT_DOCUMENT_PATTERN = "{机关简称}{文书简称}〔{年}〕{序号}号"


class CaseSettings(models.Model):
    """An agency's unified numbering rule (统一案件编号规则) for cases and documents."""

    agency = models.OneToOneField(Agency, verbose_name="执法主体", on_delete=models.CASCADE,
                                  related_name="case_settings")
    case_number_pattern = models.CharField(
        "案件编号规则", max_length=100, default=DEFAULT_CASE_PATTERN,
        help_text="可用占位符：{机关简称}{类别简称}{年}{序号}；{序号:4} 表示补零到4位。序号按机关、类别、年度连续编号。",
    )
    document_number_pattern = models.CharField(
        "文书编号规则", max_length=100, default=DEFAULT_DOCUMENT_PATTERN,
        help_text="可用占位符：{机关简称}{文书简称}{年}{序号}；序号按机关、文书种类、年度连续编号。",
    )
    category_short_names = models.JSONField(
        "类别简称", default=dict, blank=True,
        help_text="案件类别代码到简称的对照，如 {\"penalty\": \"罚\"}；未设置的使用平台默认值。",
    )

    class Meta:
        verbose_name = "案件编号规则"
        verbose_name_plural = "案件编号规则"

    def __str__(self) -> str:
        return f"{self.agency}的编号规则"


class AgencyRule(models.Model):
    """A stricter value an agency set for one rule of :mod:`sanxiang.cases.rules`."""

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.CASCADE, related_name="case_rules")
    code = models.CharField("规则", max_length=40, choices=[(r.code, r.label) for r in DEFAULT_RULES.values()])
    value = models.PositiveIntegerField("数值", help_text="只能比法定默认值更严格（更短的期限、更低的金额）。")
    note = models.CharField("依据或说明", max_length=300, blank=True, help_text="本机关设定该值的依据。")

    class Meta:
        verbose_name = "办案规则"
        verbose_name_plural = "办案规则"
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unique_agency_rule")]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_code_display()}={self.value}"


class HolidaySchedule(models.Model):
    """One year's State Council holiday schedule, entered by an administrator when the calendar
    package does not know the year yet (it knows 2004–2026). Entering it recomputes deadlines."""

    year = models.PositiveIntegerField("年份", unique=True, validators=[MinValueValidator(2000)])
    holidays = models.JSONField("放假日期", default=list, help_text="法定节假日及调休放假的日期（ISO 格式列表）。")
    workdays = models.JSONField("调休上班日期", default=list, blank=True,
                                help_text="周末调为工作日的日期（ISO 格式列表）。")
    source = models.CharField("来源", max_length=200, blank=True,
                              help_text="如“国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕X号）”。")
    entered_by = models.ForeignKey(User, verbose_name="录入人", null=True, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class NumberSequence(models.Model):
    """The last number given per agency, series (case category or document kind) and year.

    A number is claimed with one UPDATE … RETURNING inside the transaction that uses it, so a
    rolled-back filing gives its number back and concurrent filings queue on the row lock: no
    gaps, no duplicates.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    series = models.CharField("序列", max_length=40)
    year = models.PositiveIntegerField("年度")
    last = models.PositiveIntegerField("已用到的序号", default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"
        constraints = [models.UniqueConstraint(fields=["agency", "series", "year"], name="unique_number_series")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"


class Case(models.Model):
    """执法案件: one matter from the clue to the archive."""

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases")
    case_number = models.CharField("案号", max_length=100, blank=True, db_index=True,
                                   help_text="立案（或当场处罚）时按本机关编号规则生成；线索阶段为空。")
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices, default=Procedure.NORMAL)
    state = models.CharField("办理环节", max_length=20, choices=CaseState.choices, default=CaseState.CLUE,
                             db_index=True)
    title = models.CharField("案由", max_length=200, help_text="如“某公司销售过期食品案”。")
    source = models.CharField("案件来源", max_length=20, choices=CaseSource.choices)
    source_note = models.CharField("来源说明", max_length=300, blank=True, help_text="如举报编号、交办文号、移送单位。")
    item = models.ForeignKey(EnforcementItem, verbose_name="执法事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases")
    received_on = models.DateField("线索登记日期", help_text="发现或收到案件线索的日期。")
    filed_on = models.DateField("立案日期", null=True, blank=True,
                                help_text="批准立案之日；九十日办案期限自此起算（行政处罚法第六十条）。")
    facts = models.TextField("违法事实", blank=True, help_text="调查查明的事实，以及证明事实的证据。")

    # 拟处理意见 (proposal) and 决定 (final decision): type, penalties, amounts, basis, benchmark.
    proposed_type = models.CharField("拟处理意见", max_length=20, choices=DecisionType.choices, blank=True)
    proposed_penalties = models.JSONField("拟处罚种类", default=list, blank=True,
                                          help_text="行政处罚法第九条所列种类的代码列表。")
    proposed_fine = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    proposed_confiscation = models.DecimalField("拟没收金额（元）", max_digits=14, decimal_places=2, null=True,
                                                blank=True, validators=[MinValueValidator(0)])
    proposal_text = models.TextField("拟处理意见说明", blank=True)
    proposed_basis = models.ManyToManyField(Article, verbose_name="拟适用依据", blank=True, related_name="+")
    benchmark = models.ForeignKey(DiscretionBenchmark, verbose_name="适用的裁量基准", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases")
    decision_type = models.CharField("决定", max_length=20, choices=DecisionType.choices, blank=True)
    decision_penalties = models.JSONField("处罚种类", default=list, blank=True)
    decision_fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    decision_confiscation = models.DecimalField("没收金额（元）", max_digits=14, decimal_places=2, null=True,
                                                blank=True, validators=[MinValueValidator(0)])
    decision_text = models.TextField("决定内容", blank=True)
    decision_basis = models.ManyToManyField(Article, verbose_name="决定依据", blank=True, related_name="+")
    decision_number = models.CharField("决定书文号", max_length=100, blank=True)

    # Steps, in the order they happen.
    is_major = models.BooleanField("重大执法决定", default=False,
                                   help_text="须经法制审核、集体讨论（行政处罚法第五十七条、第五十八条）。")
    major_reason = models.CharField("认定为重大的理由", max_length=300, blank=True)
    preserved_on = models.DateField("先行登记保存日期", null=True, blank=True,
                                    help_text="采取先行登记保存措施之日；应在七个工作日内作出处理决定（第五十六条）。")
    preservation_resolved_on = models.DateField("先行登记保存处理日期", null=True, blank=True)
    notice_served_on = models.DateField("事先告知送达日期", null=True, blank=True)
    statement_waived = models.BooleanField("当事人放弃陈述申辩和听证", default=False)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notified_on = models.DateField("听证通知送达日期", null=True, blank=True)
    hearing_date = models.DateField("听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_host = models.CharField("听证主持人", max_length=50, blank=True,
                                    help_text="由机关指定的非本案调查人员担任（行政处罚法第六十四条第四项）。")
    hearing_concluded_on = models.DateField("听证结束日期", null=True, blank=True)
    collective_minutes = models.TextField("集体讨论记录", blank=True)
    collective_concluded_on = models.DateField("集体讨论日期", null=True, blank=True)
    extension_days = models.PositiveIntegerField("已批准延长的天数", default=0)
    extension_reason = models.CharField("延长理由", max_length=300, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    served_on = models.DateField("决定书送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=20, choices=ServiceMethod.choices, blank=True)
    electronic_consent = models.BooleanField("当事人书面同意电子送达", default=False)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    execution_note = models.CharField("执行情况", max_length=300, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    ending_reason = models.TextField("终止理由", blank=True,
                                     help_text="不予立案、撤销立案、不予处罚或移送司法机关的理由。")

    # The next deadline, kept current by the service layer so lists can sort and filter by it.
    next_due_on = models.DateField("下一期限", null=True, blank=True, db_index=True)
    next_due_code = models.CharField("下一期限事项", max_length=40, blank=True)
    next_due_provisional = models.BooleanField("期限为暂定", default=False,
                                               help_text="期限跨越尚未录入节假日安排的年份，仅按周末计算。")

    created_by = models.ForeignKey(User, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法案件"
        verbose_name_plural = "执法案件"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "case_number"], condition=~models.Q(case_number=""),
                                    name="unique_case_number"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number or '（未立案）'} {self.title}"

    @property
    def legal_review_passed(self) -> bool:
        """Whether the current proposal passed legal review (see :mod:`sanxiang.review.gate`)."""
        from sanxiang.review.gate import passed_review

        return passed_review(self) is not None

    @property
    def category(self) -> str:
        """The numbering series: the item's enforcement kind, with the simple procedure apart."""
        kind = self.item.kind if self.item_id else "other"
        return f"{kind}_simple" if self.procedure == Procedure.SIMPLE else kind


class Party(models.Model):
    """当事人: a natural person, legal person or other organisation a case is against."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("当事人类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_id_number],
                                 help_text="自然人必填，18位，校验码按GB 11643核对。")
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc],
                            help_text="法人和其他组织必填。")
    legal_representative = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    address = models.CharField("住所（地址）", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone])

    class Meta:
        verbose_name = "当事人"
        verbose_name_plural = "当事人"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_natural_person(self) -> bool:
        return self.kind == PartyKind.NATURAL_PERSON

    @property
    def identifier(self) -> str:
        return self.id_number if self.is_natural_person else self.uscc

    def clean(self) -> None:
        if self.is_natural_person and not self.id_number:
            raise ValidationError({"id_number": "当事人为自然人的，须填写身份证号码"})
        if not self.is_natural_person and not self.uscc:
            raise ValidationError({"uscc": "当事人为法人或其他组织的，须填写统一社会信用代码"})
        if not self.is_natural_person and not self.legal_representative:
            raise ValidationError({"legal_representative": "须填写法定代表人或负责人"})


class CaseOfficer(models.Model):
    """A handling officer (承办人) of a case."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="handlers")
    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT, related_name="handled")
    role = models.CharField("分工", max_length=10, choices=HandlerRole.choices, default=HandlerRole.ASSISTANT)

    class Meta:
        verbose_name = "承办人"
        verbose_name_plural = "承办人"
        ordering = ["case_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="unique_case_officer")]

    def __str__(self) -> str:
        return f"{self.officer.name}（{self.get_role_display()}）"


class ConflictDeclaration(models.Model):
    """An officer's declared relationship with a person or organisation (行政处罚法 art. 43):
    the officer may not handle a case against them."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="conflicts")
    party_name = models.CharField("对方姓名或名称", max_length=200)
    party_identifier = models.CharField("对方身份证号码或统一社会信用代码", max_length=18, blank=True)
    relation = models.CharField("关系", max_length=100, help_text="如“近亲属”“曾任职”。")

    class Meta:
        verbose_name = "利害关系申报"
        verbose_name_plural = "利害关系申报"

    def __str__(self) -> str:
        return f"{self.officer.name}—{self.party_name}（{self.relation}）"


class Recusal(models.Model):
    """A 回避 application against a handling officer; the agency head decides (art. 43)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="recusals")
    officer = models.ForeignKey(Officer, verbose_name="申请回避的执法人员", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=10, choices=RecusalStatus.choices, default=RecusalStatus.PENDING)
    decided_by = models.ForeignKey(User, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decision_note = models.CharField("决定说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "回避申请"
        verbose_name_plural = "回避申请"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.officer.name}回避申请（{self.get_status_display()}）"


class Pause(models.Model):
    """A period that does not count toward the decision deadline (行政处罚法 art. 60)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("类型", max_length=20, choices=PauseKind.choices)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True, help_text="为空表示尚在暂停中。")
    reason = models.CharField("事由", max_length=300, blank=True)

    class Meta:
        verbose_name = "期限暂停"
        verbose_name_plural = "期限暂停"
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True)
                                   | models.Q(ended_on__gte=models.F("started_on")), name="pause_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on}—{self.ended_on or '至今'}"


class Document(models.Model):
    """执法文书: issued from a frozen snapshot of the case data, rendered to .docx and PDF, the
    files hashed into the ledger and signed with the agency's key."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书种类", max_length=30, choices=DocumentKind.choices)
    number = models.CharField("文号", max_length=100, blank=True)
    context = models.JSONField("文书数据", help_text="签发时冻结的案件数据；文书据此生成，不随案件后续修改而变化。")
    docx_file = models.CharField("Word 文件", max_length=255, blank=True)
    pdf_file = models.CharField("PDF 文件", max_length=255, blank=True)
    docx_sha256 = models.CharField("Word 文件 SHA-256", max_length=64, blank=True)
    pdf_sha256 = models.CharField("PDF 文件 SHA-256", max_length=64, blank=True)
    signature = models.TextField("PDF 签名", blank=True, help_text="机关密钥对 PDF 的分离签名（Base64）。")
    template_sha256 = models.CharField("所用模板 SHA-256", max_length=64, blank=True)
    key_name = models.CharField("签名密钥", max_length=200, blank=True)
    issued_by = models.ForeignKey(User, verbose_name="制作人", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("制作时间", auto_now_add=True)

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["case_id", "issued_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def rendered(self) -> bool:
        return bool(self.pdf_sha256)


class DocumentTemplate(models.Model):
    """A Word template (.docx, docxtpl syntax) an administrator uploaded for one document kind,
    replacing the platform's default for their agency. The newest upload is in force; earlier ones
    are kept, so every issued document can be traced to the template that made it."""

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.CASCADE,
                               related_name="document_templates")
    kind = models.CharField("文书种类", max_length=30, choices=DocumentKind.choices)
    file_name = models.CharField("模板文件", max_length=255, help_text="数据目录 templates/ 下的文件名。")
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(User, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["agency_id", "kind", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}模板（{self.original_name or self.file_name}）"
