"""Pages of the 重大执法决定法制审核目录清单, the 全覆盖 setting and the reviewer staffing.

Reading: every member reads their own agency's catalog, a supervisor those of the agencies of their
jurisdiction (``?agency=<pk>``; another agency's is 404). Changing: the agency's admin only (403
otherwise), through :mod:`sanxiang.review.catalog_services`. The public page of an agency's catalog
needs no login (事前公开; the disclosure portal links to it).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.accounts.access import Action, can, get_for_user
from sanxiang.accounts.choices import EnforcementKind
from sanxiang.accounts.models import Agency
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import PenaltyKind
from sanxiang.review import catalog_services as services
from sanxiang.review import presenting, staffing
from sanxiang.review.choices import RuleKind
from sanxiang.review.models import CatalogRule

VALUE_CHOICES = {RuleKind.PENALTY_KINDS: PenaltyKind.choices, RuleKind.ITEM_KINDS: EnforcementKind.choices}
_SPLIT = re.compile(r"[\s,，、;；]+")


def _agency(request: HttpRequest, action: Action = Action.VIEW) -> Agency:
    pk = request.GET.get("agency") or request.user.agency_id
    return get_for_user(Agency.objects.all(), request.user, action, pk=pk)


def _amount(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ServiceError("数额标准须为数字（元）") from None


def _values(request: HttpRequest) -> list[str]:
    picked = request.POST.getlist("values")
    typed = [v for v in _SPLIT.split(request.POST.get("values_text", "")) if v]
    return list(dict.fromkeys(picked + typed))


def _apply(request: HttpRequest) -> str:
    """Run the posted change; the success message."""
    action, post, user = request.POST.get("action"), request.POST, request.user
    if action == "change":
        rule = services.change_rule(user, post.get("code", ""), amount=_amount(post.get("amount", "")),
                                    values=_values(request), enabled=post.get("enabled") == "on",
                                    label=post.get("label"))
        return f"已修改目录事项：{rule.label}"
    if action == "add":
        rule = services.add_rule(user, label=post.get("label", ""), kind=post.get("kind", ""),
                                 source=post.get("source", ""), amount=_amount(post.get("amount", "")),
                                 values=_values(request))
        return f"已新增目录事项：{rule.label}"
    if action == "delete":
        services.delete_rule(user, post.get("code", ""))
        return "已删除本机关自定的目录事项"
    if action == "coverage":
        on = post.get("full_coverage") == "on"
        services.set_full_coverage(user, on)
        return "已开启全覆盖审核" if on else "已关闭全覆盖审核，按目录清单审核"
    raise ServiceError("未知的操作")


def _rows(data: dict) -> list[dict]:
    for rule in data["rules"]:
        rule["choices"] = VALUE_CHOICES.get(rule["kind"], ())
        rule["is_amount"] = rule["kind"] in services.catalog.AMOUNT_KINDS
        rule["own"] = rule["code"] not in services.DEFAULTS
    return data["rules"]


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    agency = _agency(request, Action.CHANGE if request.method == "POST" else Action.VIEW)
    error = ""
    if request.method == "POST":
        try:
            messages.success(request, _apply(request))
            return HttpResponseRedirect(reverse("review_catalog:index"))
        except ServiceError as failure:
            error = str(failure)
    data = presenting.catalog_dict(agency)
    return render(request, "review/catalog.html", {
        "agency": agency, "rules": _rows(data), "customised": data["customised"],
        "full_coverage": data["full_coverage"], "error": error,
        "may_change": agency.pk == request.user.agency_id and can(request.user, Action.CHANGE, CatalogRule),
        "kinds": RuleKind.choices, "penalty_kinds": PenaltyKind.choices, "item_kinds": EnforcementKind.choices,
        "public_url": reverse("review_catalog:public", args=[agency.pk]),
    }, status=422 if error else 200)


@require_GET
def public(request: HttpRequest, agency_id: int) -> HttpResponse:
    """事前公开: an agency's catalog for anyone (no login); read-only."""
    agency = get_object_or_404(Agency, pk=agency_id)
    data = presenting.catalog_dict(agency)
    return render(request, "review/catalog_public.html", {"agency": agency, "rules": data["rules"],
                                                           "full_coverage": data["full_coverage"]})


@login_required
@require_GET
def staffing_page(request: HttpRequest) -> HttpResponse:
    rows = staffing.for_user(request.user)
    return render(request, "review/staffing.html", {"rows": rows, "source": staffing.SOURCE,
                                                    "short": [r for r in rows if r.short]})
