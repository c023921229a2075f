"""The two full-text backends behind :func:`sanxiang.disclosure.search.search`, as raw SQL.

SQLite: the FTS5 table ``disclosure_search`` (external content over PublicEntry.search_text,
kept in sync by triggers; bm25 ranking). PostgreSQL: the generated column
``disclosure_publicentry.search_vector`` = to_tsvector('simple', search_text) with a GIN index
(ts_rank). Both made by migration 0003_search. Every query joins the entry table, so the filters
(published only, agency, category, dates, party) apply to the same rows on both.

Public search is bounded (STYLE.md rule 7): counts stop at ``COUNT_CAP``, and relevance ranks the
newest ``RELEVANCE_WINDOW`` matches (a query matching more is also offered in date order), so a
word found in every decision costs the same as a rare one.
"""

from __future__ import annotations

from django.db import connection

COUNT_CAP = 10_000
RELEVANCE_WINDOW = 5_000
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
    inner = f"SELECT e.id AS id, e.search_vector AS v {_postgres_from(where)} ORDER BY e.id DESC LIMIT {RELEVANCE_WINDOW}"
    sql = (f"SELECT id, ts_rank(v, plainto_tsquery('simple', %s)) AS score FROM ({inner}) AS m "
           "ORDER BY score DESC, id DESC LIMIT %s OFFSET %s")
    query = _query_param(words)
    return _fetch(sql, [query, query, *params, limit, offset])
