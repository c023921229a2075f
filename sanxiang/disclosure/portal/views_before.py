"""事前公开: agencies, officers, enforcement items, random-inspection items, discretion benchmarks
and service guides. Every query reads a ``Public*`` read model only (see ``sanxiang.disclosure.sync``)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanxiang.accounts.choices import EnforcementKind
from sanxiang.disclosure.models import (
    PublicAgency,
    PublicBenchmark,
    PublicInspectionItem,
    PublicItem,
    PublicOfficer,
    PublicServiceGuide,
)
from sanxiang.pages import paginate
from sanxiang.registry.choices import EXPIRED_LABEL, CredentialStatus

PER_PAGE = 30
AGENCY_PAGE_ITEMS = 100  # the agency page lists this many items; the item list has them all
_KINDS = dict(EnforcementKind.choices)
_STATUSES = dict(CredentialStatus.choices)


def certificate_status(officer: PublicOfficer, on: datetime.date | None = None) -> tuple[str, str]:
    """(label, css class) of an officer's certificate: 有效, 已过期 (derived from the date), 暂扣, 注销."""
    on = on or timezone.localdate()
    if officer.status == CredentialStatus.VALID and officer.expires_on < on:
        return EXPIRED_LABEL, "bad"
    return str(_STATUSES.get(officer.status, officer.status)), "ok" if officer.status == CredentialStatus.VALID else "bad"


def _agency_filter(request: HttpRequest, rows: QuerySet) -> tuple[QuerySet, int | None]:
    try:
        agency_id = int(request.GET.get("agency", ""))
    except ValueError:
        return rows, None
    return rows.filter(agency_id_public=agency_id), agency_id


def _list(request: HttpRequest, template: str, rows: QuerySet, **context: object) -> HttpResponse:
    rows, agency_id = _agency_filter(request, rows)
    agencies = PublicAgency.objects.only("agency_id_public", "name")
    return render(request, f"disclosure/portal/{template}",
                  {**paginate(request, rows, PER_PAGE), "agencies": agencies, "agency_id": agency_id, **context})


@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/portal/agency_list.html", {"agencies": PublicAgency.objects.all()})


@require_GET
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_object_or_404(PublicAgency, agency_id_public=agency_id)
    return render(request, "disclosure/portal/agency_detail.html", {
        "agency": agency,
        "items": PublicItem.objects.filter(agency_id_public=agency_id)[:AGENCY_PAGE_ITEMS],
        "item_count": PublicItem.objects.filter(agency_id_public=agency_id).count(),
        "inspection_items": PublicInspectionItem.objects.filter(agency_id_public=agency_id),
        "guides": PublicServiceGuide.objects.filter(agency_id_public=agency_id).only("guide_id", "name"),
        "officer_count": PublicOfficer.objects.filter(agency_id_public=agency_id).count(),
        "benchmark_count": PublicBenchmark.objects.filter(agency_id_public=agency_id).count(),
    })


@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    """人员清单, searchable by name or certificate number (exact or a prefix)."""
    q = request.GET.get("q", "").strip()[:40]
    rows = PublicOfficer.objects.all()
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(certificate_number__istartswith=q))
    return _list(request, "officer_list.html", rows, q=q)


@require_GET
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = get_object_or_404(PublicOfficer, officer_id=officer_id)
    label, css = certificate_status(officer)
    return render(request, "disclosure/portal/officer_detail.html", {
        "officer": officer, "status_label": label, "status_css": css,
        "categories": [str(_KINDS.get(k, k)) for k in officer.categories],
    })


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    rows = PublicItem.objects.all()
    kind = request.GET.get("kind", "")
    if kind in _KINDS:
        rows = rows.filter(kind=kind)
    return _list(request, "item_list.html", rows, kinds=EnforcementKind.choices, kind=kind)


@require_GET
def inspection_item_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "inspection_item_list.html", PublicInspectionItem.objects.all())


@require_GET
def benchmark_list(request: HttpRequest) -> HttpResponse:
    return _list(request, "benchmark_list.html", PublicBenchmark.objects.all())


@require_GET
def guide_list(request: HttpRequest) -> HttpResponse:
    rows = PublicServiceGuide.objects.only("guide_id", "name", "agency_name", "time_limit", "fees")
    return _list(request, "guide_list.html", rows)


@require_GET
def guide_detail(request: HttpRequest, guide_id: int) -> HttpResponse:
    guide = get_object_or_404(PublicServiceGuide, guide_id=guide_id)
    return render(request, "disclosure/portal/guide_detail.html", {
        "guide": guide,
        "materials": [line for line in guide.materials.splitlines() if line.strip()],
        "process": [line for line in guide.process.splitlines() if line.strip()],
    })
