"""Registering a case and changing its data (parties, handling officers, facts, proposal,
decision) — each change allowed only in the steps where the law lets it change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.access import Action, can, get_for_user, writable_agency
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import schedule
from sanxiang.cases.choices import CaseState, HandlerRole, Procedure, RecusalStatus
from sanxiang.cases.lifecycle import HANDLERS, HEADS
from sanxiang.cases.models import Case, CaseOfficer, Party, Recusal
from sanxiang.cases.preconditions import conflicts
from sanxiang.cases.services.common import lock_case, record_case, require_role
from sanxiang.registry.models import Article, Officer
from sanxiang.registry.services import check_enforceable

S = CaseState
EDITORS = HANDLERS | HEADS
BEFORE_EXAMINATION_ENDS = {S.CLUE, S.FILING_APPROVAL, S.INVESTIGATION, S.EXAMINATION}
# Which fields may change in which steps. The proposal may change only during examination
# (a change after a passed legal review needs a new review); the decision is written while the
# case awaits the decision, or on the spot under the simple procedure.
EDITABLE: dict[str, set[S]] = {
    "title": BEFORE_EXAMINATION_ENDS, "source": {S.CLUE}, "source_note": {S.CLUE, S.FILING_APPROVAL},
    "item": {S.CLUE, S.FILING_APPROVAL}, "received_on": {S.CLUE}, "facts": BEFORE_EXAMINATION_ENDS,
    "proposed_type": {S.EXAMINATION}, "proposed_penalties": {S.EXAMINATION}, "proposed_fine": {S.EXAMINATION},
    "proposed_confiscation": {S.EXAMINATION}, "proposal_text": {S.EXAMINATION}, "benchmark": {S.EXAMINATION},
    "proposed_basis": {S.EXAMINATION},
    "decision_type": {S.DECISION, S.CLUE}, "decision_penalties": {S.DECISION, S.CLUE},
    "decision_fine": {S.DECISION, S.CLUE}, "decision_confiscation": {S.DECISION, S.CLUE},
    "decision_text": {S.DECISION, S.CLUE}, "decision_basis": {S.DECISION, S.CLUE},
    "is_major": set(S) - {S.SERVICE, S.EXECUTION, S.CLOSED, S.ARCHIVED}, "major_reason": set(S),
}
PROPOSAL_FIELDS = {f for f in EDITABLE if f.startswith("propos") or f == "benchmark"}
M2M_FIELDS = {"proposed_basis", "decision_basis"}
STATE_LABELS = dict(CaseState.choices)


@transaction.atomic
def register_case(user: User, *, title: str, source: str, received_on=None, item=None,
                  procedure: str = Procedure.NORMAL, source_note: str = "", facts: str = "",
                  parties: Sequence[Mapping[str, object]] = (), officers: Sequence[Officer] = (),
                  lead: Officer | None = None) -> Case:
    """Register a clue (线索登记) in ``user``'s agency, with its parties and handling officers."""
    if not can(user, Action.ADD, Case) or not (user.role_codes & EDITORS):
        raise PermissionDenied("无权登记案件线索：须由执法人员或承办机构负责人办理")
    agency = writable_agency(user)
    case = Case(agency=agency, title=title, source=source, source_note=source_note, item=item,
                procedure=procedure, facts=facts, received_on=received_on or timezone.localdate(),
                created_by=user)
    case.full_clean()
    _check_item(case)
    case.save()
    for data in parties:
        _new_party(case, data)
    if officers:
        _assign(case, list(officers), lead or officers[0])
    elif Role.OFFICER in user.role_codes and hasattr(user, "officer"):
        _assign(case, [user.officer], user.officer)
    schedule.refresh(case)
    case.save(update_fields=["next_due_on", "next_due_code", "next_due_provisional"])
    record_case(user, case, "registered", f"登记案件线索：{case.title}", _role(user),
                procedure=procedure, source=source, parties=case.parties.count())
    return case


def _role(user: User) -> str:
    mine = sorted(user.role_codes & EDITORS)
    return mine[0] if mine else ""


def _check_item(case: Case) -> None:
    if case.item_id and case.item.agency_id != case.agency_id:
        raise ValidationError({"item": "执法事项必须属于本机关"})


def _check_editable(case: Case, names: Sequence[str]) -> None:
    state = CaseState(case.state)
    for name in names:
        allowed = EDITABLE.get(name)
        if allowed is None:
            raise ServiceError(f"“{name}”不能直接修改")
        if state not in allowed:
            label = Case._meta.get_field(name).verbose_name
            raise ServiceError(f"案件处于“{STATE_LABELS[state]}”环节，不能修改{label}")


@transaction.atomic
def update_case(user: User, case: Case | int, fields: Mapping[str, object]) -> Case:
    """Change case data allowed in the current step (see :data:`EDITABLE`). Changing the
    proposal after a passed legal review withdraws the pass: the new proposal needs a review."""
    case = lock_case(user, case)
    role = require_role(user, case, EDITORS, "修改案件信息")
    _check_editable(case, list(fields))
    if fields.get("is_major") is False and case.is_major:
        raise ServiceError("已认定为重大执法决定的案件不能改回")
    if fields.get("is_major") is True and not case.is_major and not str(
            fields.get("major_reason", case.major_reason) or "").strip():
        # Marked by a person, not the catalog: art. 58 (1), (4), (5) matters need a stated reason.
        raise ServiceError("认定为重大执法决定须填写理由（行政处罚法第五十八条第一款）")
    if "decision_type" in fields and case.state == S.CLUE and case.procedure != Procedure.SIMPLE:
        raise ServiceError("普通程序案件须在审查、告知后作出决定")
    plain = {k: v for k, v in fields.items() if k not in M2M_FIELDS}
    for name, value in plain.items():
        setattr(case, name, value)
    case.full_clean()
    _check_item(case)
    schedule.refresh(case)
    case.save()
    for name in M2M_FIELDS & set(fields):
        getattr(case, name).set(_articles(fields[name]))
    record_case(user, case, "updated", f"修改案件信息：{case}", role, fields=sorted(fields))
    if PROPOSAL_FIELDS & set(fields):
        # A changed proposal is measured against the legal-review catalog at once; a passed review
        # of the old proposal no longer opens the gate (sanxiang.review.gate compares them).
        from sanxiang.review.services import determine

        determine(user, case, role, "拟处理意见变更")
    return case


def _articles(values: object) -> list[Article]:
    ids = [v.pk if isinstance(v, Article) else int(v) for v in (values or [])]  # type: ignore[union-attr]
    found = list(Article.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"basis": "所选法律条款不存在"})
    return found


def _new_party(case: Case, data: Mapping[str, object]) -> Party:
    party = Party(case=case, **data)
    party.full_clean()
    party.save()
    return party


def _party_step(case: Case) -> None:
    if case.state not in BEFORE_EXAMINATION_ENDS:
        raise ServiceError(f"案件处于“{STATE_LABELS[CaseState(case.state)]}”环节，不能再变更当事人")


@transaction.atomic
def add_party(user: User, case: Case | int, data: Mapping[str, object]) -> Party:
    case = lock_case(user, case)
    role = require_role(user, case, EDITORS, "登记当事人")
    _party_step(case)
    party = _new_party(case, data)
    record_case(user, case, "party_added", f"登记当事人：{party.name}", role, party=party.pk)
    return party


@transaction.atomic
def update_party(user: User, party: Party | int, data: Mapping[str, object]) -> Party:
    pk = party.pk if isinstance(party, Party) else party
    party = get_for_user(Party.objects.all(), user, Action.VIEW, pk=pk)
    case = lock_case(user, party.case_id)
    role = require_role(user, case, EDITORS, "修改当事人")
    _party_step(case)
    for name, value in data.items():
        if name not in {"case", "case_id", "id", "pk"}:
            setattr(party, name, value)
    party.full_clean()
    party.save()
    record_case(user, case, "party_updated", f"修改当事人：{party.name}", role, party=party.pk, fields=sorted(data))
    return party


@transaction.atomic
def remove_party(user: User, party: Party | int) -> None:
    pk = party.pk if isinstance(party, Party) else party
    party = get_for_user(Party.objects.all(), user, Action.VIEW, pk=pk)
    case = lock_case(user, party.case_id)
    role = require_role(user, case, EDITORS, "删除当事人")
    if case.state not in {S.CLUE, S.FILING_APPROVAL}:
        raise ServiceError("立案后不能删除当事人")
    record_case(user, case, "party_removed", f"删除当事人：{party.name}", role, party=party.pk)
    party.delete()


def _assign(case: Case, officers: list[Officer], lead: Officer) -> None:
    strangers = [o.name for o in officers if o.agency_id != case.agency_id]
    if strangers:
        raise ServiceError("承办人须为本机关执法人员：" + "、".join(strangers))
    if lead not in officers:
        raise ServiceError("主办人须在承办人之中")
    check_enforceable(officers)
    found = conflicts(case, officers, list(case.parties.all()))
    if found:
        raise ServiceError("以下人员与当事人有利害关系，应当回避（行政处罚法第四十三条）："
                           + "、".join(f"{d.officer.name}（{d.relation}）" for d in found))
    case.handlers.all().delete()
    CaseOfficer.objects.bulk_create([
        CaseOfficer(case=case, officer=o, role=HandlerRole.LEAD if o.pk == lead.pk else HandlerRole.ASSISTANT)
        for o in officers])


@transaction.atomic
def set_handlers(user: User, case: Case | int, officers: Sequence[Officer], lead: Officer | None = None) -> Case:
    """Assign the handling officers (at least two, valid certificates, no declared conflict)."""
    case = lock_case(user, case)
    roles = {Role.UNIT_HEAD, Role.AGENCY_HEAD} if case.state != S.CLUE else EDITORS
    role = require_role(user, case, roles, "指派承办人")
    if case.state not in BEFORE_EXAMINATION_ENDS:
        raise ServiceError("审查终结后不能再变更承办人")
    officers = list(officers)
    if len(officers) < 2:
        raise ServiceError("承办人不得少于两人（行政处罚法第四十二条）")
    _assign(case, officers, lead or officers[0])
    record_case(user, case, "handlers_set", f"指派承办人：{'、'.join(o.name for o in officers)}", role,
                officers=[o.pk for o in officers])
    return case


@transaction.atomic
def request_recusal(user: User, case: Case | int, officer: Officer, reason: str) -> Recusal:
    """Record a party's application for 回避 of a handling officer; investigation continues."""
    case = lock_case(user, case)
    role = require_role(user, case, EDITORS, "登记回避申请")
    if not case.handlers.filter(officer=officer).exists():
        raise ServiceError(f"{officer.name}不是本案承办人")
    if not reason.strip():
        raise ServiceError("须填写申请回避的理由")
    recusal = Recusal.objects.create(case=case, officer=officer, reason=reason.strip())
    record_case(user, case, "recusal_requested", f"当事人申请{officer.name}回避", role, officer=officer.pk)
    return recusal


@transaction.atomic
def decide_recusal(user: User, recusal: Recusal | int, granted: bool, note: str = "") -> Recusal:
    """The agency head decides a 回避 application (行政处罚法 art. 43); a granted one removes the
    officer from the case."""
    pk = recusal.pk if isinstance(recusal, Recusal) else recusal
    recusal = get_for_user(Recusal.objects.all(), user, Action.VIEW, pk=pk)
    case = lock_case(user, recusal.case_id)
    role = require_role(user, case, {Role.AGENCY_HEAD}, "决定回避")
    if recusal.status != RecusalStatus.PENDING:
        raise ServiceError("该回避申请已经处理")
    recusal.status = RecusalStatus.GRANTED if granted else RecusalStatus.REFUSED
    recusal.decided_by, recusal.decision_note = user, note[:300]
    recusal.save()
    if granted:
        case.handlers.filter(officer_id=recusal.officer_id).delete()
    record_case(user, case, "recusal_decided", f"{recusal.get_status_display()}：{recusal.officer.name}", role,
                officer=recusal.officer_id, granted=granted)
    return recusal
