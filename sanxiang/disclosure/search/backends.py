"""The two full-text backends behind :func:`sanxiang.disclosure.search.search`, as raw SQL.

SQLite: the FTS5 table ``disclosure_search`` (external content over PublicEntry.search_text,
kept in sync by triggers; bm25 ranking). PostgreSQL: the generated column
``disclosure_publicentry.search_vector`` = to_tsvector('simple', search_text) with a GIN index
(ts_rank). Both made by migration 0003_search. Every query joins the entry table, so the filters
(published only, agency, category, dates, party) apply to the same rows on both.

Public search is bounded (STYLE.md rule 7): counts stop at ``COUNT_CAP``, and relevance ranks the
newest ``RELEVANCE_WINDOW`` matches (a query matching more is also offered in date order), so a
word found in every decision costs the same as a rare one.

PostgreSQL: testing a row's tsvector with @@ costs microseconds, and the planner, which does not
know that and guesses the matches of several words as if they were independent, picks slow
plans for some queries. So the plan is chosen here from the share of matches among the newest
``PROBE_ROWS`` entries (measured, one bounded query): when the newest rows hold the page (or the
relevance window) within ``WALK_ROWS`` rows, they are walked one by one; otherwise the GIN bitmap,
intersected with the newest ids expected to hold them (all ids when that guess falls short).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

COUNT_CAP = 1_000
RELEVANCE_WINDOW = 1_000
PROBE_ROWS = 2_000
WALK_ROWS = 8_000
FTS_TABLE = "disclosure_search"
ENTRY_TABLE = "disclosure_publicentry"
_probe = threading.local()  # .shares: the probes of the search running in this thread


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
    if connection.vendor == "sqlite":
        sql = f"SELECT count(*) FROM (SELECT 1 {_sqlite_from(where)} LIMIT {COUNT_CAP + 1}) AS m"
        return _fetch(sql, [_query_param(words), *params])[0][0]
    sql = f"SELECT count(*), NULL FROM (SELECT 1 {_postgres_from(where)} AND e.id > %s LIMIT {COUNT_CAP + 1}) AS m"
    query = " ".join(words)
    rows = _postgres_newest(_share(query, where, params), COUNT_CAP + 1,
                            lambda floor: _fetch(sql, [query, *params, floor]), lambda rows: rows[0][0] < COUNT_CAP + 1)
    return rows[0][0]


def by_date(words: list[str], where: str, params: list, limit: int, offset: int) -> list[tuple[int, float | None]]:
    """Matching entries, newest published first (entries are created as they are published)."""
    if connection.vendor == "sqlite":
        sql = f"SELECT e.id, NULL {_sqlite_from(where)} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s OFFSET %s"
        return _fetch(sql, [_query_param(words), *params, limit, offset])
    sql = f"SELECT e.id, NULL, 0 {_postgres_from(where)} AND e.id > %s ORDER BY e.id DESC LIMIT %s OFFSET %s"
    query = " ".join(words)
    return _postgres_newest(_share(query, where, params), limit + offset,
                            lambda floor: _fetch(sql, [query, *params, floor, limit, offset]),
                            lambda rows: len(rows) < limit)


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
    return _postgres_newest(_share(query, where, params), RELEVANCE_WINDOW,
                            lambda floor: _fetch(sql, [query, query, *params, floor, limit, offset]),
                            lambda rows: not rows or rows[0][2] < RELEVANCE_WINDOW)


@contextmanager
def one_search() -> Iterator[None]:
    """One search (its count and its page): PostgreSQL probes the newest entries once for both."""
    _probe.shares = {}
    try:
        yield
    finally:
        _probe.shares = None


def _share(query: str, where: str, params: list) -> float:
    """The share of matches among the newest PROBE_ROWS entries (one bounded query)."""
    shares = getattr(_probe, "shares", None)
    key = (query, where, tuple(params))
    if shares is not None and key in shares:
        return shares[key]
    found = _fetch(f"SELECT count(*) FROM (SELECT * FROM {ENTRY_TABLE} ORDER BY id DESC LIMIT {PROBE_ROWS}) AS e "
                   f"WHERE e.search_vector @@ plainto_tsquery('simple', %s) AND {where}", [query, *params])[0][0]
    if shares is not None:
        shares[key] = found / PROBE_ROWS
    return found / PROBE_ROWS


def _postgres_newest(share: float, need: int, run, short) -> list[tuple[int, float | None]]:
    """Run ``run(floor)`` (a query over the matches with id > floor) on the plan that finds the
    newest ``need`` matches fastest, given their ``share`` among the newest entries;
    ``short(rows)`` says the floor was guessed too high."""
    if share and need / share <= WALK_ROWS:
        with _plan("walk"):
            rows = run(0)
    else:
        newest = _fetch(f"SELECT max(id) FROM {ENTRY_TABLE}", [])[0][0] or 0
        floor = max(0, newest - int(2 * need / share)) if share else 0
        with _plan("bitmap"):
            rows = run(floor)
            if floor and short(rows):
                rows = run(0)
    return [(row[0], row[1]) for row in rows]


@contextmanager
def _plan(kind: str) -> Iterator[None]:
    """Run the block's queries with one access path switched off (to the end of the block only)."""
    name = "enable_bitmapscan" if kind == "walk" else "enable_indexscan"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s), set_config(%s, 'off', true)", [name, name])
        before = cursor.fetchone()[0]
        try:
            yield
        finally:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, before])
