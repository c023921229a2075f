"""Request and response schemas of the legal review API (/api/v1/reviews/).

Titles come from the models' ``verbose_name`` and ``help_text`` (via the registry's :func:`doc`);
input schemas forbid unknown fields. Output schemas read plain dicts built in
:mod:`sanxiang.review.api`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from sanxiang.registry.api_schemas import AgencyRef, InputSchema, doc
from sanxiang.review import models as m
from sanxiang.review.choices import CollectiveConclusion, Finding, Outcome, ReviewStatus


class PersonRef(Schema):
    id: int
    name: str = Field(..., description="姓名。")


class ReviewFilters(Schema):
    status: ReviewStatus | None = doc(m.LegalReview, "status", None)
    mine: bool = Field(False, title="只看分给我的", description="true：只列出由当前用户审核的送审。")
    case_id: int | None = Field(None, title="案件", description="只列出该案件的各次送审。")


class ReviewListItemOut(Schema):
    id: int
    case_id: int = Field(..., title="案件")
    case_number: str = Field(..., title="案号")
    case_title: str = Field(..., title="案由")
    agency: AgencyRef
    version: int = doc(m.LegalReview, "version")
    status: str = doc(m.LegalReview, "status")
    status_label: str = Field(..., title="审核状态（中文）")
    reviewer: PersonRef = Field(..., title="法制审核人员")
    submitted_on: datetime.date = doc(m.LegalReview, "submitted_on")
    due_on: datetime.date = doc(m.LegalReview, "due_on")
    extended: bool = Field(..., title="已延长审核期限")
    overdue: bool = Field(..., title="已超期", description="尚待审核且已过审核期限。")


class MaterialOut(Schema):
    code: str
    label: str = Field(..., title="送审材料")
    ok: bool = Field(..., title="齐备")
    detail: str = Field(..., title="说明")


class ProposalOut(Schema):
    type: str = doc(m.LegalReview, "proposed_type")
    penalties: list[str] = doc(m.LegalReview, "proposed_penalties")
    fine: Decimal | None = doc(m.LegalReview, "proposed_fine")
    confiscation: Decimal | None = doc(m.LegalReview, "proposed_confiscation")
    text: str = doc(m.LegalReview, "proposal_text")
    basis: list[str] = doc(m.LegalReview, "proposed_basis")
    benchmark: str = doc(m.LegalReview, "benchmark")
    facts: str = doc(m.LegalReview, "facts")
    hearing_concluded_on: datetime.date | None = doc(m.LegalReview, "hearing_concluded_on")


class PointOut(Schema):
    code: str = Field(..., title="审核要点代码")
    label: str = Field(..., title="审核要点")
    finding: str = Field(..., title="结论", description="ok=符合；problem=存在问题；na=不适用；空=未审查。")
    note: str = Field(..., title="说明")


class DocumentRef(Schema):
    id: int
    number: str = Field(..., title="文号")
    rendered: bool = Field(..., title="已生成文件")


class OpinionOut(Schema):
    id: int
    reviewer: PersonRef = Field(..., title="审核人")
    outcome: str = doc(m.Opinion, "outcome")
    outcome_label: str = Field(..., title="审核结论（中文）")
    points: list[PointOut] = Field(..., title="逐项审核意见")
    problems: str = doc(m.Opinion, "problems")
    suggestions: str = doc(m.Opinion, "suggestions")
    text: str = doc(m.Opinion, "text")
    given_on: datetime.date = doc(m.Opinion, "given_on")
    document: DocumentRef | None = Field(None, title="法制审核意见书")


class VersionOut(Schema):
    id: int
    version: int = doc(m.LegalReview, "version")
    status: str = doc(m.LegalReview, "status")
    status_label: str
    submitted_on: datetime.date


class ResponsibilityOut(Schema):
    role: str = Field(..., title="责任")
    name: str = Field(..., title="人员", description="尚无人承担时为空。")


class ReviewOut(ReviewListItemOut):
    return_state: str = doc(m.LegalReview, "return_state")
    proposal: ProposalOut = Field(..., title="送审的拟处理意见（送审时的副本）")
    major_rules: list[str] = doc(m.LegalReview, "major_rules")
    materials: list[MaterialOut] = doc(m.LegalReview, "materials")
    submitted_by: PersonRef = Field(..., title="送审人")
    extension_reason: str = doc(m.LegalReview, "extension_reason")
    finished_on: datetime.date | None = doc(m.LegalReview, "finished_on")
    objection: str = doc(m.LegalReview, "objection")
    objected_on: datetime.date | None = doc(m.LegalReview, "objected_on")
    consultation_record: str = doc(m.LegalReview, "consultation_record")
    consulted_on: datetime.date | None = doc(m.LegalReview, "consulted_on")
    collective_minutes: str = doc(m.LegalReview, "collective_minutes")
    collective_members: str = doc(m.LegalReview, "collective_members")
    collective_conclusion: str = doc(m.LegalReview, "collective_conclusion")
    collective_on: datetime.date | None = doc(m.LegalReview, "collective_on")
    opinions: list[OpinionOut] = Field(..., title="审核意见")
    versions: list[VersionOut] = Field(..., title="本案各次送审", description="从第一次起。")
    responsibility: list[ResponsibilityOut] = Field(..., title="责任人", description="送审人、审核人、集体讨论主持人。")


# --- input ------------------------------------------------------------------------------------


class SubmitIn(InputSchema):
    case_id: int = Field(..., title="案件")
    investigation_report: str = Field("", max_length=20000, title="调查终结报告")
    discretion_note: str = Field("", max_length=5000, title="裁量基准适用说明")
    hearing_record: str = Field("", max_length=20000, title="听证笔录（举行听证的案件）")
    reviewer_id: int | None = Field(None, title="法制审核人员（用户 id）",
                                    description="不填时分给本机关当前待审最少、且不是本案承办人的审核人员。")
    on: datetime.date | None = Field(None, title="送审日期", description="默认今天。")


class FindingIn(InputSchema):
    finding: Finding | None = Field(None, title="结论")
    note: str = Field("", max_length=500, title="说明")


class OpinionIn(InputSchema):
    outcome: Outcome = doc(m.Opinion, "outcome")
    findings: dict[str, FindingIn] = Field(
        default_factory=dict, title="逐项审核意见",
        description="审核要点代码 → {finding, note}；要点：competent、qualified、facts、evidence、law、discretion、"
                    "procedure、authority、documents、crime。同意、存在问题须逐项给出结论。")
    text: str = Field(..., max_length=5000, title="审核意见")
    problems: str = Field("", max_length=5000, title="存在的问题")
    suggestions: str = Field("", max_length=5000, title="审核建议")
    on: datetime.date | None = Field(None, title="审核日期", description="默认今天。")


class ExtendIn(InputSchema):
    reason: str = Field(..., max_length=300, title="延长审核期限的理由")


class ReassignIn(InputSchema):
    reviewer_id: int = Field(..., title="改派的法制审核人员（用户 id）")


class ObjectionIn(InputSchema):
    text: str = Field(..., max_length=5000, title="书面异议")
    on: datetime.date | None = None


class ConsultationIn(InputSchema):
    record: str = Field(..., max_length=5000, title="协商记录")
    result: str = Field(..., title="协商结果",
                        description="adopt_opinion=采纳审核意见；adopt_proposal=审核人员同意拟处理意见；"
                                    "no_agreement=未达成一致，提交集体讨论。")
    on: datetime.date | None = None


class CollectiveIn(InputSchema):
    minutes: str = Field(..., max_length=10000, title="集体讨论记录")
    members: str = Field(..., max_length=300, title="参加集体讨论人员")
    conclusion: CollectiveConclusion = doc(m.LegalReview, "collective_conclusion")
    on: datetime.date | None = None


# --- catalog and staffing ---------------------------------------------------------------------


class RuleOut(Schema):
    code: str = doc(m.CatalogRule, "code")
    label: str = doc(m.CatalogRule, "label")
    kind: str = doc(m.CatalogRule, "kind")
    kind_label: str = Field(..., title="判断依据（中文）")
    amount: Decimal | None = doc(m.CatalogRule, "amount")
    values: list[str] = doc(m.CatalogRule, "values")
    value_labels: list[str] = Field(..., title="取值（中文）")
    source: str = doc(m.CatalogRule, "source")
    mandatory: bool = doc(m.CatalogRule, "mandatory")
    enabled: bool = doc(m.CatalogRule, "enabled")


class CatalogOut(Schema):
    agency: AgencyRef
    customised: bool = Field(..., title="已自定", description="false：使用平台默认目录（行政处罚法第五十八条等）。")
    full_coverage: bool = doc(m.ReviewSettings, "full_coverage")
    rules: list[RuleOut] = Field(..., title="目录事项")


class StaffingOut(Schema):
    agency: AgencyRef
    officers: int = Field(..., title="执法人员数", description="执法证状态为有效的执法人员。")
    reviewers: int = Field(..., title="法制审核人员数")
    registry_reviewers: int = Field(..., title="人员清单中标为法制审核人员的")
    role_reviewers: int = Field(..., title="另有审核人员角色的账户")
    qualified: int = Field(..., title="具有法律职业资格的法制审核人员")
    required: int = Field(..., title="按5%至少需要的人数")
    share: Decimal | None = Field(None, title="占比（%）")
    short: bool = Field(..., title="低于5%")
    warning: str = Field(..., title="提示")
