"""The portal's home, flow chart, supervision and remedy channels, legal-review catalogs and
statistics. Reads the ``Public*`` read models only."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sanxiang.cases.lifecycle import PRECONDITIONS
from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import PublicAgency, PublicEntry
from sanxiang.disclosure.portal import charts
from sanxiang.disclosure.portal.flowchart import edges, flow_svg

LATEST = 8
# Decisions counted in the statistics: those published and those whose period ran out (公示期满),
# not those withdrawn (a withdrawn decision was changed, revoked or void).
COUNTED = (PublicationStatus.PUBLISHED, PublicationStatus.EXPIRED)
_CATEGORIES = dict(Category.choices)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    latest = (PublicEntry.objects.filter(status=PublicationStatus.PUBLISHED)
              .only("public_id", "title", "agency_name", "decided_on", "category")[:LATEST])
    return render(request, "disclosure/portal/home.html", {"latest": latest})


@require_GET
def flow(request: HttpRequest) -> HttpResponse:
    steps = [{"source": e.source.label, "target": e.target.label, "label": e.transition.label,
              "law": e.transition.law,
              "requires": [PRECONDITIONS[code] for code in e.transition.requires if code in PRECONDITIONS]}
             for e in edges()]
    return render(request, "disclosure/portal/flow.html", {"svg": mark_safe(flow_svg()), "steps": steps})


@require_GET
@cache_control(public=True, max_age=3600)
def flow_image(request: HttpRequest) -> HttpResponse:
    return HttpResponse(flow_svg(), content_type="image/svg+xml; charset=utf-8")


@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """监督与救济渠道: 行政复议, 行政诉讼 and each agency's complaint phone."""
    agencies = PublicAgency.objects.only("agency_id_public", "name", "phone", "address")
    return render(request, "disclosure/portal/supervision.html", {"agencies": agencies})


@require_GET
def catalogs(request: HttpRequest) -> HttpResponse:
    """重大执法决定法制审核目录清单: each agency's public catalog page."""
    return render(request, "disclosure/portal/catalogs.html",
                  {"agencies": PublicAgency.objects.only("agency_id_public", "name")})


def _counted() -> QuerySet[PublicEntry]:
    return PublicEntry.objects.filter(status__in=COUNTED)


def _by(rows: QuerySet[PublicEntry], field: str, labels: dict[str, str] | None = None) -> list[tuple[str, int]]:
    counted = rows.values(field).annotate(n=Count("id")).order_by("-n", field)
    return [(str((labels or {}).get(r[field], r[field]) or "（未注明）"), r["n"]) for r in counted]


def _year(request: HttpRequest, years: list[int]) -> int | None:
    try:
        wanted = int(request.GET.get("year", ""))
    except ValueError:
        wanted = None
    if wanted in years:
        return wanted
    return years[-1] if years else None


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """Counts of published decisions by year and month, agency, kind and outcome (SVG charts)."""
    rows = _counted()
    yearly = [(str(r["y"]), r["n"]) for r in rows.annotate(y=ExtractYear("published_at"))
              .values("y").annotate(n=Count("id")).order_by("y")]
    years = [int(y) for y, _ in yearly]
    year = _year(request, years)
    in_year = rows.filter(published_at__year=year) if year else rows.none()
    per_month = dict(in_year.annotate(m=ExtractMonth("published_at")).values("m").annotate(n=Count("id"))
                     .values_list("m", "n"))
    monthly = [(f"{m}月", per_month.get(m, 0)) for m in range(1, 13)]
    tables = [
        ("各年度公示数量", yearly, charts.columns("各年度公示数量", yearly)),
        (f"{year or ''}年各月公示数量", monthly, charts.columns(f"{year}年各月公示数量", monthly)),
        (f"{year or ''}年按执法主体", _by(in_year, "agency_name"), None),
        (f"{year or ''}年按类别", _by(in_year, "category", _CATEGORIES), None),
        (f"{year or ''}年按结果", _by(in_year, "outcome"), None),
    ]
    sections = [{"title": title, "rows": data, "chart": chart or charts.horizontal_bars(title, data)}
                for title, data, chart in tables]
    return render(request, "disclosure/portal/statistics.html",
                  {"sections": sections, "years": years, "year": year, "today": timezone.localdate()})
