"""行政执法公示: the publication pipeline (internal) and the published read model (public).

Internal rows (:class:`DisclosureSettings`, :class:`Publication`, :class:`ErrorReport`) are what
publishers work on. The portal reads only the ``Public*`` tables, which the services fill with the
fields that may be public — already de-identified — so no query the portal makes can reach an
unpublished field. A ``Public*`` row is never the source of truth: it is rebuilt from the internal
rows by the services.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from sanxiang.accounts.models import Agency
from sanxiang.cases.models import Case
from sanxiang.disclosure.choices import Category, Profile, PublicationStatus, ReportStatus, WithdrawalKind
from sanxiang.registry.models import EnforcementItem


class DisclosureSettings(models.Model):
    """An agency's publication profile and the categories it publishes without a publisher's check."""

    agency = models.OneToOneField(Agency, verbose_name="执法主体", on_delete=models.CASCADE,
                                  related_name="disclosure_settings")
    profile = models.CharField("公示规则", max_length=20, choices=Profile.choices, default=Profile.NATIONAL)
    auto_approve = models.JSONField("自动公示的类别", default=list, blank=True,
                                    help_text="这些类别的公示稿去标识化后不经人工审核直接公示。")

    class Meta:
        verbose_name = "公示设置"
        verbose_name_plural = "公示设置"

    def __str__(self) -> str:
        return f"{self.agency}：{self.get_profile_display()}"


class Publication(models.Model):
    """One item on its way to the portal: the draft, its de-identification, approval, publication,
    withdrawal and expiry. ``original`` keeps the standard fields as the case had them (internal);
    ``redacted`` what will be or was published; ``replacements`` the de-identification, per field,
    as the publisher left it."""

    public_id = models.UUIDField("公开标识", default=uuid.uuid4, unique=True, editable=False,
                                 help_text="门户和开放数据中使用的稳定标识。")
    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="publications")
    case = models.ForeignKey(Case, verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="publications")
    source = models.CharField("来源", max_length=40, blank=True,
                              help_text="非案件来源的标识，如随机抽查任务“inspection_task:<id>”。")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    status = models.CharField("状态", max_length=20, choices=PublicationStatus.choices,
                              default=PublicationStatus.DRAFT, db_index=True)
    decided_on = models.DateField("决定日期", help_text="时限自此起算。")
    due_on = models.DateField("公示期限", db_index=True, help_text="按本机关公示规则计算的最迟公示日期。")
    original = models.JSONField("原始字段", default=dict, help_text="案件中的原文（内部，不公开）。")
    redacted = models.JSONField("公示字段", default=dict, help_text="去标识化后拟公示或已公示的内容。")
    replacements = models.JSONField("去标识化替换", default=dict, blank=True,
                                    help_text="每个字段的替换列表（发布人可增删）。")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    expires_on = models.DateField("公示期满日期", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    withdrawal_kind = models.CharField("撤下原因类别", max_length=20, choices=WithdrawalKind.choices, blank=True)
    withdrawal_reason = models.CharField("撤下理由", max_length=500, blank=True)
    not_published_reason = models.CharField("不予公示的依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "公示事项"
        verbose_name_plural = "公示事项"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.redacted.get('document_number') or self.public_id}"


class PublicEntry(models.Model):
    """事后公开 as the public sees it: only fields that may be published, already de-identified.

    A withdrawn entry keeps its address and shows the withdrawal notice (HTTP 410 in the API); an
    expired one leaves the portal's lists and search but stays in the archive (``status``).
    ``sequence`` grows with every change, for the open-data change feed (``since=``).
    """

    public_id = models.UUIDField("公开标识", unique=True)
    sequence = models.PositiveBigIntegerField("变更序号", unique=True, help_text="每次公示、撤下、到期时递增。")
    status = models.CharField("状态", max_length=20, choices=PublicationStatus.choices, db_index=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices, db_index=True)
    agency_id_public = models.PositiveIntegerField("执法主体编号", db_index=True)
    agency_name = models.CharField("执法主体", max_length=200)
    document_number = models.CharField("文书号", max_length=100, blank=True)
    title = models.CharField("标题", max_length=300)
    party_name = models.CharField("当事人", max_length=200, help_text="自然人已去标识化（如“张某”）。")
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    facts = models.TextField("违法事实", blank=True)
    basis = models.TextField("依据", blank=True)
    content = models.TextField("决定内容", blank=True)
    outcome = models.CharField("结果", max_length=100, blank=True, help_text="如处罚种类、检查结果。")
    fine = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    decided_on = models.DateField("决定日期", db_index=True)
    published_at = models.DateTimeField("公示时间", db_index=True)
    expires_on = models.DateField("公示期满日期", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)
    withdrawal_notice = models.CharField("撤下说明", max_length=500, blank=True)
    ledger_index = models.PositiveBigIntegerField("公示记录序号", null=True, blank=True,
                                                  help_text="记录本次公示的全过程记录条目，可凭回执核验。")
    ledger_leaf = models.CharField("公示记录哈希", max_length=64, blank=True)
    search_text = models.TextField("检索文本", blank=True, help_text="分词后的全文，供全文检索。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公示信息（公开）"
        verbose_name_plural = "公示信息（公开）"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ErrorReport(models.Model):
    """纠错: a member of the public reports an error on a published entry; the publisher answers."""

    publication = models.ForeignKey(Publication, verbose_name="公示事项", on_delete=models.PROTECT,
                                    related_name="reports", help_text="公众在公示信息页面提交，按公开标识关联。")
    text = models.TextField("反映的问题")
    contact = models.CharField("联系方式（选填）", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "纠错"
        verbose_name_plural = "纠错"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.publication}：{self.get_status_display()}"


class PublicOfficer(models.Model):
    """人员清单 as published: what 事前公开 and credential verification show of an officer."""

    officer_id = models.PositiveIntegerField("人员编号", unique=True)
    name = models.CharField("姓名", max_length=50, db_index=True)
    agency_id_public = models.PositiveIntegerField("执法主体编号", db_index=True)
    agency_name = models.CharField("执法主体", max_length=200)
    position = models.CharField("职务", max_length=50, blank=True)
    certificate_number = models.CharField("执法证号", max_length=40, db_index=True)
    categories = models.JSONField("执法类别", default=list)
    issued_on = models.DateField("发证日期")
    expires_on = models.DateField("有效期至")
    status = models.CharField("证件状态", max_length=10)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法人员（公开）"
        verbose_name_plural = "执法人员（公开）"
        ordering = ["agency_name", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"


# ------------------------------------------------------------------ 事前公开: the portal's registries
#
# Filled by :mod:`sanxiang.disclosure.sync` from the registries (主体库·人员库·事项库·裁量基准·抽查事项)
# and from the publisher's service guides; only the columns below ever reach the portal.


class PublicAgency(models.Model):
    """执法主体 as published: name, powers and their legal basis, jurisdiction, address, phone."""

    agency_id_public = models.PositiveIntegerField("执法主体编号", unique=True, help_text="与内部主体编号一致。")
    name = models.CharField("机关名称", max_length=100)
    kind = models.CharField("主体性质", max_length=40, blank=True, help_text="中文名称，如“行政机关”。")
    legal_basis = models.TextField("职权依据", blank=True, help_text="设定执法职权的法律、法规、规章及三定方案。")
    jurisdiction_name = models.CharField("管辖区域", max_length=100, blank=True)
    jurisdiction_path = models.CharField("区划路径", max_length=255, blank=True,
                                         help_text="用于按行政区划排序。")
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True,
                             help_text="对外公布的联系电话，亦作投诉举报电话公布。")
    enforcement_kinds = models.JSONField("执法类别", default=list, blank=True, help_text="类别的中文名称列表。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法主体（公开）"
        verbose_name_plural = "执法主体（公开）"
        ordering = ["jurisdiction_path", "name"]

    def __str__(self) -> str:
        return self.name


class PublicItem(models.Model):
    """行政执法事项 as published (权责清单)."""

    item_id = models.PositiveIntegerField("事项编号", unique=True)
    agency_id_public = models.PositiveIntegerField("执法主体编号", db_index=True)
    agency_name = models.CharField("实施主体", max_length=100)
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("事项名称", max_length=200)
    kind = models.CharField("执法类别代码", max_length=12, db_index=True)
    kind_label = models.CharField("执法类别", max_length=20)
    basis = models.TextField("法律依据", blank=True, help_text="设定该事项的条款及依据说明。")
    description = models.TextField("事项描述", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "执法事项（公开）"
        verbose_name_plural = "执法事项（公开）"
        ordering = ["agency_id_public", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PublicInspectionItem(models.Model):
    """随机抽查事项清单 as published: subject, basis, target, content, ratio, method, frequency."""

    item_id = models.PositiveIntegerField("抽查事项编号", unique=True)
    agency_id_public = models.PositiveIntegerField("执法主体编号", db_index=True)
    agency_name = models.CharField("实施主体", max_length=100)
    name = models.CharField("抽查事项", max_length=200)
    basis = models.TextField("抽查依据")
    target_type = models.CharField("抽查对象", max_length=200)
    content = models.TextField("抽查内容")
    method = models.CharField("抽查方式", max_length=100)
    ratio = models.DecimalField("抽查比例（%）", max_digits=5, decimal_places=2)
    frequency = models.CharField("抽查频次", max_length=50)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "随机抽查事项（公开）"
        verbose_name_plural = "随机抽查事项（公开）"
        ordering = ["agency_id_public", "item_id"]

    def __str__(self) -> str:
        return self.name


class PublicBenchmark(models.Model):
    """裁量基准 as published (行政处罚法 art. 34: 裁量基准应当向社会公布)."""

    benchmark_id = models.PositiveIntegerField("裁量基准编号", unique=True)
    agency_id_public = models.PositiveIntegerField("执法主体编号", db_index=True)
    agency_name = models.CharField("制定机关", max_length=100)
    item_code = models.CharField("事项编码", max_length=40, blank=True)
    item_name = models.CharField("执法事项", max_length=200)
    violation = models.CharField("违法行为", max_length=300)
    circumstance = models.CharField("违法情节", max_length=10, help_text="中文名称，如“一般”。")
    sanction = models.TextField("处罚内容")
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    conditions = models.TextField("适用条件", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "裁量基准（公开）"
        verbose_name_plural = "裁量基准（公开）"
        ordering = ["agency_id_public", "item_code", "benchmark_id"]

    def __str__(self) -> str:
        return f"{self.violation}（{self.circumstance}）"


class GuideFields(models.Model):
    """The fields of a 行政执法服务指南 as the seeds list them (000/001/002: 事项名称、依据、受理机构、
    审批机构、许可条件、申请材料、办理流程、办理时限、收费、监督方式、责任追究、救济渠道、办公时间、
    办公地址、办公电话)."""

    name = models.CharField("事项名称", max_length=200)
    basis = models.TextField("办理依据", help_text="法律、法规、规章条款。")
    accepting_office = models.CharField("受理机构", max_length=200)
    approving_office = models.CharField("审批机构", max_length=200, blank=True)
    conditions = models.TextField("许可（办理）条件", blank=True)
    materials = models.TextField("申请材料", blank=True, help_text="每行一项。")
    process = models.TextField("办理流程", blank=True, help_text="每行一个环节。")
    time_limit = models.CharField("办理时限", max_length=200, blank=True, help_text="如“20个工作日”。")
    fees = models.CharField("收费标准", max_length=300, blank=True, help_text="不收费的写“不收费”。")
    supervision = models.TextField("监督方式", blank=True, help_text="监督投诉电话、信箱等。")
    accountability = models.TextField("责任追究", blank=True)
    remedies = models.TextField("救济渠道", blank=True, help_text="行政复议、行政诉讼的机关与期限。")
    hours = models.CharField("办公时间", max_length=200, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("办公电话", max_length=50, blank=True)

    class Meta:
        abstract = True


class ServiceGuide(GuideFields):
    """服务指南 (internal): written and kept by the agency's publisher; its published copy is
    :class:`PublicServiceGuide`, rebuilt on every save."""

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT,
                               related_name="service_guides")
    item = models.ForeignKey(EnforcementItem, verbose_name="对应执法事项", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="service_guides",
                             help_text="本机关权责清单中的事项（可选）。")
    is_public = models.BooleanField("对外公开", default=True, help_text="取消勾选后指南从门户撤下。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "服务指南"
        verbose_name_plural = "服务指南"
        ordering = ["agency_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class PublicServiceGuide(GuideFields):
    """服务指南 as published on the portal."""

    guide_id = models.PositiveIntegerField("指南编号", unique=True)
    agency_id_public = models.PositiveIntegerField("执法主体编号", db_index=True)
    agency_name = models.CharField("执法主体", max_length=100)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "服务指南（公开）"
        verbose_name_plural = "服务指南（公开）"
        ordering = ["agency_id_public", "name", "guide_id"]

    def __str__(self) -> str:
        return self.name
