"""Taking a lifecycle step (services.perform) and issuing a document (services.issue_document)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts.access import Action, acting_roles, get_for_user
from sanxiang.accounts.services import ServiceError
from sanxiang.cases import lifecycle, services
from sanxiang.cases.choices import CaseState, DocumentKind
from sanxiang.cases.forms import TransitionForm
from sanxiang.cases.lifecycle import Transition
from sanxiang.cases.models import Case
from sanxiang.cases.views.common import case_url, visible_case
from sanxiang.cases.views.detail import INPUT_PRECONDITIONS

STATE_LABELS = dict(CaseState.choices)


def _transition(name: str) -> Transition:
    try:
        return lifecycle.transition(name)
    except KeyError:
        raise Http404("没有该办理环节") from None


def _case_for_step(user, pk: int, transition: Transition) -> Case:
    """404 if the case is hidden, 403 if the user's roles on it do not include the step's."""
    case = get_for_user(Case.objects.select_related("agency", "item"), user, Action.CHANGE, pk=pk)
    if not acting_roles(user, case) & transition.roles:
        raise PermissionDenied(f"您在本案中无权办理“{transition.label}”")
    return case


def _problems(user, case: Case, transition: Transition) -> list[str]:
    for t, problems in services.allowed_transitions(user, case):
        if t.name == transition.name:
            return problems
    return []


@login_required
@require_http_methods(["GET", "POST"])
def transition_page(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = request.user
    transition = _transition(name)
    case = _case_for_step(user, pk, transition)
    if case.state not in transition.sources:
        messages.error(request, f"案件当前处于“{STATE_LABELS[CaseState(case.state)]}”环节，不能{transition.label}。")
        return redirect(case_url(case))
    data = request.POST if request.method == "POST" else None
    form = TransitionForm(data, transition=transition)
    if data is not None and form.is_valid():
        try:
            services.perform(user, case.pk, name, **form.step_data())
        except ServiceError as error:  # TransitionError among them: nothing was changed
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已办理：{transition.label}。")
            return redirect(case_url(case))
    problems = _problems(user, case, transition)
    return render(request, "cases/transition.html", {
        "case": case, "transition": transition, "form": form,
        "problems": [p for p in problems if p not in INPUT_PRECONDITIONS or not transition.fields],
        "hints": [p for p in problems if p in INPUT_PRECONDITIONS and transition.fields],
    })


@login_required
@require_POST
def issue_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = visible_case(request.user, pk)
    if kind not in DocumentKind.values:
        raise Http404("没有该文书种类")
    try:
        document = services.issue_document(request.user, case.pk, kind)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已制作《{document.get_kind_display()}》{document.number}。")
    return redirect(case_url(case, "documents"))
