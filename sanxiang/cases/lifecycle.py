"""The case lifecycle: the one definition of states and transitions.

The service layer (:mod:`sanxiang.cases.services`) executes these transitions, the case pages
offer the ones a user may take, the portal draws its flow chart from them and the tests walk
them. Nothing else decides which step follows which.

A transition names its source states, its target, the roles that may take it (an ``officer``
only on cases they handle), the preconditions checked before anything changes (each a code of
:data:`PRECONDITIONS`, with the Chinese text shown when it fails) and the ledger event it writes
(``case.<name>``). A transition whose target equals its source is an action within a step
(scheduling a hearing, recording payment); ``step=False`` keeps it off the flow chart.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.accounts.choices import Role
from sanxiang.cases.choices import CaseState as S
from sanxiang.cases.choices import DocumentKind as D

HANDLERS = frozenset({Role.OFFICER, Role.UNIT_HEAD})
HEADS = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[S]
    target: S | None  # None: stays in the source state (an action within a step)
    roles: frozenset[str]
    requires: tuple[str, ...] = ()
    documents: tuple[D, ...] = ()  # documents that must have been issued before the transition
    fields: tuple[str, ...] = ()  # what the user supplies (forms and API read this)
    step: bool = True
    law: str = ""

    @property
    def event_type(self) -> str:
        return f"case.{self.name}"

    def target_for(self, source: S) -> S:
        return self.target or source


def _t(name: str, label: str, sources: set[S] | S, target: S | None, roles: frozenset[str] | set[str],
       **kwargs: object) -> Transition:
    sources = {sources} if isinstance(sources, S) else sources
    return Transition(name, label, frozenset(sources), target, frozenset(roles), **kwargs)  # type: ignore[arg-type]


# The states a case can be in before a decision, during which the 90-day clock runs.
BEFORE_DECISION = {S.INVESTIGATION, S.EXAMINATION, S.LEGAL_REVIEW, S.NOTICE, S.HEARING, S.COLLECTIVE, S.DECISION}
# The states after a decision took effect (a published decision can be changed from them).
DECIDED = {S.SERVICE, S.EXECUTION, S.CLOSED, S.ARCHIVED, S.NO_PENALTY}

TRANSITIONS: tuple[Transition, ...] = (
    _t("request_filing", "提请立案", S.CLUE, S.FILING_APPROVAL, HANDLERS,
       requires=("party", "item", "two_officers", "no_conflict"), documents=(D.FILING_APPROVAL,), fields=("on",),
       law="《行政处罚法》第五十四条、第四十二条、第四十三条"),
    _t("approve_filing", "批准立案", S.FILING_APPROVAL, S.INVESTIGATION, HEADS,
       requires=("party", "item", "two_officers", "no_conflict"), fields=("on", "note"),
       law="《行政处罚法》第五十四条第二款"),
    _t("reject_filing", "不予立案", S.FILING_APPROVAL, S.NOT_FILED, HEADS, requires=("reason",), fields=("reason", "on")),
    _t("record_preservation", "先行登记保存", S.INVESTIGATION, None, HANDLERS, requires=("no_open_preservation",),
       fields=("on", "note"), step=False, law="《行政处罚法》第五十六条"),
    _t("resolve_preservation", "作出先行登记保存处理决定", BEFORE_DECISION, None, HANDLERS,
       requires=("open_preservation",), fields=("on", "note"), step=False, law="《行政处罚法》第五十六条"),
    # The hearing's own pause opens and closes with the hearing (request_hearing, conclude_hearing).
    _t("pause_clock", "期限中止（检测、鉴定、公告、中止）", BEFORE_DECISION - {S.HEARING}, None, HEADS,
       requires=("no_open_pause", "reason"), fields=("kind", "on", "reason"), step=False,
       law="《行政处罚法》第六十条"),
    _t("resume_clock", "恢复计算期限", BEFORE_DECISION - {S.HEARING}, None, HEADS, requires=("open_pause",), fields=("on",),
       step=False),
    _t("extend_deadline", "延长办案期限", BEFORE_DECISION, None, {Role.AGENCY_HEAD},
       requires=("no_extension", "reason"), fields=("days", "reason"), step=False,
       law="《行政处罚法》第六十条；行业规定"),
    _t("end_investigation", "调查终结", S.INVESTIGATION, S.EXAMINATION, HANDLERS,
       requires=("facts", "investigation_record", "preservation_resolved", "within_decision_deadline", "recordings"),
       fields=("on",), law="《行政处罚法》第五十四条、第五十五条"),
    _t("revoke_filing", "撤销立案", {S.INVESTIGATION, S.EXAMINATION}, S.REVOKED, {Role.AGENCY_HEAD},
       requires=("reason",), fields=("reason", "on")),
    _t("transfer", "移送司法机关", {S.INVESTIGATION, S.EXAMINATION}, S.TRANSFERRED, {Role.AGENCY_HEAD},
       requires=("reason",), fields=("reason", "on"), law="《行政处罚法》第二十七条、第五十七条第一款第四项"),
    # The legal review (sanxiang.review) drives these three: its services record the submission and
    # the opinion, then take the transition; the case returns to the step it was submitted from.
    _t("submit_legal_review", "送法制审核", {S.EXAMINATION, S.DECISION}, S.LEGAL_REVIEW, HANDLERS,
       requires=("proposal", "review_submitted"), fields=("on",), law="《行政处罚法》第五十八条"),
    _t("pass_legal_review", "法制审核通过", S.LEGAL_REVIEW, S.EXAMINATION, {Role.REVIEWER},
       requires=("reviewer_not_handler", "opinion_recorded"), fields=("note", "on"), law="《行政处罚法》第五十八条"),
    _t("return_legal_review", "法制审核退回", S.LEGAL_REVIEW, S.EXAMINATION, {Role.REVIEWER},
       requires=("reviewer_not_handler", "reason", "opinion_recorded"), fields=("reason", "on"),
       law="《行政处罚法》第五十八条"),
    _t("issue_notice", "事先告知", S.EXAMINATION, S.NOTICE, HEADS,
       requires=("proposal", "within_decision_deadline"), documents=(D.PRIOR_NOTICE,),
       fields=("on",), law="《行政处罚法》第四十四条、第四十五条、第六十三条"),
    _t("request_hearing", "当事人要求听证", S.NOTICE, S.HEARING, HANDLERS,
       requires=("hearing_right", "within_hearing_request"), fields=("on",), law="《行政处罚法》第六十三条、第六十四条"),
    # The hearing is fixed (date, place, presiding officer) before the 听证通知书 states them.
    _t("schedule_hearing", "确定听证安排", S.HEARING, None, HEADS, requires=("hearing_notice_lead", "host_not_investigator"),
       fields=("on", "hearing_date", "hearing_place", "hearing_host"), step=False,
       law="《行政处罚法》第六十四条第二项、第四项"),
    _t("conclude_hearing", "听证结束", S.HEARING, S.DECISION, HEADS, requires=("hearing_held", "recordings"),
       documents=(D.HEARING_NOTICE,), fields=("on",), law="《行政处罚法》第六十四条、第六十五条"),
    _t("conclude_notice", "陈述申辩期满", S.NOTICE, S.DECISION, HANDLERS, requires=("statement_period_over",),
       fields=("waived", "on"), law="《行政处罚法》第四十五条"),
    _t("request_collective", "提交集体讨论", S.DECISION, S.COLLECTIVE, HEADS, fields=("on",), law="《行政处罚法》第五十七条第二款"),
    _t("conclude_collective", "集体讨论决定", S.COLLECTIVE, S.DECISION, {Role.AGENCY_HEAD},
       requires=("minutes",), fields=("minutes", "on"), law="《行政处罚法》第五十七条第二款"),
    _t("decide", "作出处罚决定", S.DECISION, S.SERVICE, {Role.AGENCY_HEAD},
       requires=("final_decision", "two_officers", "legal_review_if_major", "decision_as_reviewed",
                 "collective_if_major", "hearing_concluded", "within_decision_deadline"),
       documents=(D.DECISION,), fields=("on",), law="《行政处罚法》第五十七条、第五十九条、第六十条"),
    _t("decide_no_penalty", "不予处罚", {S.EXAMINATION, S.DECISION}, S.NO_PENALTY, {Role.AGENCY_HEAD},
       requires=("reason", "legal_review_if_major", "decision_as_reviewed"), fields=("reason", "on"),
       law="《行政处罚法》第三十条至第三十三条、第五十七条第一款第二项"),
    _t("serve", "送达决定书", S.SERVICE, S.EXECUTION, HANDLERS, requires=("service_method", "recordings"),
       documents=(D.DECISION, D.SERVICE_RECEIPT), fields=("on", "method", "electronic_consent"),
       law="《行政处罚法》第六十一条"),
    _t("record_execution", "登记执行情况", S.EXECUTION, None, HANDLERS, fields=("on", "note"), step=False,
       law="《行政处罚法》第六十六条至第七十三条"),
    _t("close", "结案", {S.EXECUTION, S.NO_PENALTY, S.TRANSFERRED}, S.CLOSED, HEADS,
       requires=("executed_if_penalty",), documents=(D.CLOSING_APPROVAL,), fields=("on",)),
    _t("archive", "归档", {S.CLOSED, S.NOT_FILED, S.REVOKED}, S.ARCHIVED, HEADS, fields=("on",)),
    _t("decide_on_the_spot", "当场处罚（简易程序）", S.CLUE, S.EXECUTION, {Role.OFFICER},
       requires=("simple_procedure", "party", "item", "two_officers", "no_conflict", "facts", "final_decision",
                 "simple_limits", "recordings"),
       documents=(D.DECISION,), fields=("on",), law="《行政处罚法》第五十一条、第五十二条"),
    # The decision was changed, revoked, confirmed illegal or void (复议、诉讼、自行纠正): its published
    # entry is withdrawn in the same transaction (sanxiang.disclosure.services.on_decision_changed).
    _t("record_decision_change", "登记决定变更、撤销或确认违法、无效", DECIDED, None, HEADS, requires=("reason",),
       fields=("change_kind", "reason", "on"), step=False, law="《行政处罚法》第四十八条第二款"),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}

# What each precondition means, in the words shown when it fails ("……：<text>").
PRECONDITIONS: dict[str, str] = {
    "party": "须登记至少一名当事人",
    "item": "须选择本机关的执法事项",
    "two_officers": "承办人须至少两名且执法证均在有效期内（行政处罚法第四十二条）",
    "no_conflict": "承办人与当事人不得有利害关系，回避申请须已处理（行政处罚法第四十三条）",
    "reason": "须填写理由",
    "facts": "须填写违法事实",
    "investigation_record": "须已制作现场检查（勘验）笔录或询问笔录",
    "no_open_preservation": "已有未处理的先行登记保存",
    "open_preservation": "没有待处理的先行登记保存",
    "preservation_resolved": "先行登记保存须已作出处理决定（行政处罚法第五十六条）",
    "no_open_pause": "期限已处于中止状态",
    "open_pause": "期限未处于中止状态",
    "no_extension": "办案期限已延长过一次，再次延长须经集体讨论",
    "within_decision_deadline": "办案期限已届满，须先批准延长（行政处罚法第六十条）",
    "proposal": "须填写拟处理意见（处理类型、处罚种类与金额、适用依据）",
    "reviewer_not_handler": "法制审核人员不得是本案承办人",
    "legal_review_if_major": "重大执法决定须经法制审核通过，且通过的是当前的拟处理意见；修改意见或举行听证后须重新审核（行政处罚法第五十八条）",
    "decision_as_reviewed": "重大执法决定的内容须与通过法制审核的拟处理意见一致；如需变更，请修改拟处理意见并重新送审",
    "review_submitted": "须通过法制审核页面送审，并附齐送审材料",
    "opinion_recorded": "须通过法制审核页面出具书面审核意见",
    "hearing_right": "拟作出的处罚不属于应告知听证权利的情形（行政处罚法第六十三条）",
    "within_hearing_request": "已超过要求听证的期限（行政处罚法第六十四条：告知后五日内）",
    "hearing_notice_lead": "听证通知须在举行听证的七个工作日前送达（行政处罚法第六十四条）",
    "hearing_held": "听证须已举行（听证日期已到且已通知）",
    "host_not_investigator": "须指定听证主持人，且主持人不得是本案调查人员（行政处罚法第六十四条第四项）",
    "hearing_scheduled": "须先确定听证日期、地点和主持人",
    "statement_period_over": "陈述申辩期限尚未届满，且当事人未放弃",
    "minutes": "须填写集体讨论记录",
    "final_decision": "须填写决定内容（处罚种类、金额与法律依据）",
    "collective_if_major": "重大执法决定须经集体讨论（行政处罚法第五十七条第二款）",
    "hearing_concluded": "听证程序尚未结束",
    "service_method": "须选择送达方式；电子送达须当事人书面同意（行政处罚法第六十一条）",
    "executed_if_penalty": "须先登记执行完毕",
    "simple_procedure": "仅简易程序案件可当场处罚",
    "recordings": "本环节须有音像记录（音像记录事项清单），或由承办机构负责人登记未能记录的理由",
    "simple_limits": "超出简易程序范围：当场处罚限于警告、对公民二百元以下、对法人或其他组织三千元以下罚款（行政处罚法第五十一条）",
}

# Preconditions that the step's own input satisfies (a reason typed, a method chosen, a waiver
# ticked, a hearing date): before the form is filled in they are what it must supply, not what
# blocks the step.
INPUT_PRECONDITIONS = frozenset({"reason", "minutes", "service_method", "hearing_notice_lead",
                                 "host_not_investigator", "statement_period_over"})


def transition(name: str) -> Transition:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"没有名为 {name} 的办案环节") from None


def available_from(state: S) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]


def steps() -> list[tuple[S, S, Transition]]:
    """Edges of the flow chart: (source, target, transition) for every step transition."""
    return [(source, t.target, t) for t in TRANSITIONS if t.step and t.target for source in sorted(t.sources)]

