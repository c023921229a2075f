"""重大执法决定法制审核: the catalog that says which decisions are major, and the review of them.

A :class:`LegalReview` is one submission (送审) of a case's proposal. It keeps a copy of what was
submitted — the proposal's columns and the hearing's end date — and the gate (:mod:`.gate`, in the
service layer and in database triggers) opens only for a passed review whose copy equals the case
as it is now: change the proposal, or hold a hearing, and a new review is needed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from sanxiang.accounts.models import Agency
from sanxiang.cases.models import Case, Document
from sanxiang.review.choices import CollectiveConclusion, Outcome, ReviewStatus, RuleKind


class ReviewSettings(models.Model):
    """An agency's choices for the legal review beyond the catalog rules."""

    agency = models.OneToOneField(Agency, verbose_name="执法主体", on_delete=models.CASCADE,
                                  related_name="review_settings")
    full_coverage = models.BooleanField(
        "全覆盖审核", default=False,
        help_text="开启后，除简易程序外的所有处罚决定均须经法制审核（多地“三项制度”实施方案鼓励的做法）。")

    class Meta:
        verbose_name = "法制审核设置"
        verbose_name_plural = "法制审核设置"

    def __str__(self) -> str:
        return f"{self.agency}：{'全覆盖' if self.full_coverage else '按目录'}"


class CatalogRule(models.Model):
    """One line of an agency's 重大执法决定法制审核目录清单.

    An agency without rows uses the defaults of :mod:`sanxiang.review.catalog`; its first change
    copies them. Rules from the law (``mandatory``) may be made stricter but not switched off.
    """

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.CASCADE,
                               related_name="review_catalog")
    code = models.SlugField("代码", max_length=40)
    label = models.CharField("审核事项", max_length=200, help_text="在目录清单和公示页上显示的说法。")
    kind = models.CharField("判断依据", max_length=30, choices=RuleKind.choices)
    amount = models.DecimalField("数额标准（元）", max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)], help_text="数额类规则：达到此数额即属重大。")
    values = models.JSONField("取值", default=list, blank=True,
                              help_text="处罚种类、执法类别或执法事项编码的列表（按判断依据）。")
    source = models.CharField("依据", max_length=300, help_text="法律条款或本机关规定。")
    mandatory = models.BooleanField("法定事项", default=False, help_text="法律规定必须审核的事项，不能停用。")
    enabled = models.BooleanField("启用", default=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "法制审核目录事项"
        verbose_name_plural = "法制审核目录清单"
        ordering = ["agency_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unique_catalog_rule")]

    def __str__(self) -> str:
        return self.label


class LegalReview(models.Model):
    """法制审核: one submission of a case's proposal, its review and what followed."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="legal_reviews")
    version = models.PositiveIntegerField("送审次序", help_text="本案第几次送审，从1起。")
    status = models.CharField("审核状态", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING,
                              db_index=True)
    return_state = models.CharField("审核后回到的环节", max_length=20,
                                    help_text="送审时案件所处的环节（案件审查或待决定），审核结束后回到该环节。")

    # What was submitted: the proposal as it stood. The gate compares these with the case.
    proposed_type = models.CharField("拟处理意见", max_length=20, blank=True)
    proposed_penalties = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    proposed_confiscation = models.DecimalField("拟没收金额（元）", max_digits=14, decimal_places=2, null=True,
                                                blank=True)
    hearing_concluded_on = models.DateField("送审时的听证结束日期", null=True, blank=True,
                                            help_text="听证在审核之后结束的，须重新审核（行政处罚法第五十八条第一款第三项）。")
    proposal_text = models.TextField("拟处理意见说明", blank=True)
    proposed_basis = models.JSONField("拟适用依据", default=list, blank=True, help_text="条款的引用文字列表。")
    benchmark = models.CharField("适用的裁量基准", max_length=300, blank=True)
    facts = models.TextField("违法事实", blank=True)
    major_rules = models.JSONField("命中的目录事项", default=list, blank=True,
                                   help_text="送审时命中的目录事项代码；为空表示依认定理由或全覆盖送审。")
    materials = models.JSONField("送审材料", default=dict, blank=True,
                                 help_text="送审材料清单：每项的说明文字及是否齐备。")

    # Who and when: 承办机构对送审材料负责，审核人员对审核意见负责，机关负责人对决定负责。
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT,
                                     related_name="+")
    submitted_on = models.DateField("送审日期")
    submitted_at = models.DateTimeField("送审时间", auto_now_add=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="法制审核人员", on_delete=models.PROTECT,
                                 related_name="legal_reviews")
    due_on = models.DateField("审核期限", db_index=True)
    extension_reason = models.CharField("延长审核期限的理由", max_length=300, blank=True)
    finished_on = models.DateField("审核完成日期", null=True, blank=True)

    # Disagreement → consultation → 集体讨论.
    objection = models.TextField("承办机构的书面异议", blank=True)
    objected_on = models.DateField("提出异议日期", null=True, blank=True)
    consultation_record = models.TextField("协商记录", blank=True)
    consulted_on = models.DateField("协商日期", null=True, blank=True)
    collective_minutes = models.TextField("集体讨论记录", blank=True)
    collective_members = models.CharField("参加集体讨论人员", max_length=300, blank=True)
    collective_conclusion = models.CharField("集体讨论结论", max_length=20, choices=CollectiveConclusion.choices,
                                             blank=True)
    collective_on = models.DateField("集体讨论日期", null=True, blank=True)
    collective_chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="主持人（机关负责人）", null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"
        ordering = ["case_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="unique_review_version")]
        indexes = [models.Index(fields=["case", "status"], name="review_case_status")]

    def __str__(self) -> str:
        return f"{self.case} 第{self.version}次送审（{self.get_status_display()}）"

    @property
    def agency(self) -> Agency:
        return self.case.agency


class Opinion(models.Model):
    """审核意见: the reviewer's written opinion on one submission, point by point."""

    review = models.ForeignKey(LegalReview, verbose_name="法制审核", on_delete=models.PROTECT,
                               related_name="opinions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.PROTECT,
                                 related_name="+")
    outcome = models.CharField("审核结论", max_length=20, choices=Outcome.choices)
    findings = models.JSONField("逐项审核意见", default=dict,
                                help_text="审核要点代码 → {finding: ok/problem/na, note: 说明}。")
    problems = models.TextField("存在的问题", blank=True)
    suggestions = models.TextField("审核建议", blank=True)
    text = models.TextField("审核意见", help_text="写入《法制审核意见书》的意见正文。")
    given_on = models.DateField("审核日期")
    given_at = models.DateTimeField("记录时间", auto_now_add=True)
    document = models.ForeignKey(Document, verbose_name="法制审核意见书", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "审核意见"
        verbose_name_plural = "审核意见"
        ordering = ["review_id", "id"]
        # One opinion per submission: a second reviewer acting at once loses the race here.
        constraints = [models.UniqueConstraint(fields=["review"], name="one_opinion_per_review")]

    def __str__(self) -> str:
        return f"{self.review}：{self.get_outcome_display()}"
