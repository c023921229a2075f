"""The one search interface over published decisions, on SQLite FTS5 or PostgreSQL full text."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from sanxiang.disclosure.choices import PublicationStatus
from sanxiang.disclosure.models import PublicEntry
from sanxiang.disclosure.search import backends
from sanxiang.disclosure.search.highlight import mark, snippet
from sanxiang.disclosure.search.segment import query_words

ORDERS = ("relevance", "date")
MAX_PER_PAGE = 100
USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class SearchError(ValueError):
    """A search request that cannot be answered (bad order, page out of range); Chinese message."""


@dataclass(frozen=True)
class Hit:
    entry: PublicEntry
    score: float | None
    title: SafeString  # escaped, the query's words in <mark>
    snippet: SafeString  # part of the party, facts, content and basis around the first match


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # matching published entries, at most backends.COUNT_CAP
    total_capped: bool  # True when more than ``total`` match ("1000+ 条")
    page: int
    per_page: int
    pages: int
    order: str
    words: list[str] = field(default_factory=list)  # the query as segmented (what must match)


@dataclass
class _Filters:
    where: list[str] = field(default_factory=lambda: ["e.status = %s"])
    params: list = field(default_factory=lambda: [PublicationStatus.PUBLISHED.value])

    def add(self, sql: str, value: object) -> None:
        self.where.append(sql)
        self.params.append(value)


def _filters(agency: int | None, category: str | None, date_from: dt.date | None, date_to: dt.date | None,
             party: str | None) -> _Filters:
    filters = _Filters()
    if agency is not None:
        filters.add("e.agency_id_public = %s", int(agency))
    if category:
        filters.add("e.category = %s", category)
    if date_from:
        filters.add("e.decided_on >= %s", date_from)
    if date_to:
        filters.add("e.decided_on <= %s", date_to)
    party = (party or "").strip()
    if party and USCC.match(party.upper()):
        filters.add("e.party_uscc = %s", party.upper())
    elif party:
        escaped = party.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        filters.add("e.party_name LIKE %s ESCAPE '\\'", f"%{escaped}%")
    return filters


def search(q: str = "", *, agency: int | None = None, category: str | None = None,
           date_from: dt.date | None = None, date_to: dt.date | None = None, party: str | None = None,
           order: str = "relevance", page: int = 1, per_page: int = 20) -> Results:
    """Published decisions matching every word of ``q`` (jieba-segmented) and the filters.

    ``party`` is a party's name (part of it) or its 统一社会信用代码; ``agency`` the public agency
    number; dates bound the decision date. ``order`` is "relevance" (best first among the newest
    ``RELEVANCE_WINDOW`` matches) or "date" (newest published first); an empty ``q`` lists by date.
    """
    if order not in ORDERS:
        raise SearchError("排序方式只能是 relevance（相关度）或 date（日期）")
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    offset = (page - 1) * per_page
    if offset >= backends.COUNT_CAP:
        raise SearchError(f"最多查看前 {backends.COUNT_CAP} 条结果，请增加检索词或筛选条件")
    words = query_words(q)
    filters = _filters(agency, category, date_from, date_to, party)
    where = " AND ".join(filters.where)
    if not words:
        order = "date"
    rows, total = _run(words, where, filters.params, order, per_page, offset)
    entries = PublicEntry.objects.in_bulk([pk for pk, _ in rows])
    hits = [_hit(entries[pk], score, words) for pk, score in rows if pk in entries]
    shown = min(total, backends.COUNT_CAP)
    return Results(hits=hits, total=shown, total_capped=total > backends.COUNT_CAP, page=page,
                   per_page=per_page, pages=max(1, math.ceil(shown / per_page)), order=order, words=words)


def _run(words: list[str], where: str, params: list, order: str, limit: int,
         offset: int) -> tuple[list[tuple[int, float | None]], int]:
    if not words:
        return _list_by_date(where, params, limit, offset)
    fetch = backends.by_relevance if order == "relevance" else backends.by_date
    with backends.one_search():
        return fetch(words, where, params, limit, offset), backends.count(words, where, params)


def _list_by_date(where: str, params: list, limit: int, offset: int) -> tuple[list[tuple[int, None]], int]:
    from django.db import connection

    table = backends.ENTRY_TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT e.id FROM {table} e WHERE {where} ORDER BY e.id DESC LIMIT %s OFFSET %s",
                       [*params, limit, offset])
        rows = [(pk, None) for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} e WHERE {where} "
                       f"LIMIT {backends.COUNT_CAP + 1}) AS m", params)
        return rows, cursor.fetchone()[0]


def _hit(entry: PublicEntry, score: float | None, words: list[str]) -> Hit:
    body = " ".join(filter(None, [entry.party_name, entry.facts, entry.content, entry.basis]))
    return Hit(entry=entry, score=score, title=mark(entry.title, words), snippet=snippet(body, words))
