"""事后公开: the decision list (full-text search with filters) and the decision page at its stable
address, with its ledger receipt and a link to its 纠错 page; random-inspection results.

Addresses are stable: ``/gongshi/decisions/<public_id>/`` for as long as the platform exists.

* published → 200 with the standard fields and the ledger receipt;
* withdrawn → **410 Gone** at the same address, with the withdrawal notice (and nothing else of
  the decision: it was withdrawn because it is wrong, changed or void);
* expired (公示期满) → **404** with a note that the publication period is over and the record is
  kept in the archive (公示期满后不再在门户展示，档案留存，可依申请公开), no content;
* anything else (never published) → plain 404, indistinguishable from an unknown address.
"""

from __future__ import annotations

import datetime
import uuid

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import PublicAgency, PublicEntry
from sanxiang.disclosure.portal.pagecache import cached_entry_response
from sanxiang.disclosure.portal.throttle import allow_report
from sanxiang.disclosure.search import SearchError, search

PER_PAGE = 20
# The decision list searches every published entry (随机抽查结果 is one of its categories); the
# inspection-result list is the same search with that category fixed.
DECISION_CATEGORIES = list(Category.choices)
LIST_FIELDS = ("public_id", "category", "agency_name", "document_number", "title", "party_name", "outcome",
               "decided_on", "published_at")


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _filters(request: HttpRequest, categories: list[tuple[str, str]]) -> dict[str, object]:
    """The whitelisted filters of the list: agency, category, decision date range, party, words."""
    get = request.GET
    try:
        agency = int(get.get("agency", ""))
    except ValueError:
        agency = None
    category = get.get("category", "")
    return {
        "q": get.get("q", "").strip()[:100], "agency": agency,
        "category": category if category in dict(categories) else "",
        "date_from": _date(get.get("date_from", "")), "date_to": _date(get.get("date_to", "")),
        "party": get.get("party", "").strip()[:100],
        "order": "date" if get.get("order") == "date" else "relevance",
    }


def _results(request: HttpRequest, filters: dict[str, object], fixed_category: str | None) -> dict[str, object]:
    args = {k: v for k, v in filters.items() if k != "category"}
    category = fixed_category or filters["category"] or None
    try:
        results = search(**args, category=category, page=_page(request), per_page=PER_PAGE)
    except SearchError as error:
        return {"error": str(error), "hits": [], "total": 0}
    query = request.GET.copy()
    query.pop("page", None)
    return {"hits": results.hits, "total": results.total, "capped": results.total_capped,
            "page_number": results.page, "pages": results.pages, "query": query.urlencode(),
            "previous_page": results.page - 1 if results.page > 1 else None,
            "next_page": results.page + 1 if results.page < results.pages else None}


def _list(request: HttpRequest, *, title: str, categories: list[tuple[str, str]], fixed: str | None) -> HttpResponse:
    filters = _filters(request, categories)
    context = {"title": title, "filters": filters, "categories": categories, "fixed_category": fixed,
               "agencies": PublicAgency.objects.only("agency_id_public", "name"),
               **_results(request, filters, fixed)}
    return render(request, "disclosure/portal/decision_list.html", context)


@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    """行政执法决定 (许可、处罚、强制、征收、收费、检查) and random-inspection results."""
    return _list(request, title="行政执法决定公示", categories=DECISION_CATEGORIES, fixed=None)


@require_GET
def inspection_result_list(request: HttpRequest) -> HttpResponse:
    """随机抽查结果."""
    return _list(request, title="随机抽查结果公示", categories=[], fixed=Category.INSPECTION_RESULT)


def _entry(public_id: uuid.UUID) -> PublicEntry:
    try:
        return PublicEntry.objects.get(public_id=public_id)
    except PublicEntry.DoesNotExist:
        raise Http404("没有找到这条公示信息") from None


@require_GET
def decision_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The entry's page, rendered once per version of the entry (pagecache)."""
    return cached_entry_response("page", public_id, lambda entry: _detail(request, entry))


def _detail(request: HttpRequest, entry: PublicEntry) -> HttpResponse:
    if entry.status == PublicationStatus.WITHDRAWN:
        return render(request, "disclosure/portal/decision_withdrawn.html", {"entry": _withdrawn(entry)}, status=410)
    if entry.status == PublicationStatus.EXPIRED:
        return render(request, "disclosure/portal/decision_expired.html", {"entry": _expired(entry)}, status=404)
    if entry.status != PublicationStatus.PUBLISHED:
        raise Http404("没有找到这条公示信息")
    return render(request, "disclosure/portal/decision_detail.html", {"entry": entry})


def _withdrawn(entry: PublicEntry) -> dict[str, object]:
    """What a withdrawn entry's address still shows: the notice, not the decision."""
    return {"public_id": entry.public_id, "document_number": entry.document_number,
            "agency_name": entry.agency_name, "withdrawn_at": entry.withdrawn_at,
            "withdrawal_notice": entry.withdrawal_notice}


def _expired(entry: PublicEntry) -> dict[str, object]:
    return {"public_id": entry.public_id, "agency_name": entry.agency_name, "expires_on": entry.expires_on}


@require_http_methods(["GET", "POST"])
def report_error(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """纠错: anyone may report an error on a published entry; the agency's publisher answers.

    A page of its own (not a form on the decision page), so the decision page holds nothing per
    visitor and can be served from the page cache. After a report: back here with ``?sent=1``."""
    from sanxiang.disclosure import services

    entry = _entry(public_id)
    if entry.status != PublicationStatus.PUBLISHED:
        raise Http404("没有找到这条公示信息")
    context: dict[str, object] = {"entry": entry, "sent": request.GET.get("sent") == "1"}
    if request.method == "GET":
        return render(request, "disclosure/portal/report_error.html", context)
    text = request.POST.get("text", "")[:2000]
    if not allow_report(request):
        return render(request, "disclosure/portal/report_error.html",
                      {**context, "report_error": "提交过于频繁，请稍后再试。", "report_text": text}, status=429)
    try:
        services.report_error(public_id, request.POST.get("text", ""), request.POST.get("contact", ""))
    except services.DisclosureError as error:
        return render(request, "disclosure/portal/report_error.html",
                      {**context, "report_error": str(error), "report_text": text}, status=400)
    return HttpResponseRedirect(reverse("portal:report_error", args=[public_id]) + "?sent=1")


@require_GET
def decision_receipt(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The ledger receipt of the entry's publication, for anyone to keep and verify offline.

    Reads the ledger (whose publication entries hold only public data) and only at the index
    the published entry names, and only if the leaf there is the one the entry shows."""
    from sanxiang.ledger.checkpoints import receipt
    from sanxiang.ledger.models import Entry
    from sanxiang.ledger.services import default_log

    entry = _entry(public_id)
    if entry.status != PublicationStatus.PUBLISHED or entry.ledger_index is None:
        raise Http404("该公示信息没有可下载的回执")
    ledger_entry = Entry.objects.filter(log=default_log(), index=entry.ledger_index).first()
    if (ledger_entry is None or bytes(ledger_entry.leaf_hash).hex() != entry.ledger_leaf
            or not ledger_entry.event_type.startswith("disclosure.")):
        raise Http404("该公示信息没有可下载的回执")
    response = JsonResponse(receipt(ledger_entry), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="gongshi-receipt-{entry.ledger_index}.json"'
    return response
