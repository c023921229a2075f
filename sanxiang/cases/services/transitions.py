"""Moving a case through the lifecycle of :mod:`sanxiang.cases.lifecycle`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import lifecycle, schedule
from sanxiang.cases.choices import CaseState, DecisionType, DocumentKind, PauseKind, ServiceMethod
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.lifecycle import PRECONDITIONS, Transition
from sanxiang.cases.models import Case, Pause
from sanxiang.cases.numbering import next_case_number
from sanxiang.cases.preconditions import CHECKS, Ctx
from sanxiang.cases.services.common import acting_roles, lock_case, record_case, require_role

STATE_LABELS = dict(CaseState.choices)


class TransitionError(ServiceError):
    """A transition refused: the message names the missing preconditions, in Chinese."""


def _as_date(value: object, label: str = "日期") -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise TransitionError(f"{label}格式不正确，应为 YYYY-MM-DD") from None


def _clean(t: Transition, data: dict, today: dt.date) -> dict:
    """Parse and check the user's input for ``t`` (dates, days); an input the step does not take
    is refused rather than silently ignored."""
    given = {k: v for k, v in data.items() if v not in (None, "")}
    stray = sorted(set(given) - set(t.fields))
    if stray:
        raise TransitionError(f"“{t.label}”不接受以下输入：{'、'.join(stray)}")
    clean = dict(given)
    for key, label in (("on", "日期"), ("hearing_date", "听证日期")):
        if key in clean:
            clean[key] = _as_date(clean[key], label)
    if clean.get("on") and clean["on"] > today:
        raise TransitionError("办理日期不能晚于今天")
    if "days" in clean:
        try:
            clean["days"] = int(clean["days"])
        except (TypeError, ValueError):
            raise TransitionError("延长天数须为整数") from None
    for key in ("waived", "electronic_consent"):
        if key in clean:
            clean[key] = clean[key] in (True, "true", "on", "1", 1)
    return clean


def check(ctx: Ctx, t: Transition) -> list[str]:
    """The Chinese texts of every precondition of ``t`` that does not hold (empty: all hold)."""
    ctx.transition = t.name
    problems = [PRECONDITIONS[code] for code in t.requires if not CHECKS[code](ctx)]
    missing = [kind for kind in t.documents if not ctx.has_document(kind)]
    if missing:
        labels = dict(DocumentKind.choices)
        problems.append("须先制作" + "、".join(f"《{labels[k]}》" for k in missing))
    return problems


def _context(user: User, case: Case, data: dict) -> Ctx:
    today = timezone.localdate()
    return Ctx(case=case, user=user, data=data, today=today, rules=schedule.rulebook(case.agency_id),
               calendar=current_calendar())


@transaction.atomic
def perform(user: User, case: Case | int, name: str, **data: object) -> Case:
    """Take transition ``name`` on ``case`` as ``user`` with the step's input ``data``.

    Raises Http404/PermissionDenied (not visible / not allowed), TransitionError (wrong state or
    preconditions missing, all named). On success the case is saved and one ledger entry
    ``case.<name>`` records it.
    """
    t = lifecycle.transition(name)
    case = lock_case(user, case)
    role = require_role(user, case, t.roles, t.label)
    source = CaseState(case.state)
    if source not in t.sources:
        raise TransitionError(f"案件当前处于“{STATE_LABELS[source]}”环节，不能{t.label}")
    ctx = _context(user, case, {})
    ctx.data = _clean(t, data, ctx.today)
    problems = check(ctx, t)
    if problems:
        raise TransitionError(f"不能{t.label}：" + "；".join(problems))
    changes = EFFECTS.get(name, _nothing)(ctx) or {}
    case.state = ctx.target or t.target_for(source)
    schedule.refresh(case, ctx.rules, ctx.calendar)
    case.save()
    record_case(user, case, name, f"{t.label}：{case}", role, **{"from": source.value, "to": case.state},
                **{k: _jsonable(v) for k, v in {**ctx.data, **changes}.items()})
    AFTER.get(name, _nothing)(ctx)
    return case


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else str(value) if isinstance(value, Decimal) else value


def allowed_transitions(user: User, case: Case) -> list[tuple[Transition, list[str]]]:
    """Transitions from the case's state that ``user``'s roles allow, each with the problems that
    would stop it now (so pages can show what is missing before the user tries)."""
    roles = acting_roles(user, case)
    ctx = _context(user, case, {})
    found = []
    for t in lifecycle.available_from(CaseState(case.state)):
        if roles & t.roles:
            found.append((t, check(ctx, t)))
    return found


# --- effects: what each transition changes besides the state ---------------------------------

def _nothing(ctx: Ctx) -> None:
    return None


def _approve_filing(ctx: Ctx) -> dict:
    case = ctx.case
    case.filed_on = ctx.on
    case.case_number = next_case_number(case.agency, case.category, ctx.on.year)
    return {"case_number": case.case_number}


def _ending(decision: str = "") -> Callable[[Ctx], None]:
    def effect(ctx: Ctx) -> None:
        ctx.case.ending_reason = str(ctx.data["reason"]).strip()
        if decision:
            ctx.case.decision_type = decision
        if decision == DecisionType.NO_PENALTY:
            ctx.case.decided_on = ctx.on
    return effect


def _set(**fields: str) -> Callable[[Ctx], None]:
    """An effect that copies input keys (or "on") onto case fields: _set(preserved_on="on")."""
    def effect(ctx: Ctx) -> None:
        for attr, key in fields.items():
            setattr(ctx.case, attr, ctx.on if key == "on" else ctx.data.get(key, getattr(ctx.case, attr)))
    return effect


def _pause(ctx: Ctx) -> None:
    kind = ctx.data.get("kind")
    if kind not in PauseKind.values:
        raise TransitionError("请选择期限中止的类型：" + "、".join(PauseKind.labels))
    Pause.objects.create(case=ctx.case, kind=kind, started_on=ctx.on, reason=str(ctx.data["reason"])[:300])


def _resume(ctx: Ctx) -> None:
    pause = ctx.case.pauses.get(ended_on__isnull=True)
    if ctx.on < pause.started_on:
        raise TransitionError("恢复日期不能早于中止日期")
    pause.ended_on = ctx.on
    pause.save(update_fields=["ended_on"])


def _extend(ctx: Ctx) -> dict:
    limit = ctx.rules.value("decision_extension")
    days = ctx.data.get("days") or limit
    if not 0 < days <= limit:
        raise TransitionError(f"延长天数须在1至{limit}日之间（{ctx.rules.rule('decision_extension').source}）")
    ctx.case.extension_days = days
    ctx.case.extension_reason = str(ctx.data["reason"])[:300]
    return {"days": days}


def _request_hearing(ctx: Ctx) -> None:
    ctx.case.hearing_requested_on = ctx.on
    Pause.objects.create(case=ctx.case, kind=PauseKind.HEARING, started_on=ctx.on, reason="当事人要求听证")
    _determine(ctx, "当事人要求听证")


def _determine(ctx: Ctx, why: str) -> None:
    """Evaluate the legal-review catalog now (a hearing makes a decision major: art. 58 (3))."""
    from sanxiang.review.services import determine

    determine(ctx.user, ctx.case, "", why)


def _review(name: str) -> Callable[[Ctx], dict]:
    """An effect the legal review supplies (sanxiang.review.hooks)."""
    def effect(ctx: Ctx) -> dict:
        from sanxiang.review import hooks

        return getattr(hooks, name)(ctx)
    return effect


def _conclude_hearing(ctx: Ctx) -> None:
    ctx.case.hearing_concluded_on = ctx.on
    ctx.case.pauses.filter(kind=PauseKind.HEARING, ended_on__isnull=True).update(ended_on=ctx.on)


def _decide(ctx: Ctx) -> dict:
    case = ctx.case
    case.decided_on = ctx.on
    decision = case.documents.filter(kind=DocumentKind.DECISION).order_by("-id").first()
    case.decision_number = decision.number if decision else ""
    return {"decision_number": case.decision_number}


def _serve(ctx: Ctx) -> None:
    case = ctx.case
    if case.decided_on and ctx.on < case.decided_on:
        raise TransitionError("送达日期不能早于决定日期")
    case.served_on, case.service_method = ctx.on, ctx.data["method"]
    case.electronic_consent = bool(ctx.data.get("electronic_consent"))


def _record_execution(ctx: Ctx) -> None:
    ctx.case.executed_on = ctx.on
    ctx.case.execution_note = str(ctx.data.get("note", ""))[:300]


def _on_the_spot(ctx: Ctx) -> dict:
    case = ctx.case
    if not case.case_number:
        case.case_number = next_case_number(case.agency, case.category, ctx.on.year)
    case.decided_on = case.served_on = ctx.on
    case.service_method = ServiceMethod.ON_THE_SPOT
    decision = case.documents.filter(kind=DocumentKind.DECISION).order_by("-id").first()
    case.decision_number = decision.number if decision else ""
    return {"case_number": case.case_number}


def _schedule_hearing(ctx: Ctx) -> None:
    place = str(ctx.data.get("hearing_place") or "").strip() or ctx.case.agency.address
    if not place:
        raise TransitionError("须填写听证地点")
    case = ctx.case
    case.hearing_notified_on, case.hearing_date = ctx.on, ctx.data["hearing_date"]
    case.hearing_place, case.hearing_host = place[:200], str(ctx.data["hearing_host"]).strip()[:50]


EFFECTS: dict[str, Callable[[Ctx], dict | None]] = {
    "approve_filing": _approve_filing,
    "reject_filing": _ending(),
    "revoke_filing": _ending(),
    "transfer": _ending(DecisionType.TRANSFER),
    "decide_no_penalty": _ending(DecisionType.NO_PENALTY),
    "record_preservation": _set(preserved_on="on"),
    "resolve_preservation": _set(preservation_resolved_on="on"),
    "pause_clock": _pause,
    "resume_clock": _resume,
    "extend_deadline": _extend,
    "submit_legal_review": _review("on_submitted"),
    "pass_legal_review": _review("on_opinion"),
    "return_legal_review": _review("on_opinion"),
    "issue_notice": _set(notice_served_on="on"),
    "request_hearing": _request_hearing,
    "schedule_hearing": _schedule_hearing,
    "conclude_hearing": _conclude_hearing,
    "conclude_notice": _set(statement_waived="waived"),
    "conclude_collective": _set(collective_minutes="minutes", collective_concluded_on="on"),
    "decide": _decide,
    "serve": _serve,
    "record_execution": _record_execution,
    "close": _set(closed_on="on"),
    "archive": _set(archived_on="on"),
    "decide_on_the_spot": _on_the_spot,
    "record_decision_change": lambda ctx: _disclosure("validate_decision_change")(ctx),
}


def _disclosure(name: str) -> Callable[[Ctx], None]:
    """A step of the publication pipeline (sanxiang.disclosure.services), in the case's transaction;
    its refusal is the transition's."""
    def hook(ctx: Ctx) -> None:
        from sanxiang.disclosure import services as disclosure

        data = ctx.data
        calls = {
            "validate_decision_change": lambda: disclosure.validate_decision_change(data.get("change_kind"), data.get("reason")),
            "on_decided": lambda: disclosure.on_decided(ctx.user, ctx.case),
            "on_decision_changed": lambda: disclosure.on_decision_changed(
                ctx.user, ctx.case, str(data["change_kind"]), str(data["reason"]).strip(), ctx.on),
        }
        try:
            calls[name]()
        except TransitionError:
            raise
        except ServiceError as error:
            raise TransitionError(str(error)) from None
    return hook


# After the step is recorded: the publication pipeline (即时推送 when a decision takes effect;
# withdrawal at once when it is changed, 行政处罚法第四十八条第二款).
AFTER: dict[str, Callable[[Ctx], None]] = {
    "decide": _disclosure("on_decided"),
    "decide_on_the_spot": _disclosure("on_decided"),
    "decide_no_penalty": _disclosure("on_decided"),
    "record_decision_change": _disclosure("on_decision_changed"),
}
