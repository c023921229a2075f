"""Cases API at /api/v1/cases/: the same operations as the case pages.

Reads are narrowed by ``access.restrict``/``get_for_user`` (another agency's case is 404; a
supervisor reads the cases of their jurisdiction). Every change is a call into
:mod:`sanxiang.cases.services`, which decides who may do what in which step and writes the
ledger: refused → 403 (role) or 422 (a step's precondition, named in Chinese), nothing changed.
``GET /cases/transitions`` serves the lifecycle definition itself, for clients and the portal's
flow chart.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from sanxiang.accounts.access import Action, can, get_for_user, restrict
from sanxiang.accounts.api import current_user
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.api_support import READ_ERRORS, WRITE_ERRORS, PageParams, page_schema, paginate
from sanxiang.cases import api_schemas as s
from sanxiang.cases import lifecycle, schedule, services
from sanxiang.cases.choices import OPEN_STATES, CaseState, DocumentKind, HandlerRole, PenaltyKind
from sanxiang.cases.deadlines import HolidayCalendar, working_days_between
from sanxiang.cases.filters import filter_cases
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case, CaseOfficer, Document, Party
from sanxiang.cases.rules import DEFAULT_RULES
from sanxiang.cases.schedule import DEADLINE_LABELS
from sanxiang.cases.services.editing import EDITABLE
from sanxiang.ledger.labels import event_label, role_label
from sanxiang.ledger.models import Entry
from sanxiang.ledger.reads import record_supervisory_read
from sanxiang.ledger.services import history
from sanxiang.registry.models import Article, DiscretionBenchmark, EnforcementItem, Officer

router = Router(tags=["执法办案"])

STATE_LABELS = dict(CaseState.choices)
KIND_LABELS = dict(DocumentKind.choices)
PENALTY_LABELS = dict(PenaltyKind.choices)
ROLE_LABELS = dict(Role.choices)
SOON = DEFAULT_RULES["due_soon"].value


# --- reading ----------------------------------------------------------------------------------

def _cases() -> models.QuerySet[Case]:
    return Case.objects.select_related("agency", "item")


def _detail_rows() -> models.QuerySet[Case]:
    return _cases().prefetch_related(
        "parties", "pauses", "proposed_basis__law", "decision_basis__law",
        Prefetch("handlers", CaseOfficer.objects.select_related("officer")),
        Prefetch("documents", Document.objects.select_related("issued_by")))


def _visible(user: User, case_id: int) -> Case:
    return get_for_user(_detail_rows(), user, pk=case_id)


def _due_status(due: dt.date | None, today: dt.date, calendar: HolidayCalendar) -> str | None:
    if due is None:
        return None
    if due < today:
        return "overdue"
    return "due_soon" if working_days_between(today, due, calendar=calendar) <= SOON else "ok"


def _list_item(case: Case, today: dt.date, calendar: HolidayCalendar) -> dict[str, Any]:
    status = _due_status(case.next_due_on, today, calendar)
    return {
        "id": case.pk, "case_number": case.case_number, "title": case.title, "state": case.state,
        "state_label": STATE_LABELS[case.state], "procedure": case.procedure,
        "procedure_label": str(case.get_procedure_display()), "agency": case.agency,
        "received_on": case.received_on, "next_due_on": case.next_due_on, "next_due_code": case.next_due_code,
        "next_due_label": DEADLINE_LABELS.get(case.next_due_code, ""), "next_due_provisional": case.next_due_provisional,
        "due_status": status, "due_status_label": schedule.STATUS_LABELS.get(status or "", ""),
    }


def _filtered(rows: models.QuerySet[Case], filters: s.CaseFilters, today: dt.date,
              calendar: HolidayCalendar) -> models.QuerySet[Case]:
    """The whitelisted filters of the case list pages (:mod:`sanxiang.cases.filters`, one filter set
    for pages and API), then the API's ordering."""
    params = {name: str(getattr(value, "value", value))
              for name, value in filters.model_dump(exclude_none=True, exclude={"ordering"}).items()}
    return _ordered(filter_cases(rows, params, today, calendar), filters.ordering)


def _ordered(rows: models.QuerySet[Case], ordering: str | None) -> models.QuerySet[Case]:
    if not ordering:
        return rows.order_by("-received_on", "-id", "pk")
    name = ordering.lstrip("-")
    term = F(name).desc(nulls_last=True) if ordering.startswith("-") else F(name).asc(nulls_last=True)
    return rows.order_by(term, "-id" if ordering.startswith("-") else "id", "pk")


CasePage = page_schema(s.CaseListItemOut, "CasePage")


@router.get("/", response={200: CasePage, **READ_ERRORS}, summary="案件列表", operation_id="cases_list",
            url_name="cases_list")
def list_cases(request: HttpRequest, filters: Query[s.CaseFilters], page: Query[PageParams]) -> dict:
    """可见范围内的案件（本机关；监督人员为本辖区），按筛选条件与排序分页。

    每条带下一期限及到期状态（已超期、三个工作日内到期），期限跨越未录入节假日安排的年份时标为暂定。
    """
    today, calendar = schedule.today(), current_calendar()
    rows = _filtered(restrict(_cases(), current_user(request)), filters, today, calendar)
    found = paginate(rows, page)
    found["items"] = [_list_item(case, today, calendar) for case in found["items"]]
    return found


# --- the case detail --------------------------------------------------------------------------

def _labels(codes: Iterable[str], labels: dict[str, str]) -> list[dict[str, str]]:
    return [{"code": code, "label": str(labels.get(code, code))} for code in codes]


def _proposal(case: Case) -> dict[str, Any]:
    return {"type": case.proposed_type or None, "type_label": str(case.get_proposed_type_display() or ""),
            "penalties": _labels(case.proposed_penalties or [], PENALTY_LABELS), "fine": case.proposed_fine,
            "confiscation": case.proposed_confiscation, "text": case.proposal_text,
            "basis": list(case.proposed_basis.all()), "benchmark_id": case.benchmark_id}


def _decision(case: Case) -> dict[str, Any]:
    return {"type": case.decision_type or None, "type_label": str(case.get_decision_type_display() or ""),
            "penalties": _labels(case.decision_penalties or [], PENALTY_LABELS), "fine": case.decision_fine,
            "confiscation": case.decision_confiscation, "text": case.decision_text,
            "basis": list(case.decision_basis.all()), "number": case.decision_number}


def _deadlines(case: Case, today: dt.date, calendar: HolidayCalendar) -> list[dict[str, Any]]:
    found = []
    for deadline in schedule.deadlines(case, calendar=calendar):
        status = deadline.status(today, calendar, SOON)
        found.append({"code": deadline.code, "label": deadline.label, "due": deadline.due,
                      "provisional": deadline.provisional, "status": status,
                      "status_label": schedule.STATUS_LABELS[status], "source": deadline.source})
    return found


def _transitions(user: User, case: Case) -> list[dict[str, Any]]:
    return [{"name": t.name, "label": t.label, "target": t.target.value if t.target else None,
             "target_label": STATE_LABELS[t.target] if t.target else "", "fields": list(t.fields),
             "problems": problems, "ready": not problems}
            for t, problems in services.allowed_transitions(user, case)]


def _handlers(case: Case) -> list[dict[str, Any]]:
    """The lead first, then the assistants in the order assigned."""
    return [{"officer_id": h.officer_id, "name": h.officer.name, "certificate_number": h.officer.certificate_number,
             "role": h.role, "role_label": str(h.get_role_display())}
            for h in sorted(case.handlers.all(), key=lambda h: (h.role != HandlerRole.LEAD, h.pk))]


def case_detail(user: User, case: Case) -> dict[str, Any]:
    """Everything the case page shows, for ``user`` (the transitions they may take)."""
    today, calendar = schedule.today(), current_calendar()
    dates = {name: getattr(case, name) for name in s.DatesOut.model_fields}
    return {
        **_list_item(case, today, calendar),
        "source": case.source, "source_label": str(case.get_source_display()), "source_note": case.source_note,
        "item": case.item, "facts": case.facts, "is_major": case.is_major, "major_reason": case.major_reason,
        "legal_review_passed": case.legal_review_passed, "parties": list(case.parties.all()),
        "handlers": _handlers(case), "proposal": _proposal(case), "decision": _decision(case), "dates": dates,
        "deadlines": _deadlines(case, today, calendar), "documents": list(case.documents.all()),
        "transitions": _transitions(user, case),
        "issuable_documents": _labels(services.issuable_documents(case), KIND_LABELS),
        "editable_fields": [_api_name(n) for n, states in EDITABLE.items() if case.state in states],
    }


def _fresh(user: User, case: Case | int) -> dict[str, Any]:
    return case_detail(user, _detail_rows().get(pk=case.pk if isinstance(case, Case) else case))


@router.get("/transitions", response={200: s.LifecycleOut, **READ_ERRORS}, summary="办案流程定义",
            operation_id="cases_lifecycle", url_name="cases_lifecycle")
def lifecycle_definition(request: HttpRequest) -> dict:
    """办理环节与环节之间的全部转换：来源、目标、可办理的角色、前提条件（中文说明）、须先制作的文书、
    需填写的字段和法律依据。服务层、页面、门户流程图和测试读取的是同一份定义。"""
    transitions = [{
        "name": t.name, "label": t.label, "sources": _labels(sorted(t.sources), STATE_LABELS),
        "target": _labels([t.target], STATE_LABELS)[0] if t.target else None,
        "roles": _labels([r for r in Role.values if r in t.roles], ROLE_LABELS),
        "requires": _labels(t.requires, lifecycle.PRECONDITIONS), "documents": _labels(t.documents, KIND_LABELS),
        "fields": list(t.fields), "step": t.step, "law": t.law,
    } for t in lifecycle.TRANSITIONS]
    return {"states": _labels(CaseState.values, STATE_LABELS), "open_states": [v.value for v in CaseState
                                                                                 if v in OPEN_STATES],
            "transitions": transitions, "fields": s.TRANSITION_FIELDS}


@router.get("/{case_id}", response={200: s.CaseOut, **READ_ERRORS}, summary="案件详情",
            operation_id="cases_detail", url_name="cases_detail")
def detail(request: HttpRequest, case_id: int) -> dict:
    """当事人、承办人、事实、拟处理意见与决定（含法律依据）、各环节日期、正在计算的期限、执法文书，
    以及当前用户可办理的环节（尚不满足的条件逐条列出）。不可见的案件返回 404；监督人员调阅其他机关的
    案件会记入全过程记录。"""
    user = current_user(request)
    case = _visible(user, case_id)
    record_supervisory_read(user, case)
    return case_detail(user, case)


# --- registering and editing ------------------------------------------------------------------

def _one(rows: models.QuerySet, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    found = rows.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [message]})
    return found


def _officers(user: User, ids: list[int], lead_id: int | None) -> tuple[list[Officer], Officer | None]:
    """The officers ``ids`` of the user's own agency (in the order given) and the lead among them."""
    rows = {o.pk: o for o in Officer.objects.filter(pk__in=ids, agency_id=user.agency_id)}
    missing = [str(pk) for pk in ids if pk not in rows]
    if missing:
        raise ValidationError({"officer_ids": [f"执法人员不存在或不属于本机关：{'、'.join(missing)}"]})
    if lead_id is not None and lead_id not in rows:
        raise ValidationError({"lead_id": ["主办人须在承办人之中"]})
    officers = [rows[pk] for pk in dict.fromkeys(ids)]
    return officers, rows.get(lead_id) if lead_id is not None else None


def _item(user: User, pk: int | None) -> EnforcementItem | None:
    return _one(restrict(EnforcementItem.objects.all(), user), pk, "item_id", "执法事项不存在或不属于本机关")


@router.post("/", response={201: s.CaseOut, **WRITE_ERRORS}, summary="登记案件线索", operation_id="cases_create",
             url_name="cases_create")
def create(request: HttpRequest, payload: s.CaseIn) -> Status:
    """在本机关登记一条案件线索（线索登记环节），连同当事人和承办人；由执法人员或承办机构负责人办理。

    未给出承办人时，登记的执法人员本人为承办人；立案前须有至少两名承办人。"""
    user = current_user(request)
    if not can(user, Action.ADD, Case):  # before resolving ids: 403 beats 422
        raise PermissionDenied("无权登记案件线索：须由执法人员或承办机构负责人办理")
    data = payload.model_dump()
    officers, lead = _officers(user, data.pop("officer_ids"), data.pop("lead_id"))
    item = _item(user, data.pop("item_id"))
    parties = [_plain(p) for p in data.pop("parties")]
    case = services.register_case(user, **_plain(data), item=item, parties=parties, officers=officers, lead=lead)
    return Status(201, _fresh(user, case))


def _plain(data: dict[str, Any]) -> dict[str, Any]:
    """Enum members (choices) to their stored values, also inside lists."""
    def value(v: Any) -> Any:
        return [value(x) for x in v] if isinstance(v, list) else getattr(v, "value", v)
    return {k: value(v) for k, v in data.items()}


# API name → service field name, where they differ (the API takes ids of related rows).
RENAMED = {"item_id": "item", "benchmark_id": "benchmark"}


def _api_name(field: str) -> str:
    return {v: k for k, v in RENAMED.items()}.get(field, field)


def _case_fields(user: User, data: dict[str, Any]) -> dict[str, Any]:
    fields = {RENAMED.get(k, k): v for k, v in _plain(data).items()}
    if "item" in fields:
        fields["item"] = _item(user, fields["item"])
    if "benchmark" in fields:
        fields["benchmark"] = _one(restrict(DiscretionBenchmark.objects.all(), user), fields["benchmark"],
                                   "benchmark_id", "裁量基准不存在或不属于本机关")
    for name in ("proposed_basis", "decision_basis"):
        if fields.get(name) is not None:
            _check_articles(fields[name], name)
        elif name in fields:
            fields[name] = []
    return fields


def _check_articles(ids: list[int], field: str) -> None:
    if Article.objects.filter(pk__in=ids).count() != len(set(ids)):
        raise ValidationError({field: ["所选法律条款不存在"]})


@router.patch("/{case_id}", response={200: s.CaseOut, **WRITE_ERRORS}, summary="修改案件信息",
              operation_id="cases_update", url_name="cases_update")
def update(request: HttpRequest, case_id: int, payload: s.CasePatch) -> dict:
    """只修改请求中给出的字段；各字段只能在法律允许的环节修改（见详情的 editable_fields），
    否则返回 422 并说明原因。法制审核通过后修改拟处理意见，须重新审核。"""
    user = current_user(request)
    case = get_for_user(Case.objects.all(), user, Action.CHANGE, pk=case_id)
    data = payload.model_dump(exclude_unset=True)
    services.update_case(user, case, _case_fields(user, data))
    return _fresh(user, case)


# --- parties and handlers ---------------------------------------------------------------------

def _party(user: User, case_id: int, party_id: int) -> Party:
    return get_for_user(Party.objects.filter(case_id=case_id), user, pk=party_id)


@router.post("/{case_id}/parties", response={201: s.PartyOut, **WRITE_ERRORS}, summary="登记当事人",
             operation_id="cases_parties_create", url_name="cases_parties_create")
def add_party(request: HttpRequest, case_id: int, payload: s.PartyIn) -> Status:
    """审查终结前可登记当事人：自然人须有身份证号码，法人和其他组织须有统一社会信用代码和法定代表人。"""
    user = current_user(request)
    case = get_for_user(Case.objects.all(), user, Action.CHANGE, pk=case_id)
    return Status(201, services.add_party(user, case, _plain(payload.model_dump())))


@router.patch("/{case_id}/parties/{party_id}", response={200: s.PartyOut, **WRITE_ERRORS}, summary="修改当事人",
              operation_id="cases_parties_update", url_name="cases_parties_update")
def update_party(request: HttpRequest, case_id: int, party_id: int, payload: s.PartyPatch) -> Party:
    """只修改请求中给出的字段；审查终结后不能再变更当事人。"""
    user = current_user(request)
    party = _party(user, case_id, party_id)
    return services.update_party(user, party, _plain(payload.model_dump(exclude_unset=True)))


@router.delete("/{case_id}/parties/{party_id}", response={204: None, **WRITE_ERRORS}, summary="删除当事人",
               operation_id="cases_parties_delete", url_name="cases_parties_delete")
def remove_party(request: HttpRequest, case_id: int, party_id: int) -> Status:
    """只能在立案前（线索登记、立案审批环节）删除当事人。"""
    user = current_user(request)
    services.remove_party(user, _party(user, case_id, party_id))
    return Status(204, None)


@router.put("/{case_id}/handlers", response={200: s.CaseOut, **WRITE_ERRORS}, summary="指派承办人",
            operation_id="cases_handlers_set", url_name="cases_handlers_set")
def set_handlers(request: HttpRequest, case_id: int, payload: s.HandlersIn) -> dict:
    """以给出的执法人员替换全部承办人：至少两名、本机关、执法证有效、与当事人无利害关系
    （行政处罚法第四十二条、第四十三条）。立案后由承办机构负责人或机关负责人指派。"""
    user = current_user(request)
    case = get_for_user(Case.objects.all(), user, Action.CHANGE, pk=case_id)
    officers, lead = _officers(user, payload.officer_ids, payload.lead_id)
    services.set_handlers(user, case, officers, lead)
    return _fresh(user, case)


# --- the lifecycle ----------------------------------------------------------------------------

@router.post("/{case_id}/transitions/{name}", response={200: s.CaseOut, **WRITE_ERRORS}, summary="办理环节",
             operation_id="cases_transition", url_name="cases_transition")
def transition(request: HttpRequest, case_id: int, name: str, payload: s.TransitionIn) -> dict:
    """办理一个环节（如 request_filing 提请立案、approve_filing 批准立案），请求体为该环节需填写的字段
    （见 GET /cases/transitions）。前提条件不满足时返回 422，逐条说明缺少什么，案件不作任何改变；
    无权办理返回 403；没有该环节返回 404。成功后返回案件详情。"""
    user = current_user(request)
    step = lifecycle.BY_NAME.get(name)
    if step is None:
        raise Http404(f"没有名为“{name}”的办案环节")
    case = get_for_user(Case.objects.all(), user, Action.CHANGE, pk=case_id)
    data = _plain(payload.model_dump(exclude_none=True))
    extra = sorted(set(data) - set(step.fields))
    if extra:
        raise ValidationError({k: [f"“{step.label}”不需要填写该字段"] for k in extra})
    services.perform(user, case, name, **data)
    return _fresh(user, case)


def _timeline_row(entry: Entry) -> dict[str, Any]:
    detail = entry.detail or {}
    return {"index": entry.index, "time": entry.recorded_at, "type": entry.event_type,
            "type_label": event_label(entry.event_type), "actor": detail.get("actor_name", "系统"),
            "role_label": role_label(entry.actor_role) if entry.actor_role else "",
            "summary": detail.get("summary", "")}


@router.get("/{case_id}/timeline", response={200: list[s.TimelineEntryOut], **READ_ERRORS}, summary="办案过程",
            operation_id="cases_timeline", url_name="cases_timeline")
def timeline(request: HttpRequest, case_id: int) -> list[dict]:
    """全过程记录中关于本案的全部条目，从早到晚：每次登记、修改、办理环节、制作文书和监督调阅。
    序号可用于 GET /ledger/entries/{index}/receipt 取得可离线验证的回执。"""
    case = get_for_user(Case.objects.all(), current_user(request), pk=case_id)
    return [_timeline_row(entry) for entry in history(case)]


# --- documents --------------------------------------------------------------------------------

@router.get("/{case_id}/documents", response={200: list[s.DocumentOut], **READ_ERRORS}, summary="案件的执法文书",
            operation_id="cases_documents_list", url_name="cases_documents_list")
def list_documents(request: HttpRequest, case_id: int) -> list[Document]:
    """本案已制作的执法文书，按制作时间排列，含文号和文件哈希。"""
    case = get_for_user(Case.objects.all(), current_user(request), pk=case_id)
    return list(case.documents.select_related("issued_by"))


@router.post("/{case_id}/documents", response={201: s.DocumentOut, **WRITE_ERRORS}, summary="制作执法文书",
             operation_id="cases_documents_create", url_name="cases_documents_create")
def issue_document(request: HttpRequest, case_id: int, payload: s.DocumentIn) -> Status:
    """按案件当前数据制作一份文书，按本机关编号规则编文号并记入全过程记录。
    只能制作当前环节可制作的文书（见详情的 issuable_documents），否则返回 422。"""
    user = current_user(request)
    case = get_for_user(Case.objects.all(), user, Action.CHANGE, pk=case_id)
    document = services.issue_document(user, case, payload.kind.value)
    return Status(201, Document.objects.select_related("issued_by").get(pk=document.pk))
