"""The case list: the cases a user may see, filtered by a whitelist, 50 a page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sanxiang.accounts.access import Action, can, restrict, visible_agencies
from sanxiang.accounts.models import User
from sanxiang.cases import filters
from sanxiang.cases.choices import Procedure
from sanxiang.cases.forms import own_items
from sanxiang.cases.holidays import current_calendar
from sanxiang.cases.models import Case
from sanxiang.cases.queries import DueInfo, next_due
from sanxiang.cases.services.editing import EDITORS
from sanxiang.pages import paginate
from sanxiang.registry.models import EnforcementItem, Officer

PAGE_SIZE = 50


@dataclass(frozen=True)
class Select:
    name: str
    label: str
    choices: list[tuple[str, str]]
    selected: str


@dataclass(frozen=True)
class Row:
    case: Case
    party: str
    deadline: DueInfo | None


def _choices(user: User, many_agencies: bool) -> dict[str, list[tuple[str, str]]]:
    officers = restrict(Officer.objects.select_related("agency"), user).order_by("agency_id", "name")
    items = restrict(EnforcementItem.objects.all(), user) if many_agencies else own_items(user)
    found = {
        "state": filters.STATE_CHOICES,
        "deadline": filters.DEADLINE_CHOICES,
        "officer": [(str(o.pk), f"{o.name}（{o.agency.short_name}）" if many_agencies else o.name) for o in officers],
        "item": [(str(i.pk), str(i)) for i in items.order_by("agency_id", "code")],
        "procedure": [(str(v), str(label)) for v, label in Procedure.choices],
    }
    if many_agencies:
        found["agency"] = [(str(a.pk), a.name) for a in visible_agencies(user).order_by("name")]
    return found


FILTER_LABELS = {"state": "办理环节", "deadline": "期限", "officer": "承办人", "item": "执法事项",
                 "procedure": "程序", "agency": "执法主体"}


def _selects(user: User, params: dict[str, str], many_agencies: bool) -> list[Select]:
    return [Select(name, FILTER_LABELS[name], choices, params.get(name, ""))
            for name, choices in _choices(user, many_agencies).items()]


def _rows(cases: list[Case]) -> list[Row]:
    today, calendar = timezone.localdate(), current_calendar()
    return [Row(case, _party_text(case), next_due(case, today, calendar)) for case in cases]


def _party_text(case: Case) -> str:
    names = [p.name for p in case.parties.all()]
    if len(names) > 2:
        return f"{names[0]}等{len(names)}人"
    return "、".join(names) or "—"


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    params = {k: request.GET.get(k, "") for k in filters.PARAMS}
    many_agencies = visible_agencies(user).count() > 1
    queryset = filters.filter_cases(restrict(Case.objects.all(), user), params, timezone.localdate(),
                                    current_calendar())
    queryset = queryset.select_related("agency", "item").prefetch_related("parties")
    context = paginate(request, queryset, PAGE_SIZE)
    context.update({
        "rows": _rows(list(context["page"])),
        "selects": _selects(user, params, many_agencies),
        "party": params["party"],
        "sort": params["sort"] or "next_due",
        "sorts": filters.SORT_CHOICES,
        "filtered": any(params[k] for k in filters.PARAMS if k != "sort"),
        "show_agency": many_agencies,
        "can_register": can_register(user),
    })
    return render(request, "cases/list.html", context)


def can_register(user: User) -> bool:
    """Whether to offer 登记案件线索 (register_case's own test: an editor role, may add cases)."""
    return can(user, Action.ADD, Case) and bool(user.role_codes & EDITORS)
