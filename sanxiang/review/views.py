"""Pages of the legal review (重大执法决定法制审核): the reviewers' queue, the submission (送审) page
and the review page, where the reviewer gives the opinion and the handler, the reviewer and the
agency head take the later steps (objection, consultation, 集体讨论, extension, reassignment).

Every review and case is fetched through the access layer (another agency's is 404, a visible one
the user may not act on is 403) and every change goes through :mod:`sanxiang.review.services`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case as Conditional
from django.db.models import IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.access import Action, acting_roles, get_for_user, is_active_member, restrict
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import DecisionType, PenaltyKind
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.lifecycle import HANDLERS
from sanxiang.cases.models import Case
from sanxiang.cases.queries import DueInfo
from sanxiang.cases.schedule import due_status, rulebook
from sanxiang.cases.views.common import case_url
from sanxiang.cases.views.detail import document_rows
from sanxiang.ledger.reads import record_supervisory_read
from sanxiang.pages import paginate, plain
from sanxiang.review import materials, services
from sanxiang.review.choices import OPEN, REVIEW_POINT_LABELS, Finding, ReviewStatus
from sanxiang.review.forms import (
    CollectiveForm,
    ConsultationForm,
    ExtendForm,
    ObjectionForm,
    OpinionForm,
    ReassignForm,
    SubmitForm,
)
from sanxiang.review.models import LegalReview

R = ReviewStatus
PAGE_SIZE = 50
# Who reads the queue: the reviewers, the heads of their agency, the supervisors of the jurisdiction.
QUEUE_ROLES = frozenset({Role.REVIEWER, Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR})
# The roles each action needs, as the services check them, and the status it starts from.
ACTIONS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "opinion": (frozenset({Role.REVIEWER}), (R.PENDING,)),
    "extend": (frozenset({Role.REVIEWER, Role.AGENCY_HEAD}), (R.PENDING,)),
    "reassign": (frozenset({Role.AGENCY_HEAD, Role.UNIT_HEAD}), (R.PENDING,)),
    "object": (HANDLERS, (R.PROBLEMS,)),
    "consult": (frozenset({Role.REVIEWER}), (R.CONSULTATION,)),
    "collective": (frozenset({Role.AGENCY_HEAD}), (R.COLLECTIVE,)),
}
STATUS_FILTERS = [("open", "未办结"), *[(s.value, s.label) for s in ReviewStatus], ("all", "全部")]
PENALTY_LABELS = dict(PenaltyKind.choices)
TYPE_LABELS = dict(DecisionType.choices)
FINDING_LABELS = dict(Finding.choices)


# --- deadlines --------------------------------------------------------------------------------

def review_due(review: LegalReview, today: dt.date | None = None, soon: int | None = None) -> DueInfo | None:
    """The review period's end with its flag (the agency's 临期提醒 rule, working days); None once
    the reviewer has answered."""
    if review.status != R.PENDING:
        return None
    today, calendar = today or timezone.localdate(), current_calendar()
    soon = rulebook(review.case.agency_id).value("due_soon") if soon is None else soon
    return DueInfo(review.due_on, "已延长" if review.extension_reason else "",
                   due_status(review.due_on, today, calendar, soon), False)


# --- the queue --------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    review: LegalReview
    due: DueInfo | None
    mine: bool


def _queue_queryset(user: User, scope: str, status: str):
    reviews = restrict(LegalReview.objects.select_related("case", "case__agency", "reviewer", "submitted_by"), user)
    if status == "open":
        reviews = reviews.filter(status__in=OPEN)
    elif status in R.values:
        reviews = reviews.filter(status=status)
    if scope == "mine":
        reviews = reviews.filter(reviewer=user)
    # A reviewer's own submissions come first when the whole agency is shown.
    mine_first = Conditional(When(reviewer=user, then=Value(0)), default=Value(1), output_field=IntegerField())
    return reviews.annotate(mine_first=mine_first).order_by("mine_first", "due_on", "id")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (is_active_member(user) and user.role_codes & QUEUE_ROLES):
        raise PermissionDenied("审核队列供法制审核人员、机关负责人、承办机构负责人和监督人员查看")
    is_reviewer = user.has_role(Role.REVIEWER)
    scope = request.GET.get("scope") or ("mine" if is_reviewer else "all")
    scope = scope if scope in {"mine", "all"} else "all"
    status = request.GET.get("status") or "open"
    status = status if status in dict(STATUS_FILTERS) else "open"
    context = paginate(request, _queue_queryset(user, scope, status), PAGE_SIZE)
    soon: dict[int, int] = {}
    today = timezone.localdate()
    rows = []
    for review in context["page"]:
        agency_id = review.case.agency_id
        soon.setdefault(agency_id, rulebook(agency_id).value("due_soon"))
        rows.append(QueueRow(review, review_due(review, today, soon[agency_id]), review.reviewer_id == user.pk))
    context.update({"rows": rows, "scope": scope, "status": status, "statuses": STATUS_FILTERS,
                    "is_reviewer": is_reviewer, "show_agency": user.has_role(Role.SUPERVISOR)})
    return render(request, "review/queue.html", context)


# --- the submission ---------------------------------------------------------------------------

def _case_for_submit(user: User, pk: int) -> Case:
    case = get_for_user(Case.objects.select_related("agency", "item"), user, Action.CHANGE, pk=pk)
    if not acting_roles(user, case) & HANDLERS:
        raise PermissionDenied("送法制审核须由本案承办人或承办机构负责人办理")
    return case


@dataclass(frozen=True)
class MaterialRow:
    item: materials.Material
    written: bool  # the handler writes it on this page
    ok_when_empty: bool  # whether it is complete without the text (the page's script needs it)


def checklist_rows(case: Case, texts: dict[str, str]) -> list[MaterialRow]:
    empty = {m.code: m.ok for m in materials.checklist(case, {})}
    return [MaterialRow(m, m.code in materials.TEXT_MATERIALS, empty.get(m.code, False))
            for m in materials.checklist(case, texts)]


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, case_pk: int) -> HttpResponse:
    user = request.user
    case = _case_for_submit(user, case_pk)
    if case.state not in services.SUBMITTABLE_FROM:
        messages.error(request, f"案件处于“{case.get_state_display()}”环节，不能送法制审核（须在案件审查或待决定环节）。")
        return redirect(case_url(case))
    reviewers = [u for u in services.eligible_reviewers(case) if u.pk != user.pk]
    data = request.POST if request.method == "POST" else None
    form = SubmitForm(data, case=case, reviewers=reviewers)
    if data is not None and form.is_valid():
        try:
            review = services.submit(user, case.pk, form.texts(), reviewer=form.reviewer_pk())
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已送法制审核（第{review.version}次送审），审核人员："
                                      f"{review.reviewer.get_full_name() or review.reviewer}，"
                                      f"审核期限 {review.due_on:%Y-%m-%d}。")
            return redirect("review:detail", pk=review.pk)
    texts = {k: (data or {}).get(k, "") for k in materials.TEXT_MATERIALS}
    return render(request, "review/submit.html", {
        "case": case, "form": form, "checklist": checklist_rows(case, texts),
        "text_materials": materials.TEXT_MATERIALS, "reviewers": reviewers,
        "previous": case.legal_reviews.order_by("-version").first(),
        "major": services.catalog.evaluate(case),
    })


# --- the review page --------------------------------------------------------------------------

def visible_review(user: User, pk: int) -> LegalReview:
    queryset = LegalReview.objects.select_related("case", "case__agency", "case__item", "reviewer", "submitted_by",
                                                  "collective_chair")
    return get_for_user(queryset, user, pk=pk)


class ReviewPermissions:
    """What ``user`` may do on ``review`` now, from the access layer's acting roles on its case and
    the review's status (forms only: the services check again)."""

    def __init__(self, user: User, review: LegalReview) -> None:
        self.review = review
        self.roles = acting_roles(user, review.case)

    def has_role(self, action: str) -> bool:
        return bool(self.roles & ACTIONS[action][0])

    def may(self, action: str) -> bool:
        if not self.has_role(action) or self.review.status not in ACTIONS[action][1]:
            return False
        if action == "extend":
            return not self.review.extension_reason
        return True


def _display(name: str, value: object) -> str:
    if name == "proposed_type":
        return str(TYPE_LABELS.get(value, value or "—"))
    if name == "proposed_penalties":
        return "、".join(str(PENALTY_LABELS.get(c, c)) for c in value or []) or "—"
    if name == "proposed_basis":
        return "；".join(value or []) or "—"
    return plain(value)


DIFF_FIELDS = ("proposed_type", "proposed_penalties", "proposed_fine", "proposed_confiscation", "proposed_basis",
               "benchmark", "proposal_text", "facts", "hearing_concluded_on")


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def proposal_changes(old: LegalReview, new: LegalReview) -> list[Change]:
    """What changed in the submitted proposal between two versions (fields whose copy differs)."""
    found = []
    for name in DIFF_FIELDS:
        before, after = _display(name, getattr(old, name)), _display(name, getattr(new, name))
        if before != after:
            found.append(Change(str(LegalReview._meta.get_field(name).verbose_name), before, after))
    return found


@dataclass(frozen=True)
class Version:
    review: LegalReview
    opinion: object
    changes: list[Change]
    previous: int | None


def versions(case: Case) -> list[Version]:
    """Every submission of the case, newest first, with its opinion and its changes from the one before."""
    reviews = list(case.legal_reviews.select_related("reviewer", "submitted_by").prefetch_related("opinions")
                   .order_by("version"))
    found = []
    for i, review in enumerate(reviews):
        before = reviews[i - 1] if i else None
        found.append(Version(review, review.opinions.first(), proposal_changes(before, review) if before else [],
                             before.version if before else None))
    return list(reversed(found))


@dataclass(frozen=True)
class FindingRow:
    label: str
    finding: str
    finding_label: str
    note: str


def finding_rows(opinion) -> list[FindingRow]:
    if opinion is None:
        return []
    return [FindingRow(REVIEW_POINT_LABELS[code], v.get("finding", ""), str(FINDING_LABELS.get(v.get("finding"), "—")),
                       v.get("note", "")) for code, v in opinion.findings.items() if code in REVIEW_POINT_LABELS]


def _forms(user: User, review: LegalReview, perms: ReviewPermissions, bound: dict[str, forms.Form]) -> dict:
    """The unbound form of every action the user may take now (or the bound one that failed)."""
    makers: dict[str, Callable[[], forms.Form]] = {
        "opinion": OpinionForm, "extend": ExtendForm, "object": ObjectionForm, "consult": ConsultationForm,
        "collective": CollectiveForm,
        "reassign": lambda: ReassignForm(reviewers=_reassignable(review)),
    }
    return {f"{name}_form": bound.get(name) or make() for name, make in makers.items() if perms.may(name)}


def _reassignable(review: LegalReview) -> list[User]:
    return [u for u in services.eligible_reviewers(review.case)
            if u.pk not in (review.reviewer_id, review.submitted_by_id)]


def _evidence(user: User, case: Case) -> list:
    from sanxiang.evidence.models import Evidence

    return list(restrict(Evidence.objects.filter(case=case).select_related("recorder"), user)
                .order_by("recorded_at", "id"))


def render_detail(request: HttpRequest, review: LegalReview, bound: dict[str, forms.Form] | None = None,
                  status: int = 200) -> HttpResponse:
    user, case = request.user, review.case
    perms = ReviewPermissions(user, review)
    opinion = review.opinions.select_related("document", "reviewer").first()
    latest = case.legal_reviews.order_by("-version").first()
    documents = document_rows(case)
    context = {
        "review": review, "case": case, "opinion": opinion, "findings": finding_rows(opinion),
        "is_latest": latest.pk == review.pk, "latest": latest,
        "due": review_due(review),
        "proposed_type": _display("proposed_type", review.proposed_type),
        "proposed_penalties": _display("proposed_penalties", review.proposed_penalties),
        "materials": list(review.materials.values()),
        "major_rules": _rule_labels(case.agency_id, review.major_rules),
        "evidence": _evidence(user, case),
        "documents": documents,
        "opinion_document": next((row for row in documents if opinion and row.document.pk == opinion.document_id),
                                 None),
        "versions": versions(case),
        "responsibility": services.responsibility(review),
        "may_resubmit": (latest.pk == review.pk and review.status in (R.PROBLEMS, R.RETURNED, R.COLLECTIVE_REJECTED)
                         and bool(perms.roles & HANDLERS)),
        "assigned_elsewhere": perms.may("opinion") and review.reviewer_id != user.pk,
        **_forms(user, review, perms, bound or {}),
    }
    return render(request, "review/detail.html", context, status=status)


def _rule_labels(agency_id: int, codes: list[str]) -> list[str]:
    from sanxiang.review import catalog

    labels = {r.code: r.label for r in (*catalog.DEFAULTS, *catalog.rules_for(agency_id))}
    labels["full_coverage"] = "全覆盖审核"
    return [labels.get(code, code) for code in codes or []]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = visible_review(request.user, pk)
    record_supervisory_read(request.user, review.case)  # as the case page does: the materials are the case's
    return render_detail(request, review)


@login_required
def case_latest(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The case's latest submission (the case page links here), or the submission page."""
    case = get_for_user(Case.objects.all(), request.user, pk=case_pk)
    latest = case.legal_reviews.order_by("-version").first()
    if latest is not None:
        return redirect("review:detail", pk=latest.pk)
    if acting_roles(request.user, case) & HANDLERS and case.state in services.SUBMITTABLE_FROM:
        return redirect("review:submit", case_pk=case.pk)
    raise Http404("本案尚未送法制审核")


# --- actions on the review page ---------------------------------------------------------------

def _do_opinion(user: User, review: LegalReview, form: OpinionForm) -> str:
    opinion = services.give_opinion(user, review.pk, **form.opinion_data())
    return f"已出具审核意见：{opinion.get_outcome_display()}。"


def _do_extend(user: User, review: LegalReview, form: ExtendForm) -> str:
    review = services.extend(user, review.pk, form.cleaned_data["reason"])
    return f"审核期限已延长至 {review.due_on:%Y-%m-%d}。"


def _do_reassign(user: User, review: LegalReview, form: ReassignForm) -> str:
    review = services.reassign(user, review.pk, int(form.cleaned_data["reviewer"]))
    return f"已改派法制审核人员：{review.reviewer.get_full_name() or review.reviewer}。"


def _do_object(user: User, review: LegalReview, form: ObjectionForm) -> str:
    services.object_to(user, review.pk, form.cleaned_data["text"])
    return "已提出书面异议，等待审核人员协商。"


def _do_consult(user: User, review: LegalReview, form: ConsultationForm) -> str:
    data = form.cleaned_data
    services.record_consultation(user, review.pk, data["record"], data["result"])
    return "已记录协商结果。"


def _do_collective(user: User, review: LegalReview, form: CollectiveForm) -> str:
    services.conclude_collective(user, review.pk, **form.cleaned_data)
    return "已记录集体讨论结论。"


DOERS: dict[str, tuple[Callable[..., forms.Form], Callable[[User, LegalReview, forms.Form], str]]] = {
    "opinion": (OpinionForm, _do_opinion),
    "extend": (ExtendForm, _do_extend),
    "reassign": (lambda data, review: ReassignForm(data, reviewers=_reassignable(review)), _do_reassign),
    "object": (ObjectionForm, _do_object),
    "consult": (ConsultationForm, _do_consult),
    "collective": (CollectiveForm, _do_collective),
}


def _form_for(action: str, data, review: LegalReview) -> forms.Form:
    make = DOERS[action][0]
    return make(data, review) if action == "reassign" else make(data)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST of one of the review page's forms: 404 for another agency's review, 403 without the
    role, the form again with the service's Chinese refusal (409 when someone else acted first)."""
    if action not in DOERS:
        raise Http404("没有该操作")
    user = request.user
    review = visible_review(user, pk)
    if not ReviewPermissions(user, review).has_role(action):
        raise PermissionDenied("您在本案中无权执行该操作")
    form = _form_for(action, request.POST, review)
    status = 200
    if form.is_valid():
        try:
            message = DOERS[action][1](user, review, form)
        except services.ReviewConflict as error:
            form.add_error(None, str(error))
            status = 409
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect("review:detail", pk=review.pk)
    review.refresh_from_db()
    if not ReviewPermissions(user, review).may(action):
        # The form is no longer shown (the submission moved on): say why above the page.
        for error in form.non_field_errors():
            messages.error(request, error)
    return render_detail(request, review, {action: form}, status=status)


def review_url(review: LegalReview) -> str:
    return reverse("review:detail", kwargs={"pk": review.pk})


__all__ = ["act", "case_latest", "detail", "queue", "review_url", "submit"]
