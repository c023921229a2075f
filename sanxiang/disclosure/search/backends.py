"""The two full-text backends behind :func:`sanxiang.disclosure.search.search`, as raw SQL.

SQLite: the FTS5 table ``disclosure_search`` (external content over PublicEntry.search_text,
kept in sync by triggers; bm25 ranking). PostgreSQL: the generated column
``disclosure_publicentry.search_vector`` = to_tsvector('simple', search_text) with a GIN index
(ts_rank). Both made by migration 0003_search. Every query joins the entry table, so the filters
(published only, agency, category, dates, party) apply to the same rows on both.

Public search is bounded (STYLE.md rule 7): counts stop at ``COUNT_CAP``, and relevance ranks the
newest ``RELEVANCE_WINDOW`` matches (a query matching more is also offered in date order), so a
word found in every decision costs the same as a rare one.

PostgreSQL: testing a row's tsvector with @@ costs microseconds, which the planner does not
know; under a LIMIT it likes to walk the newest rows testing each, which is slow for words in a
few percent of the decisions. Ranking therefore picks its plan from the planner's estimate of the
matches: for frequent words the newest rows one by one; otherwise the GIN bitmap intersected with
the newest ids expected to hold the window (all of them when that guess falls short).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

COUNT_CAP = 1_000
RELEVANCE_WINDOW = 1_000
FREQUENT = 0.1  # PostgreSQL: a word in at least this share of the entries is ranked by walking the newest rows
FTS_TABLE = "disclosure_search"
ENTRY_TABLE = "disclosure_publicentry"


def fts_expression(words: list[str]) -> str:
    """FTS5 MATCH: every word as a quoted string (so no word is read as an operator), all required."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _sqlite_from(where: str) -> str:
    return (f"FROM {FTS_TABLE} JOIN {ENTRY_TABLE} e ON e.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where}")


def _postgres_from(where: str) -> str:
    return f"FROM {ENTRY_TABLE} e WHERE e.search_vector @@ plainto_tsquery('simple', %s) AND {where}"


def _query_param(words: list[str]) -> str:
    return fts_expression(words) if connection.vendor == "sqlite" else " ".join(words)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(words: list[str], where: str, params: list) -> int:
    """Matching entries, counted up to COUNT_CAP + 1."""
    source = _sqlite_from(where) if connection.vendor == "sqlite" else _postgres_from(where)
    sql = f"SELECT count(*) FROM (SELECT 1 {source} LIMIT {COUNT_CAP + 1}) AS m"
    return _fetch(sql, [_query_param(words), *params])[0][0]


def by_date(words: list[str], where: str, params: list, limit: int, offset: int) -> list[tuple[int, float | None]]:
    """Matching entries, newest published first (entries are created as they are published)."""
    if connection.vendor == "sqlite":
        sql = f"SELECT e.id, NULL {_sqlite_from(where)} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s OFFSET %s"
    else:
        sql = f"SELECT e.id, NULL {_postgres_from(where)} ORDER BY e.id DESC LIMIT %s OFFSET %s"
    return _fetch(sql, [_query_param(words), *params, limit, offset])


def by_relevance(words: list[str], where: str, params: list, limit: int,
                 offset: int) -> list[tuple[int, float | None]]:
    """Matching entries, best first (bm25 / ts_rank; higher score is better on both)."""
    if connection.vendor == "sqlite":
        inner = (f"SELECT e.id AS id, -bm25({FTS_TABLE}) AS score {_sqlite_from(where)} "
                 f"ORDER BY {FTS_TABLE}.rowid DESC LIMIT {RELEVANCE_WINDOW}")
        sql = f"SELECT id, score FROM ({inner}) AS m ORDER BY score DESC, id DESC LIMIT %s OFFSET %s"
        return _fetch(sql, [_query_param(words), *params, limit, offset])
    return _postgres_by_relevance(" ".join(words), where, params, limit, offset)


def _postgres_by_relevance(query: str, where: str, params: list, limit: int,
                           offset: int) -> list[tuple[int, float | None]]:
    inner = (f"SELECT e.id AS id, e.search_vector AS v {_postgres_from(where)} AND e.id > %s "
             f"ORDER BY e.id DESC LIMIT {RELEVANCE_WINDOW}")
    sql = (f"SELECT id, ts_rank(v, plainto_tsquery('simple', %s)) AS score, count(*) OVER () AS n "
           f"FROM ({inner}) AS m ORDER BY score DESC, id DESC LIMIT %s OFFSET %s")
    share, newest = _estimated_share(query)
    floor = 0 if share >= FREQUENT else max(0, newest - int(2 * RELEVANCE_WINDOW / max(share, 1e-9)))
    with _plan("index" if share >= FREQUENT else "bitmap"):
        rows = _fetch(sql, [query, query, *params, floor, limit, offset])
        if floor and (not rows or rows[0][2] < RELEVANCE_WINDOW):  # the guess fell short: all of them
            rows = _fetch(sql, [query, query, *params, 0, limit, offset])
    return [(pk, score) for pk, score, _ in rows]


def _estimated_share(query: str) -> tuple[float, int]:
    """The planner's estimate of the share of entries matching ``query``, and the newest id."""
    plan = _fetch(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {ENTRY_TABLE} e "
                  "WHERE e.search_vector @@ plainto_tsquery('simple', %s)", [query])[0][0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    estimate = plan[0]["Plan"]["Plan Rows"]
    rows, newest = _fetch(f"SELECT (SELECT reltuples FROM pg_class WHERE relname = '{ENTRY_TABLE}'), "
                          f"(SELECT max(id) FROM {ENTRY_TABLE})", [])[0]
    return estimate / max(rows or 0, estimate, 1), newest or 0


@contextmanager
def _plan(kind: str) -> Iterator[None]:
    """Run the block's queries with one access path switched off (to the end of the block only)."""
    name = "enable_bitmapscan" if kind == "index" else "enable_indexscan"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s), set_config(%s, 'off', true)", [name, name])
        before = cursor.fetchone()[0]
        try:
            yield
        finally:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, before])
