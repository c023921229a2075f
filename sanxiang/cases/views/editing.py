"""Registering a case and editing its data. The forms check input; the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sanxiang.accounts.services import ServiceError
from sanxiang.cases import services
from sanxiang.cases.choices import CaseState, PartyKind, Procedure
from sanxiang.cases.forms import CaseForm, PartyForm, edit_form_class
from sanxiang.cases.models import Case
from sanxiang.cases.services.editing import EDITABLE
from sanxiang.cases.views.common import case_for_change, case_url
from sanxiang.cases.views.listing import can_register
from sanxiang.registry.forms import add_validation_error

# How the edit page groups the fields (only those editable in the case's step are shown).
GROUPS = [
    ("基本信息", ["title", "source", "source_note", "item", "received_on", "facts"]),
    ("拟处理意见", ["proposed_type", "proposed_penalties", "proposed_fine", "proposed_confiscation",
                "proposed_basis", "benchmark", "proposal_text"]),
    ("处理决定", ["decision_type", "decision_penalties", "decision_fine", "decision_confiscation",
              "decision_basis", "decision_text"]),
    ("重大执法决定", ["is_major", "major_reason"]),
]


def show_error(form, error: Exception) -> None:
    """A refusal from the services, shown on the form (nothing was changed)."""
    if isinstance(error, ValidationError):
        add_validation_error(form, error)
    else:
        form.add_error(None, str(error))


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_register(user):
        raise PermissionDenied("无权登记案件线索：须由执法人员或承办机构负责人办理")
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, user=user)
    party = PartyForm(data, prefix="party", empty_permitted=True, use_required_attribute=False,
                      initial={"kind": PartyKind.NATURAL_PERSON})
    if data is not None and form.is_valid() and party.is_valid():
        try:
            case = services.register_case(
                user, **form.case_data(), parties=[party.party_data()] if party.has_changed() else [],
                officers=list(form.cleaned_data["officers"]), lead=form.cleaned_data["lead"])
        except (ServiceError, ValidationError) as error:
            show_error(form, error)
        else:
            messages.success(request, f"已登记案件线索“{case.title}”。")
            return redirect(case_url(case))
    return render(request, "cases/create.html", {"form": form, "party_form": party})


def editable_fields(case: Case) -> list[str]:
    state = CaseState(case.state)
    names = [name for name, states in EDITABLE.items() if state in states]
    if state == CaseState.CLUE and case.procedure != Procedure.SIMPLE:
        # A normal-procedure clue gets its decision only after examination and notice.
        names = [n for n in names if not n.startswith("decision_")]
    return names


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = case_for_change(user, pk, "edit")
    names = editable_fields(case)
    data = request.POST if request.method == "POST" else None
    query = (request.POST.get("article_q") or request.GET.get("article_q") or "").strip()
    form = edit_form_class(names)(data, instance=Case.objects.get(pk=case.pk), user=user, article_query=query)
    searching = data is not None and "search_articles" in data
    if data is not None and not searching and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, "没有修改任何内容。")
            return redirect(case_url(case))
        try:
            services.update_case(user, case.pk, changes)
        except (ServiceError, ValidationError) as error:
            show_error(form, error)
        else:
            messages.success(request, "案件信息已保存。")
            return redirect(case_url(case))
    if searching:
        form.errors.clear()  # a search re-shows the form with more articles; nothing is checked yet
    groups = [(title, [form[n] for n in fields if n in form.fields]) for title, fields in GROUPS]
    return render(request, "cases/edit.html", {
        "case": case, "form": form, "groups": [g for g in groups if g[1]], "article_q": query,
        "has_basis": any(n.endswith("_basis") for n in names),
    })
