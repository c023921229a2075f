"""案卷评查 (case-file evaluation): an automatic score for each closed case, with its findings,
plus the supervisors' own findings. Read-only except :func:`add_finding`."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanxiang.accounts.access import Action, get_for_user
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases import schedule
from sanxiang.cases.choices import CaseState, DocumentKind, Procedure
from sanxiang.cases.deadlines import due_date
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case
from sanxiang.evidence.models import ManualFinding
from sanxiang.ledger.services import record_change

D = DocumentKind
EVALUATED_STATES = {CaseState.CLOSED, CaseState.ARCHIVED}
NORMAL_DOCUMENTS = (D.FILING_APPROVAL, D.PRIOR_NOTICE, D.DECISION, D.SERVICE_RECEIPT, D.CLOSING_APPROVAL)
LABELS = dict(DocumentKind.choices)


@dataclass(frozen=True)
class Finding:
    label: str
    ok: bool
    detail: str
    weight: int


@dataclass(frozen=True)
class Evaluation:
    case: Case
    findings: list[Finding]
    manual: list[ManualFinding]

    @property
    def score(self) -> int:
        lost = sum(f.weight for f in self.findings if not f.ok) + sum(m.deduction for m in self.manual)
        return max(0, 100 - lost)


def evaluate(case: Case) -> Evaluation:
    findings = [*_documents(case), *_deadlines(case), *_review(case), *_officers(case), _recordings(case)]
    return Evaluation(case, findings, list(case.manual_findings.select_related("author")))


def _documents(case: Case) -> list[Finding]:
    if case.decision_type == "" and case.state in EVALUATED_STATES and not case.decided_on:
        return []  # ended before a decision (不予立案、撤销立案): no decision documents are due
    kinds = (D.DECISION,) if case.procedure == Procedure.SIMPLE else NORMAL_DOCUMENTS
    issued = {d.kind: d for d in case.documents.all()}
    found = []
    for kind in kinds:
        document = issued.get(kind)
        if document is None:
            found.append(Finding(f"《{LABELS[kind]}》", False, "缺少该文书", 10))
        elif not document.signature:
            found.append(Finding(f"《{LABELS[kind]}》", False, "文书未生成签名文件", 5))
        else:
            found.append(Finding(f"《{LABELS[kind]}》", True, f"已制作并签名 {document.number}".strip(), 10))
    records = bool({D.INSPECTION_RECORD, D.INQUIRY_RECORD} & set(issued))
    if case.procedure == Procedure.NORMAL:
        found.append(Finding("现场检查笔录或询问笔录", records, "已制作" if records else "缺少调查笔录", 10))
    return found


def _deadlines(case: Case) -> list[Finding]:
    found = []
    rules, calendar = schedule.rulebook(case.agency_id), current_calendar()
    if case.filed_on and case.decided_on:
        pauses = [(p.started_on, p.ended_on) for p in case.pauses.all() if p.ended_on]
        days = rules.value("decision") + case.extension_days
        due = due_date(case.filed_on, days, False, calendar=calendar, pauses=pauses)
        found.append(Finding("办案期限（行政处罚法第六十条）", case.decided_on <= due,
                             f"{case.decided_on} 作出决定，期限至 {due}", 15))
    if case.decided_on and case.served_on and case.procedure == Procedure.NORMAL:
        due = due_date(case.decided_on, rules.value("service"), True, calendar=calendar)
        found.append(Finding("送达期限（行政处罚法第六十一条）", case.served_on <= due,
                             f"{case.served_on} 送达，期限至 {due}", 10))
    return found


def _review(case: Case) -> list[Finding]:
    if not case.is_major:
        return []
    return [Finding("重大执法决定法制审核（第五十八条）", case.legal_review_passed, "已通过" if case.legal_review_passed
                    else "未经法制审核", 20),
            Finding("重大执法决定集体讨论（第五十七条）", bool(case.collective_concluded_on),
                    "已讨论" if case.collective_concluded_on else "未经集体讨论", 15)]


def _officers(case: Case) -> list[Finding]:
    acts = [d for d in (case.filed_on, case.decided_on) if d]
    bad = sorted({h.officer.name for h in case.handlers.select_related("officer") for day in acts
                  if not h.officer.can_enforce(day)})
    return [Finding("执法人员资格（第四十二条）", not bad, "执法时证件均有效" if not bad else
                    "执法时证件无效：" + "、".join(bad), 15)]


def _recordings(case: Case) -> Finding:
    av = case.evidence.filter(media_kind__in=["audio", "video"]).exists()
    if av:
        return Finding("音像记录", True, "有音像记录", 5)
    waivers = list(case.recording_waivers.all())
    if waivers:  # excused by the unit head: flagged, a smaller deduction
        return Finding("音像记录", False, "缺失，已登记说明：" + "；".join(w.reason for w in waivers), 2)
    return Finding("音像记录", False, "没有音像记录（现场检查、调查取证等环节应有音像记录）", 5)


@transaction.atomic
def add_finding(user: User, case: Case | int, text: str, deduction: int = 0) -> ManualFinding:
    """A supervisor's finding on a case of their jurisdiction (recorded in the ledger)."""
    pk = case.pk if isinstance(case, Case) else case
    case = get_for_user(Case.objects.select_related("agency"), user, Action.VIEW, pk=pk)
    if not user.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有监督人员可以填写评查意见")
    if not text.strip():
        raise ValidationError({"text": "须填写评查意见"})
    if not 0 <= deduction <= 100:
        raise ValidationError({"deduction": "扣分须在0至100之间"})
    finding = ManualFinding.objects.create(case=case, author=user, text=text.strip(), deduction=deduction)
    record_change(event_type="evidence.finding_added", actor=user, obj=finding, agency=case.agency,
                  role=Role.SUPERVISOR, summary=f"案卷评查意见：{case.case_number}（扣{deduction}分）")
    return finding
