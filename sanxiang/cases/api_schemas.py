"""Request and response schemas of the cases API (/api/v1/cases/).

Titles and descriptions come from the models' ``verbose_name`` and ``help_text`` (via the
registry's :func:`doc`), so the OpenAPI document says what the pages say. Input schemas forbid
unknown fields. Output schemas read plain dicts built in :mod:`sanxiang.cases.api` (the
computed parts: deadlines, allowed transitions) or model rows.
"""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from sanxiang.cases import models as m
from sanxiang.cases.choices import (
    CaseSource,
    CaseState,
    DecisionType,
    DocumentKind,
    PartyKind,
    PauseKind,
    PenaltyKind,
    Procedure,
    ServiceMethod,
)
from sanxiang.disclosure.choices import WithdrawalKind
from sanxiang.registry.api_schemas import AgencyRef, ArticleRef, InputSchema, ItemRef, doc

DUE_STATUS = "到期状态：overdue=已超期；due_soon=即将到期（三个工作日内）；ok=正常；无期限时为空。"


class Label(Schema):
    code: str = Field(..., description="代码。")
    label: str = Field(..., description="名称（中文）。")


# --- the list ---------------------------------------------------------------------------------


class CaseListItemOut(Schema):
    id: int
    case_number: str = doc(m.Case, "case_number")
    title: str = doc(m.Case, "title")
    state: CaseState = doc(m.Case, "state")
    state_label: str = Field(..., title="办理环节（名称）")
    procedure: Procedure = doc(m.Case, "procedure")
    procedure_label: str = Field(..., title="程序（名称）")
    agency: AgencyRef = Field(..., title="执法主体")
    received_on: datetime.date = doc(m.Case, "received_on")
    next_due_on: datetime.date | None = doc(m.Case, "next_due_on", None)
    next_due_code: str = doc(m.Case, "next_due_code", note="期限代码，如 decision、service。")
    next_due_label: str = Field("", title="下一期限事项（名称）")
    next_due_provisional: bool = doc(m.Case, "next_due_provisional")
    due_status: str | None = Field(None, title="到期状态", description=DUE_STATUS)
    due_status_label: str = Field("", title="到期状态（名称）")


STATES = "open=办理中（全部未结）；" + "；".join(f"{v}={lbl}" for v, lbl in CaseState.choices)


class CaseFilters(Schema):
    state: str | None = Field(None, pattern="^(open|" + "|".join(CaseState.values) + ")$", title="办理环节",
                              description="按办理环节筛选。可选值：" + STATES)
    procedure: Procedure | None = Field(None, title="程序", description="normal=普通程序；simple=简易程序。")
    item: int | None = Field(None, title="执法事项", description="执法事项 id。")
    officer: int | None = Field(None, title="承办人", description="承办人（执法人员）id。")
    agency: int | None = Field(None, title="执法主体", description="执法主体 id（监督人员查看辖区内某一机关的案件）。")
    party: str | None = Field(None, max_length=100, title="当事人",
                              description="当事人姓名或名称包含该文字，或身份证号码、统一社会信用代码等于该值。")
    deadline: str | None = Field(None, pattern="^(overdue|due_soon|provisional|none)$", title="期限",
                                 description="overdue=下一期限已超期；due_soon=三个工作日内到期；"
                                             "provisional=期限为暂定（所涉年份尚未录入节假日安排）；none=无期限。")
    ordering: str | None = Field(None, pattern="^-?(next_due_on|received_on)$", title="排序",
                                 description="next_due_on / -next_due_on（无期限的排在最后）、"
                                             "received_on / -received_on；默认按线索登记日期从新到旧。")


# --- parts of the detail ----------------------------------------------------------------------


class PartyOut(Schema):
    id: int
    kind: PartyKind = doc(m.Party, "kind")
    kind_label: str = Field(..., title="当事人类型（名称）")
    name: str = doc(m.Party, "name")
    id_number: str = doc(m.Party, "id_number")
    uscc: str = doc(m.Party, "uscc")
    legal_representative: str = doc(m.Party, "legal_representative")
    address: str = doc(m.Party, "address")
    phone: str = doc(m.Party, "phone")

    @staticmethod
    def resolve_kind_label(obj: m.Party) -> str:
        return str(obj.get_kind_display())


class HandlerOut(Schema):
    officer_id: int = Field(..., title="执法人员 id")
    name: str = Field(..., title="姓名")
    certificate_number: str = Field(..., title="执法证号")
    role: str = Field(..., title="分工", description="lead=主办；assistant=协办。")
    role_label: str = Field(..., title="分工（名称）")


class ProposalOut(Schema):
    type: DecisionType | None = Field(None, title="拟处理意见")
    type_label: str = Field("", title="拟处理意见（名称）")
    penalties: list[Label] = Field(..., title="拟处罚种类")
    fine: Decimal | None = Field(None, title="拟罚款金额（元）")
    confiscation: Decimal | None = Field(None, title="拟没收金额（元）")
    text: str = Field(..., title="拟处理意见说明")
    basis: list[ArticleRef] = Field(..., title="拟适用依据")
    benchmark_id: int | None = Field(None, title="适用的裁量基准 id")


class DecisionOut(Schema):
    type: DecisionType | None = Field(None, title="决定")
    type_label: str = Field("", title="决定（名称）")
    penalties: list[Label] = Field(..., title="处罚种类")
    fine: Decimal | None = Field(None, title="罚款金额（元）")
    confiscation: Decimal | None = Field(None, title="没收金额（元）")
    text: str = Field(..., title="决定内容")
    basis: list[ArticleRef] = Field(..., title="决定依据")
    number: str = Field(..., title="决定书文号")


class DatesOut(Schema):
    """The case's steps in the order they happen (empty until the step is taken)."""

    filed_on: datetime.date | None = doc(m.Case, "filed_on", None)
    preserved_on: datetime.date | None = doc(m.Case, "preserved_on", None)
    preservation_resolved_on: datetime.date | None = doc(m.Case, "preservation_resolved_on", None)
    notice_served_on: datetime.date | None = doc(m.Case, "notice_served_on", None)
    statement_waived: bool = doc(m.Case, "statement_waived")
    hearing_requested_on: datetime.date | None = doc(m.Case, "hearing_requested_on", None)
    hearing_notified_on: datetime.date | None = doc(m.Case, "hearing_notified_on", None)
    hearing_date: datetime.date | None = doc(m.Case, "hearing_date", None)
    hearing_concluded_on: datetime.date | None = doc(m.Case, "hearing_concluded_on", None)
    collective_concluded_on: datetime.date | None = doc(m.Case, "collective_concluded_on", None)
    collective_minutes: str = doc(m.Case, "collective_minutes")
    extension_days: int = doc(m.Case, "extension_days")
    extension_reason: str = doc(m.Case, "extension_reason")
    decided_on: datetime.date | None = doc(m.Case, "decided_on", None)
    served_on: datetime.date | None = doc(m.Case, "served_on", None)
    service_method: str = doc(m.Case, "service_method")
    electronic_consent: bool = doc(m.Case, "electronic_consent")
    executed_on: datetime.date | None = doc(m.Case, "executed_on", None)
    execution_note: str = doc(m.Case, "execution_note")
    closed_on: datetime.date | None = doc(m.Case, "closed_on", None)
    archived_on: datetime.date | None = doc(m.Case, "archived_on", None)
    ending_reason: str = doc(m.Case, "ending_reason")


class DeadlineOut(Schema):
    code: str = Field(..., title="期限代码")
    label: str = Field(..., title="期限事项")
    due: datetime.date = Field(..., title="届满日", description="期限的最后一日。")
    provisional: bool = Field(..., title="暂定", description="期限跨越尚未录入节假日安排的年份，仅按周末计算。")
    status: str = Field(..., title="到期状态", description=DUE_STATUS)
    status_label: str = Field(..., title="到期状态（名称）")
    source: str = Field(..., title="依据", description="规定该期限的法律条文。")


class DocumentOut(Schema):
    id: int
    kind: str = doc(m.Document, "kind")
    kind_label: str = Field(..., title="文书种类（名称）")
    number: str = doc(m.Document, "number")
    docx_sha256: str = doc(m.Document, "docx_sha256")
    pdf_sha256: str = doc(m.Document, "pdf_sha256")
    rendered: bool = Field(..., title="已生成文件", description="Word 和 PDF 文件已生成（有 PDF 哈希）。")
    issued_by: str = Field(..., title="制作人")
    issued_at: datetime.datetime = doc(m.Document, "issued_at")

    @staticmethod
    def resolve_kind_label(obj: m.Document) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_issued_by(obj: m.Document) -> str:
        return obj.issued_by.full_name or obj.issued_by.username


class AllowedTransitionOut(Schema):
    name: str = Field(..., title="环节代码", description="用于 POST /cases/{case_id}/transitions/{name}。")
    label: str = Field(..., title="环节名称")
    target: str | None = Field(None, title="目标环节", description="为空表示环节内的操作（不改变办理环节）。")
    target_label: str = Field("", title="目标环节（名称）")
    fields: list[str] = Field(..., title="需填写的字段")
    problems: list[str] = Field(..., title="尚不满足的条件",
                                description="为空表示现在即可办理；否则列出缺少的前提条件（中文）。")
    ready: bool = Field(..., title="可以办理", description="problems 为空。")


class CaseOut(Schema):
    id: int
    case_number: str = doc(m.Case, "case_number")
    title: str = doc(m.Case, "title")
    state: CaseState = doc(m.Case, "state")
    state_label: str = Field(..., title="办理环节（名称）")
    procedure: Procedure = doc(m.Case, "procedure")
    procedure_label: str = Field(..., title="程序（名称）")
    source: CaseSource = doc(m.Case, "source")
    source_label: str = Field(..., title="案件来源（名称）")
    source_note: str = doc(m.Case, "source_note")
    agency: AgencyRef = Field(..., title="执法主体")
    item: ItemRef | None = Field(None, title="执法事项")
    received_on: datetime.date = doc(m.Case, "received_on")
    facts: str = doc(m.Case, "facts")
    is_major: bool = doc(m.Case, "is_major")
    major_reason: str = doc(m.Case, "major_reason")
    legal_review_passed: bool = Field(..., title="法制审核已通过",
                                      description="当前拟处理意见已通过法制审核；修改意见或举行听证后须重新审核。")
    parties: list[PartyOut] = Field(..., title="当事人")
    handlers: list[HandlerOut] = Field(..., title="承办人")
    proposal: ProposalOut = Field(..., title="拟处理意见")
    decision: DecisionOut = Field(..., title="决定")
    dates: DatesOut = Field(..., title="各环节日期")
    next_due_on: datetime.date | None = doc(m.Case, "next_due_on", None)
    next_due_code: str = doc(m.Case, "next_due_code")
    next_due_label: str = Field("", title="下一期限事项（名称）")
    next_due_provisional: bool = doc(m.Case, "next_due_provisional")
    deadlines: list[DeadlineOut] = Field(..., title="正在计算的期限", description="最早到期的在前；已办结的案件为空。")
    documents: list[DocumentOut] = Field(..., title="执法文书")
    transitions: list[AllowedTransitionOut] = Field(
        ..., title="当前用户可办理的环节", description="按当前用户的角色列出；problems 说明还缺什么。")
    issuable_documents: list[Label] = Field(..., title="当前环节可制作的文书")
    editable_fields: list[str] = Field(..., title="当前环节可修改的字段",
                                       description="PATCH /cases/{case_id} 在当前环节接受的字段。")


class TimelineEntryOut(Schema):
    index: int = Field(..., title="记录序号", description="在全过程记录日志中的序号，可用于查询回执。")
    time: datetime.datetime = Field(..., title="时间")
    type: str = Field(..., title="事件类型代码", description="如 case.approve_filing。")
    type_label: str = Field(..., title="事件类型")
    actor: str = Field(..., title="操作人", description="记录时的操作人姓名；系统操作为“系统”。")
    role_label: str = Field("", title="操作人角色")
    summary: str = Field(..., title="摘要")


# --- the lifecycle definition -----------------------------------------------------------------


class TransitionDefOut(Schema):
    name: str = Field(..., title="环节代码")
    label: str = Field(..., title="环节名称")
    sources: list[Label] = Field(..., title="可从哪些环节办理")
    target: Label | None = Field(None, title="目标环节", description="为空表示环节内的操作。")
    roles: list[Label] = Field(..., title="可办理的角色", description="执法人员须为本案承办人。")
    requires: list[Label] = Field(..., title="前提条件", description="代码及其中文说明。")
    documents: list[Label] = Field(..., title="须先制作的文书")
    fields: list[str] = Field(..., title="需填写的字段")
    step: bool = Field(..., title="流程图上的步骤", description="false 表示环节内的辅助操作，不画在流程图上。")
    law: str = Field(..., title="法律依据")


class LifecycleOut(Schema):
    states: list[Label] = Field(..., title="办理环节", description="按流程顺序。")
    open_states: list[str] = Field(..., title="未办结的环节", description="处于这些环节的案件期限在计算中。")
    transitions: list[TransitionDefOut] = Field(..., title="环节之间的转换")
    fields: dict[str, str] = Field(..., title="字段说明", description="办理环节时可填写的字段及其含义。")


# --- input --------------------------------------------------------------------------------------


class PartyIn(InputSchema):
    kind: PartyKind = doc(m.Party, "kind")
    name: str = doc(m.Party, "name", max_length=200)
    id_number: str = doc(m.Party, "id_number", "", max_length=18)
    uscc: str = doc(m.Party, "uscc", "", max_length=18)
    legal_representative: str = doc(m.Party, "legal_representative", "", max_length=50)
    address: str = doc(m.Party, "address", "", max_length=200)
    phone: str = doc(m.Party, "phone", "", max_length=30)


class PartyPatch(InputSchema):
    kind: PartyKind | None = doc(m.Party, "kind", None)
    name: str | None = doc(m.Party, "name", None, max_length=200)
    id_number: str | None = doc(m.Party, "id_number", None, max_length=18)
    uscc: str | None = doc(m.Party, "uscc", None, max_length=18)
    legal_representative: str | None = doc(m.Party, "legal_representative", None, max_length=50)
    address: str | None = doc(m.Party, "address", None, max_length=200)
    phone: str | None = doc(m.Party, "phone", None, max_length=30)


class CaseIn(InputSchema):
    title: str = doc(m.Case, "title", max_length=200)
    source: CaseSource = doc(m.Case, "source")
    source_note: str = doc(m.Case, "source_note", "", max_length=300)
    item_id: int | None = doc(m.Case, "item", None, note="本机关执法事项的 id。")
    procedure: Procedure = doc(m.Case, "procedure", Procedure.NORMAL)
    received_on: datetime.date | None = doc(m.Case, "received_on", None, note="不填为今天。")
    facts: str = doc(m.Case, "facts", "")
    parties: list[PartyIn] = Field([], title="当事人")
    officer_ids: list[int] = Field([], title="承办人",
                                   description="本机关执法人员 id（至少两名）；不填时由登记的执法人员本人承办。")
    lead_id: int | None = Field(None, title="主办人", description="须在 officer_ids 之中；不填为第一名。")


class CasePatch(InputSchema):
    """Only the fields sent are changed; which may change depends on the step (editable_fields)."""

    title: str | None = doc(m.Case, "title", None, max_length=200)
    source: CaseSource | None = doc(m.Case, "source", None)
    source_note: str | None = doc(m.Case, "source_note", None, max_length=300)
    item_id: int | None = doc(m.Case, "item", None, note="本机关执法事项的 id。")
    received_on: datetime.date | None = doc(m.Case, "received_on", None)
    facts: str | None = doc(m.Case, "facts", None)
    proposed_type: DecisionType | None = doc(m.Case, "proposed_type", None)
    proposed_penalties: list[PenaltyKind] | None = doc(m.Case, "proposed_penalties", None)
    proposed_fine: Decimal | None = doc(m.Case, "proposed_fine", None, ge=0)
    proposed_confiscation: Decimal | None = doc(m.Case, "proposed_confiscation", None, ge=0)
    proposal_text: str | None = doc(m.Case, "proposal_text", None)
    proposed_basis: list[int] | None = doc(m.Case, "proposed_basis", None, note="法律条款 id 列表。")
    benchmark_id: int | None = doc(m.Case, "benchmark", None, note="本机关裁量基准的 id。")
    decision_type: DecisionType | None = doc(m.Case, "decision_type", None)
    decision_penalties: list[PenaltyKind] | None = doc(m.Case, "decision_penalties", None)
    decision_fine: Decimal | None = doc(m.Case, "decision_fine", None, ge=0)
    decision_confiscation: Decimal | None = doc(m.Case, "decision_confiscation", None, ge=0)
    decision_text: str | None = doc(m.Case, "decision_text", None)
    decision_basis: list[int] | None = doc(m.Case, "decision_basis", None, note="法律条款 id 列表。")
    is_major: bool | None = doc(m.Case, "is_major", None)
    major_reason: str | None = doc(m.Case, "major_reason", None, max_length=300)


class HandlersIn(InputSchema):
    officer_ids: list[int] = Field(..., title="承办人", description="本机关执法人员 id，至少两名，执法证须有效。")
    lead_id: int | None = Field(None, title="主办人", description="须在 officer_ids 之中；不填为第一名。")


# What each input field of a transition means (documented once; the lifecycle lists which
# transition takes which).
TRANSITION_FIELDS: dict[str, str] = {
    "on": "办理日期（YYYY-MM-DD），不填为今天；补录纸质环节时填写实际日期，不能晚于今天。",
    "reason": "理由。",
    "method": "送达方式：" + "；".join(f"{v}={lbl}" for v, lbl in ServiceMethod.choices),
    "electronic_consent": "当事人已书面同意电子送达。",
    "waived": "当事人放弃陈述、申辩和听证。",
    "hearing_date": "举行听证的日期（YYYY-MM-DD）。",
    "hearing_place": "听证地点，不填为本机关地址。",
    "hearing_host": "听证主持人姓名，须为非本案调查人员（行政处罚法第六十四条第四项）。",
    "minutes": "集体讨论记录。",
    "days": "延长的天数。",
    "kind": "期限中止的类型：" + "；".join(f"{v}={lbl}" for v, lbl in PauseKind.choices),
    "note": "说明。",
    "change_kind": "决定变化的情形（公示信息随即撤下，行政处罚法第四十八条）：" + "；".join(
        f"{k.value}={k.label}" for k in WithdrawalKind if k != WithdrawalKind.ERROR),
}


class TransitionIn(InputSchema):
    """The input of one transition; send only the fields the transition lists (see GET
    /cases/transitions or the case's ``transitions``)."""

    on: datetime.date | None = Field(None, title="办理日期", description=TRANSITION_FIELDS["on"])
    reason: str | None = Field(None, max_length=2000, title="理由", description=TRANSITION_FIELDS["reason"])
    method: ServiceMethod | None = Field(None, title="送达方式", description=TRANSITION_FIELDS["method"])
    electronic_consent: bool | None = Field(None, title="同意电子送达",
                                            description=TRANSITION_FIELDS["electronic_consent"])
    waived: bool | None = Field(None, title="放弃陈述申辩", description=TRANSITION_FIELDS["waived"])
    hearing_date: datetime.date | None = Field(None, title="听证日期", description=TRANSITION_FIELDS["hearing_date"])
    hearing_place: str | None = Field(None, max_length=200, title="听证地点",
                                      description=TRANSITION_FIELDS["hearing_place"])
    hearing_host: str | None = Field(None, max_length=50, title="听证主持人",
                                     description=TRANSITION_FIELDS["hearing_host"])
    minutes: str | None = Field(None, max_length=10000, title="集体讨论记录",
                                description=TRANSITION_FIELDS["minutes"])
    days: int | None = Field(None, ge=1, title="延长天数", description=TRANSITION_FIELDS["days"])
    kind: PauseKind | None = Field(None, title="中止类型", description=TRANSITION_FIELDS["kind"])
    note: str | None = Field(None, max_length=300, title="说明", description=TRANSITION_FIELDS["note"])
    change_kind: str | None = Field(None, max_length=20, title="决定变化的情形",
                                    description=TRANSITION_FIELDS["change_kind"])


class DocumentIn(InputSchema):
    kind: DocumentKind = Field(..., title="文书种类",
                               description="当前环节可制作的文书见案件详情的 issuable_documents。可选值："
                                           + "；".join(f"{v}={lbl}" for v, lbl in DocumentKind.choices))
