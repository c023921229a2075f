"""案卷评查 pages: scores of closed cases by agency, and one case's findings (supervisors add
their own)."""

from __future__ import annotations

from statistics import mean

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sanxiang.accounts.access import Action, get_for_user, restrict
from sanxiang.accounts.choices import Role
from sanxiang.cases.models import Case
from sanxiang.evidence import evaluation


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    cases = restrict(Case.objects.filter(state__in=evaluation.EVALUATED_STATES), request.user, Action.VIEW)
    page = Paginator(cases.select_related("agency").order_by("agency__name", "-closed_on", "-id"), 50).get_page(
        request.GET.get("page"))
    rows = [evaluation.evaluate(case) for case in page]
    by_agency: dict[str, list[int]] = {}
    for row in rows:
        by_agency.setdefault(row.case.agency.name, []).append(row.score)
    summary = [(name, len(scores), round(mean(scores), 1), min(scores)) for name, scores in by_agency.items()]
    return render(request, "evidence/evaluation_overview.html", {"page": page, "rows": rows, "summary": summary})


@login_required
def case_detail(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_for_user(Case.objects.select_related("agency"), request.user, Action.VIEW, pk=case_pk)
    if request.method == "POST":
        try:
            deduction = int(request.POST.get("deduction") or 0)
            evaluation.add_finding(request.user, case, request.POST.get("text", ""), deduction)
        except ValueError:
            messages.error(request, "扣分须为整数")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            raise exc
        else:
            messages.success(request, "已记录评查意见")
            return redirect("evidence:evaluation_case", case_pk=case.pk)
    return render(request, "evidence/evaluation_case.html", {
        "case": case, "result": evaluation.evaluate(case),
        "may_add": request.user.has_role(Role.SUPERVISOR)})
