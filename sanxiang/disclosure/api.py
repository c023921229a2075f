"""Open data at /api/v1/public/: published decisions for anyone, no sign-in (issue 7 §5).

Reads only the published read model (PublicEntry). Identifiers are the entries' ``public_id``
(UUID), stable for the life of an entry. Lists page by cursor (``next`` is the URL of the next
page); ``since=<sequence>`` is the change feed other platforms (省级平台, 信用中国) follow: every
entry whose ``sequence`` is greater, in sequence order, withdrawn and expired ones with their status
(their content left out) so followers take them down. ``q=`` searches (jieba, as the portal).
Bulk export: .jsonl and .csv, streamed in keyset batches (constant memory).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.throttling import AnonRateThrottle

from sanxiang.api_support import MAX_PAGE_SIZE, ErrorOut, ValidationErrorOut
from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import PublicEntry
from sanxiang.disclosure.search import SearchError, search
from sanxiang.spreadsheets import csv_text

router = Router(tags=["公开数据"], auth=None)

PUBLIC = PublicationStatus.PUBLISHED
FEED_STATUSES = [PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN, PublicationStatus.EXPIRED]
CONTENT_FIELDS = ("document_number", "title", "party_name", "party_uscc", "legal_representative", "facts",
                  "basis", "content", "outcome", "fine", "decided_on", "published_at", "expires_on")
EXPORT_FIELDS = ("public_id", "sequence", "category", "agency_id", "agency_name", "document_number", "title",
                 "party_name", "party_uscc", "legal_representative", "facts", "basis", "content", "outcome",
                 "fine", "decided_on", "published_at", "expires_on", "ledger_index", "ledger_leaf")
EXPORT_BATCH = 1000
_STATUS = dict(PublicationStatus.choices)
_CATEGORY = dict(Category.choices)


class DecisionOut(Schema):
    public_id: uuid.UUID = Field(..., title="公开标识", description="稳定标识（UUID），门户地址与接口均以此标识一条公示信息。")
    sequence: int = Field(..., title="变更序号", description="每次公示、撤下、期满时递增；变更订阅用 since=。")
    status: str = Field(..., title="状态", description="published 已公示；withdrawn 已撤下；expired 公示期满。")
    status_label: str = Field(..., title="状态（中文）")
    category: str = Field(..., title="类别", description="license 行政许可、penalty 行政处罚、coercion 行政强制、"
                          "levy 行政征收、fee 行政收费、inspection 行政检查、inspection_result 随机抽查结果。")
    category_label: str = Field(..., title="类别（中文）")
    agency_id: int = Field(..., title="执法主体编号")
    agency_name: str = Field(..., title="执法主体")
    document_number: str | None = Field(None, title="文书号")
    title: str | None = Field(None, title="标题")
    party_name: str | None = Field(None, title="当事人", description="自然人已去标识化（如“张某”）。")
    party_uscc: str | None = Field(None, title="统一社会信用代码")
    legal_representative: str | None = Field(None, title="法定代表人（负责人）")
    facts: str | None = Field(None, title="违法事实")
    basis: str | None = Field(None, title="依据")
    content: str | None = Field(None, title="决定内容")
    outcome: str | None = Field(None, title="结果", description="如处罚种类、检查结果。")
    fine: Decimal | None = Field(None, title="罚款金额（元）")
    decided_on: dt.date | None = Field(None, title="决定日期")
    published_at: dt.datetime | None = Field(None, title="公示时间")
    expires_on: dt.date | None = Field(None, title="公示期满日期")
    withdrawn_at: dt.datetime | None = Field(None, title="撤下时间")
    withdrawal_notice: str = Field("", title="撤下说明")
    ledger_index: int | None = Field(None, title="公示记录序号", description="全过程记录中的条目序号，可凭回执核验公示时间。")
    ledger_leaf: str = Field("", title="公示记录哈希")
    updated_at: dt.datetime = Field(..., title="更新时间")
    highlight_title: str | None = Field(None, title="标题（高亮）", description="仅检索（q=）时：HTML，检索词以 <mark> 标出，其余已转义。")
    highlight_snippet: str | None = Field(None, title="摘要（高亮）", description="仅检索（q=）时：命中处附近的文字，HTML 同上。")


class DecisionPageOut(Schema):
    items: list[DecisionOut] = Field(..., title="本页数据")
    next: str | None = Field(None, title="下一页地址", description="没有更多数据时为空；变更订阅时为空表示已追上最新变更。")
    next_since: int | None = Field(None, title="下次订阅的 since", description="仅变更订阅：本页最后一条的变更序号，下次以 since= 传入。")
    total: int | None = Field(None, title="命中总数", description="仅检索（q=）时：命中条数，最多计到 1000（更多时 total_capped 为 true）。")
    total_capped: bool = Field(False, title="总数是否封顶", description="为 true 表示命中超过 total 条。")


class GoneOut(Schema):
    detail: str = Field(..., title="说明")
    public_id: uuid.UUID = Field(..., title="公开标识")
    status: str = Field(..., title="状态")
    withdrawn_at: dt.datetime | None = Field(None, title="撤下时间")
    withdrawal_notice: str = Field("", title="撤下说明")


class ListParams(Schema):
    q: str = Field("", max_length=100, title="检索词", description="中文全文检索（结巴分词，所有词须命中）。")
    since: int | None = Field(None, ge=0, title="变更序号", description="变更订阅：返回变更序号大于此值的公示信息（含已撤下、期满），按序号升序。")
    category: Category | None = Field(None, title="类别")
    agency: int | None = Field(None, title="执法主体编号")
    party: str = Field("", max_length=200, title="当事人", description="当事人名称（部分）或统一社会信用代码。")
    date_from: dt.date | None = Field(None, title="决定日期起")
    date_to: dt.date | None = Field(None, title="决定日期止")
    order: str = Field("relevance", pattern="^(relevance|date)$", title="排序", description="仅检索时：relevance 相关度，date 日期。")
    limit: int = Field(20, ge=1, title="每页条数", description=f"最大 {MAX_PAGE_SIZE}。")
    cursor: str = Field("", max_length=40, title="游标", description="取下一页时使用上一页 next 中的值，不要自行构造。")


def _to_out(entry: PublicEntry) -> dict[str, Any]:
    out = {name: getattr(entry, name) for name in DecisionOut.model_fields if hasattr(entry, name)}
    out.update(agency_id=entry.agency_id_public, status_label=_STATUS.get(entry.status, entry.status),
               category_label=_CATEGORY.get(entry.category, entry.category))
    if entry.status != PUBLIC:  # the feed tells followers to take it down; its content is no longer public
        out.update({name: None for name in CONTENT_FIELDS})
    return out


def _throttle(request: HttpRequest) -> None:
    """Search is the costly public operation: limited per client address (settings.DISCLOSURE_SEARCH_RATE)."""
    if not AnonRateThrottle(getattr(settings, "DISCLOSURE_SEARCH_RATE", "60/m")).allow_request(request):
        raise HttpError(429, "检索过于频繁，请稍后再试")


def _next_url(request: HttpRequest, **changes: object) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = str(value)
    return f"{request.path}?{params.urlencode()}"


def _filtered(params: ListParams):
    entries = PublicEntry.objects.all()
    if params.category:
        entries = entries.filter(category=params.category)
    if params.agency is not None:
        entries = entries.filter(agency_id_public=params.agency)
    if params.date_from:
        entries = entries.filter(decided_on__gte=params.date_from)
    if params.date_to:
        entries = entries.filter(decided_on__lte=params.date_to)
    party = params.party.strip()
    if party:
        entries = entries.filter(party_uscc=party.upper()) if len(party) == 18 else entries.filter(party_name__contains=party)
    return entries


def _feed(request: HttpRequest, params: ListParams, limit: int) -> dict[str, Any]:
    rows = list(_filtered(params).filter(status__in=FEED_STATUSES, sequence__gt=params.since)
                .order_by("sequence")[:limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1].sequence if rows else params.since
    return {"items": [_to_out(e) for e in rows], "next_since": last,
            "next": _next_url(request, since=last) if more else None}


def _listing(request: HttpRequest, params: ListParams, limit: int) -> dict[str, Any]:
    entries = _filtered(params).filter(status=PUBLIC).order_by("-id")
    if params.cursor:
        if not params.cursor.startswith("id") or not params.cursor[2:].isdigit():
            raise HttpError(422, "游标无效：请使用上一页 next 中的地址")
        entries = entries.filter(id__lt=int(params.cursor[2:]))
    rows = list(entries[:limit + 1])
    more, rows = len(rows) > limit, rows[:limit]
    return {"items": [_to_out(e) for e in rows],
            "next": _next_url(request, cursor=f"id{rows[-1].id}") if more else None}


def _search(request: HttpRequest, params: ListParams, limit: int) -> dict[str, Any]:
    _throttle(request)
    cursor = params.cursor or "p1"
    if not cursor.startswith("p") or not cursor[1:].isdigit():
        raise HttpError(422, "游标无效：请使用上一页 next 中的地址")
    try:
        results = search(params.q, agency=params.agency, category=params.category, date_from=params.date_from,
                         date_to=params.date_to, party=params.party or None, order=params.order,
                         page=int(cursor[1:]), per_page=limit)
    except SearchError as error:
        raise HttpError(422, str(error)) from error
    items = [{**_to_out(hit.entry), "highlight_title": hit.title, "highlight_snippet": hit.snippet}
             for hit in results.hits]
    more = results.page < results.pages
    return {"items": items, "total": results.total, "total_capped": results.total_capped,
            "next": _next_url(request, cursor=f"p{results.page + 1}") if more else None}


@router.get("/decisions", response={200: DecisionPageOut, 422: ValidationErrorOut, 429: ErrorOut},
            summary="公示的执法决定：列表、检索与变更订阅", operation_id="public_decisions")
def list_decisions(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """无需登录。三种用法：

    - 默认：已公示的执法决定，最新在前，按游标分页（跟随 `next`）。
    - `since=<变更序号>`：变更订阅，返回序号大于 since 的全部变更（含已撤下、公示期满的条目及其状态，
      其内容不再提供），按序号升序；以返回的 `next_since` 继续订阅。从 0 开始可取得全部历史。
    - `q=<检索词>`：中文全文检索（与门户相同的分词），可按类别、执法主体、当事人、决定日期筛选，
      按相关度或日期排序，结果带高亮；每个地址每分钟限次数。
    """
    limit = min(params.limit, MAX_PAGE_SIZE)
    if params.since is not None:
        return _feed(request, params, limit)
    if params.q.strip():
        return _search(request, params, limit)
    return _listing(request, params, limit)


def _export_rows() -> Iterator[PublicEntry]:
    """Every published entry in id order, fetched in keyset batches so memory stays constant."""
    last = 0
    while True:
        batch = list(PublicEntry.objects.filter(status=PUBLIC, id__gt=last).order_by("id")[:EXPORT_BATCH])
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        last = batch[-1].id


def _export_record(entry: PublicEntry) -> dict[str, Any]:
    out = _to_out(entry)
    return {name: out[name] for name in EXPORT_FIELDS}


def _plain(value: object) -> object:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _jsonl() -> Iterator[str]:
    for entry in _export_rows():
        record = {k: _plain(v) for k, v in _export_record(entry).items()}
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _csv() -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheet programs then read the Chinese as UTF-8
    for entry in _export_rows():
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else csv_text(_plain(v)) for v in _export_record(entry).values()])
        yield buffer.getvalue()


def _download(chunks: Iterator[str], content_type: str, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


EXPORT_DOC = "字段：" + "、".join(EXPORT_FIELDS) + "（含义同列表接口）。仅含当前已公示的条目，按 id 升序；变更请用 since= 订阅。"


@router.get("/decisions.jsonl", summary="批量导出：JSON Lines", operation_id="public_decisions_jsonl",
            description="无需登录。全部已公示的执法决定，每行一条，流式输出。" + EXPORT_DOC,
            openapi_extra={"responses": {200: {"description": "每行一个 JSON 对象（UTF-8）。",
                                               "content": {"application/x-ndjson": {}}}}})
def export_jsonl(request: HttpRequest) -> StreamingHttpResponse:
    return _download(_jsonl(), "application/x-ndjson; charset=utf-8", "decisions.jsonl")


@router.get("/decisions.csv", summary="批量导出：CSV", operation_id="public_decisions_csv",
            description="无需登录。全部已公示的执法决定，流式输出。" + EXPORT_DOC,
            openapi_extra={"responses": {200: {"description": "CSV（UTF-8，带 BOM），首行为字段名。",
                                               "content": {"text/csv": {}}}}})
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return _download(_csv(), "text/csv; charset=utf-8", "decisions.csv")


@router.get("/decisions/{public_id}", response={200: DecisionOut, 404: ErrorOut, 410: GoneOut},
            summary="一条公示的执法决定", operation_id="public_decision")
def decision_detail(request: HttpRequest, public_id: uuid.UUID) -> Status:
    """无需登录。已撤下或公示期满的条目返回 410，附撤下说明。"""
    # No ordering to compile for one row by a unique key: this is the most requested public read.
    entry = next(iter(PublicEntry.objects.filter(public_id=public_id, status__in=FEED_STATUSES).order_by()[:1]), None)
    if entry is None:
        raise HttpError(404, "未找到该公示信息")
    if entry.status == PUBLIC:
        return Status(200, _to_out(entry))
    detail = "该公示信息已撤下" if entry.status == PublicationStatus.WITHDRAWN else "该公示信息公示期已满，不再公示"
    return Status(410, {"detail": detail, "public_id": entry.public_id, "status": entry.status,
                 "withdrawn_at": entry.withdrawn_at, "withdrawal_notice": entry.withdrawal_notice})
