"""The publisher's pages (公示审核) at /disclosure/: the queue of drafts by due date, the
side-by-side check of each draft (original and redacted text, every replacement marked, add or
undo one, approve → publish, withdraw), the public's error reports (纠错) and the agency's
publication settings.

Supervisors read the queue and drafts of their jurisdiction; only the agency's publisher acts.
Rows are fetched through the access layer (another agency's is 404); every change goes through
:mod:`sanxiang.disclosure.services`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxiang.accounts.access import Action, get_for_user, is_active_member, restrict
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.disclosure import drafting, rules, services
from sanxiang.disclosure.choices import Category, Profile, PublicationStatus, ReportStatus, WithdrawalKind
from sanxiang.disclosure.deidentify import KIND_LABELS
from sanxiang.disclosure.models import ErrorReport, Publication, PublicEntry
from sanxiang.pages import paginate

P = PublicationStatus
PAGE_SIZE = 50
READERS = frozenset({Role.PUBLISHER, Role.SUPERVISOR})
STATUS_FILTERS = [(s.value, s.label) for s in PublicationStatus] + [("all", "全部")]
SOURCE_LABELS = {"known": "案件已知信息", "pattern": "格式规则", "context": "上下文规则", "segmenter": "分词识别",
                 "manual": "人工添加"}
PLAIN_FIELDS = ("document_number", "party_uscc", "legal_representative", "outcome", "fine", "agency_name",
                "decided_on")


def _require_reader(user: User) -> None:
    if not (is_active_member(user) and user.role_codes & READERS):
        raise PermissionDenied("公示审核页面供公示管理员和监督人员使用")


def _acts_on(user: User, publication: Publication) -> bool:
    return user.has_role(Role.PUBLISHER) and publication.agency_id == user.agency_id


@dataclass(frozen=True)
class QueueRow:
    publication: Publication
    due: str


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_reader(user)
    status = request.GET.get("status") or P.DRAFT
    status = status if status in dict(STATUS_FILTERS) else P.DRAFT
    rows = services.visible_publications(user)
    if status != "all":
        rows = rows.filter(status=status)
    context = paginate(request, rows.order_by("due_on", "id"), PAGE_SIZE)
    today = timezone.localdate()
    context["rows"] = [QueueRow(p, services.due_status(p.due_on, today) if p.status == P.DRAFT else "")
                       for p in context["page"]]
    context.update(status=status, statuses=STATUS_FILTERS, flags=services.flags(user, today),
                   read_only=not user.has_role(Role.PUBLISHER), show_agency=user.has_role(Role.SUPERVISOR),
                   may_configure=services.may_configure(user))
    return render(request, "disclosure/publisher/queue.html", context)


@dataclass(frozen=True)
class FieldView:
    name: str
    label: str
    segments: list
    replacements: list
    changed: bool


def _fields(publication: Publication) -> list[FieldView]:
    views = []
    for name in drafting.TEXT_FIELDS:
        result = drafting.result_of(publication.original, publication.replacements, name)
        rows = [(r, KIND_LABELS.get(r.kind, r.kind), SOURCE_LABELS.get(r.source, r.source))
                for r in result.replacements]
        views.append(FieldView(name, drafting.FIELD_LABELS[name], result.segments(), rows, bool(rows)))
    return views


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    publication = get_for_user(Publication.objects.select_related("agency", "case", "approved_by"), user,
                               Action.VIEW, pk=pk)
    _require_reader(user)
    entry = PublicEntry.objects.filter(public_id=publication.public_id).first()
    plain = [(drafting.FIELD_LABELS[n], publication.redacted.get(n) or "") for n in PLAIN_FIELDS]
    context = {
        "publication": publication, "entry": entry, "fields": _fields(publication), "plain": plain,
        "acts": _acts_on(user, publication), "kinds": list(KIND_LABELS.items()),
        "text_fields": [(n, drafting.FIELD_LABELS[n]) for n in drafting.TEXT_FIELDS],
        "withdrawal_kinds": WithdrawalKind.choices,
        "due": services.due_status(publication.due_on) if publication.status == P.DRAFT else "",
        "reports": publication.reports.order_by("-created_at"),
    }
    return render(request, "disclosure/publisher/detail.html", context)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise ServiceError("参数格式不正确") from None


ACTIONS = {
    "redact": lambda u, pk, d: services.add_replacement(u, pk, d.get("field", ""), d.get("text", ""),
                                                        d.get("kind") or "name"),
    "undo": lambda u, pk, d: services.undo_replacement(u, pk, d.get("field", ""), _int(d.get("start")),
                                                       _int(d.get("end"))),
    "publish": lambda u, pk, d: services.publish(u, pk),
    "withdraw": lambda u, pk, d: services.withdraw(u, pk, d.get("reason", ""), d.get("kind") or WithdrawalKind.ERROR),
}
DONE = {"redact": "已增加替换", "undo": "已撤销该替换", "publish": "已审核并公示", "withdraw": "已撤下"}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    get_for_user(Publication.objects.all(), user, Action.VIEW, pk=pk)  # 404 before anything else
    if action not in ACTIONS:
        raise PermissionDenied("没有这一操作")
    try:
        ACTIONS[action](user, pk, request.POST)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DONE[action])
    return redirect("disclosure:detail", pk=pk)


# --- 纠错 ---------------------------------------------------------------------------------------

@login_required
def reports(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_reader(user)
    status = request.GET.get("status") or ReportStatus.OPEN
    rows = restrict(ErrorReport.objects.select_related("publication", "publication__agency"), user)
    if status in ReportStatus.values:
        rows = rows.filter(status=status)
    context = paginate(request, rows.order_by("created_at", "id"), PAGE_SIZE)
    context.update(status=status, statuses=[*ReportStatus.choices, ("all", "全部")],
                   show_agency=user.has_role(Role.SUPERVISOR))
    return render(request, "disclosure/publisher/reports.html", context)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = get_for_user(ErrorReport.objects.select_related("publication", "answered_by"), user, Action.VIEW, pk=pk)
    _require_reader(user)
    acts = _acts_on(user, found.publication)
    if request.method == "POST":
        if not acts:
            raise PermissionDenied("须由本机关公示管理员答复")
        try:
            services.answer_report(user, pk, request.POST.get("answer", ""))
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "已答复")
            return redirect("disclosure:report", pk=pk)
    entry = PublicEntry.objects.filter(public_id=found.publication.public_id).first()
    return render(request, "disclosure/publisher/report.html", {"report": found, "entry": entry, "acts": acts})


# --- settings ---------------------------------------------------------------------------------

@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.may_configure(user):
        raise PermissionDenied("公示设置由本机关系统管理员或公示管理员维护")
    if request.method == "POST":
        try:
            services.update_settings(user, profile=request.POST.get("profile", ""),
                                     auto_approve=request.POST.getlist("auto_approve"))
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "公示设置已保存")
            return redirect("disclosure:settings")
    current = services.settings_for(user.agency)
    context = {"current": current, "profiles": Profile.choices, "categories": Category.choices,
               "profile_rules": [rules.rules_for(p) for p in Profile.values],
               "deadlines": [(label, [rules.rules_for(p).deadline(c) for p in Profile.values])
                             for c, label in Category.choices]}
    return render(request, "disclosure/publisher/settings.html", context)
