"""``python -m bench.disclosure [--entries N] [--postgres | --all-databases] [--repeat R] [--requests M]``

行政执法公示 search and decision page, against their floors, in one run:

* **Data**: N published decisions (default 1,000,000) in the published read model
  (PublicEntry), texts in the style of real published decisions with their jieba-segmented
  search text (bench/disclosure_data.py: fragments segmented once, so no per-entry jieba call),
  inserted in bulk (SQLite executemany with the FTS triggers off; PostgreSQL COPY with the GIN
  index dropped); the full-text index is then built once (FTS5 'rebuild' / CREATE INDEX).
  Generation, insert and index times are printed.
* **Search**: ``sanxiang.disclosure.search.search(q)`` — query segmentation, the capped count,
  the ranked page of 20, loading the entries and highlighting — for 2-4 character and multi-word
  queries, in relevance and in date order, median and p95 over R runs (target p95 < 100 ms);
  **floor**: the bare full-text query of the same words with LIMIT 20 (FTS5 ``MATCH`` / PostgreSQL
  ``@@ plainto_tsquery('simple', …)``), no filter, no order, no count.
* **Decision page**: M requests of ``/gongshi/decisions/<public_id>/`` (the portal's page, served
  from the page cache after each of the ~600 pages was requested once; again with the entry's
  version read from the database on every request; and with the cache off, every request
  rendering) and of
  ``/api/v1/public/decisions/<public_id>`` through Django's test client (the whole middleware
  stack), against an empty Django view on the same URL configuration (the framework's floor);
  target: the page at ≥ 50 % of the empty view's rate.

Each part runs in its own process on the SQLite file of a temporary data folder, or with
``--postgres`` in a PostgreSQL database ``sanxiang_bench_disclosure`` created and dropped here;
``--all-databases`` measures both and prints them side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import steps
from bench.postgres import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "sanxiang_bench_disclosure"
BATCH = 10_000
QUERIES = ["罚款", "牛奶", "张某", "燃气", "鑫源", "虚假宣传", "违法所得", "营业执照", "过期食品",
           "虚假宣传 罚款", "销售 过期 牛奶", "无证经营 餐饮", "食品安全法 第一百二十四条", "鑫源 化妆品 广告"]
Row = dict[str, Any]


# --- steps, each run in its own process: ``python -m bench.disclosure _step <name> …`` ------------


def step_setup() -> Row:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {}


def _columns() -> list:
    from sanxiang.disclosure.models import PublicEntry

    return [f for f in PublicEntry._meta.concrete_fields if f.column != "id"]


def _sqlite_value(value: object) -> object:
    import datetime as dt
    import uuid
    from decimal import Decimal

    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def _rows(n: int, timer: list[float]):
    """Batches of value tuples in column order; ``timer[0]`` collects the time spent generating."""
    import datetime as dt

    from bench.disclosure_data import entries

    columns = _columns()
    now = dt.datetime.now(dt.UTC)
    generator = entries(n)
    while True:
        started = time.perf_counter()
        batch = []
        for fields in generator:
            fields["updated_at"] = now
            batch.append(tuple(fields[f.attname] if f.attname in fields else f.get_default() for f in columns))
            if len(batch) == BATCH:
                break
        timer[0] += time.perf_counter() - started
        if not batch:
            return
        yield batch


def _load_sqlite(n: int, timer: list[float]) -> Row:
    import importlib

    from django.db import connection

    migration = importlib.import_module("sanxiang.disclosure.migrations.0003_search")
    columns = _columns()
    connection.ensure_connection()
    raw = connection.connection
    for statement in migration.SQLITE_REVERSE[:3]:  # the triggers: the index is built once at the end
        raw.execute(statement)
    sql = (f"INSERT INTO disclosure_publicentry ({', '.join(f.column for f in columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    insert = 0.0
    for batch in _rows(n, timer):
        started = time.perf_counter()
        raw.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])
        raw.commit()
        insert += time.perf_counter() - started
    started = time.perf_counter()
    raw.execute("INSERT INTO disclosure_search(disclosure_search) VALUES ('rebuild')")
    raw.commit()
    index = time.perf_counter() - started
    for statement in migration.SQLITE[1:4]:
        raw.execute(statement)
    raw.execute("ANALYZE")
    raw.commit()
    return {"insert": insert, "index": index}


def _load_postgres(n: int, timer: list[float]) -> Row:
    from django.db import connection

    columns = ", ".join(f.column for f in _columns())
    insert = 0.0
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS disclosure_publicentry_search_gin")
        for batch in _rows(n, timer):
            started = time.perf_counter()
            with cursor.cursor.copy(f"COPY disclosure_publicentry ({columns}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
            insert += time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("CREATE INDEX disclosure_publicentry_search_gin ON disclosure_publicentry USING gin (search_vector)")
        index = time.perf_counter() - started
        cursor.execute("VACUUM ANALYZE disclosure_publicentry")
    return {"insert": insert, "index": index}


def step_load(n: str) -> Row:
    from django.db import connection

    timer = [0.0]
    load = _load_sqlite if connection.vendor == "sqlite" else _load_postgres
    result = load(int(n), timer)
    from sanxiang.disclosure.models import PublicEntry

    return {"generate": timer[0], **result, "entries": PublicEntry.objects.count()}


def _timed(call, repeat: int) -> list[float]:
    call()  # warm-up: caches, prepared plans
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1e3)
    return timings


def _floor(words: list[str]):
    from django.db import connection

    from sanxiang.disclosure.search.backends import fts_expression

    if connection.vendor == "sqlite":
        sql = "SELECT rowid FROM disclosure_search WHERE disclosure_search MATCH %s LIMIT 20"
        param = fts_expression(words)
    else:
        sql = "SELECT id FROM disclosure_publicentry WHERE search_vector @@ plainto_tsquery('simple', %s) LIMIT 20"
        param = " ".join(words)

    def run() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, [param])
            return len(cursor.fetchall())
    return run


def _summary(timings: list[float]) -> Row:
    ordered = sorted(timings)
    return {"p50": statistics.median(ordered), "p95": ordered[max(0, int(round(0.95 * len(ordered))) - 1)]}


def step_search(repeat: str) -> Row:
    from sanxiang.disclosure.search import search
    from sanxiang.disclosure.search.segment import query_words

    out: Row = {}
    for query in QUERIES:
        words = query_words(query)
        results = search(query)
        row = {"words": words, "total": results.total, "capped": results.total_capped,
               "floor": _summary(_timed(_floor(words), int(repeat)))}
        for order in ("relevance", "date"):
            row[order] = _summary(_timed(lambda o=order, q=query: [h.snippet for h in search(q, order=o).hits],
                                         int(repeat)))
        out[query] = row
    return out


def step_pages(requests: str) -> Row:
    import random

    from django.conf import settings
    from django.test import Client
    from django.urls import clear_url_caches, set_urlconf

    from sanxiang.disclosure.models import PublicEntry

    settings.ROOT_URLCONF, settings.DEBUG, settings.ALLOWED_HOSTS = "bench.disclosure_urls", False, ["*"]
    clear_url_caches()
    set_urlconf(None)
    top = PublicEntry.objects.order_by("-id").values_list("id", flat=True).first()
    rng = random.Random(3)
    ids = list(PublicEntry.objects.filter(id__in=[rng.randint(1, top) for _ in range(600)])
               .values_list("public_id", flat=True))
    page = lambda i: f"/gongshi/decisions/{ids[i % len(ids)]}/"  # noqa: E731
    urls = {"empty": lambda i: "/bench/empty/", "api": lambda i: f"/api/v1/public/decisions/{ids[i % len(ids)]}",
            "portal_cold": page, "portal_checked": page, "portal": page}
    client, out = Client(), {}
    for name, url in urls.items():
        # portal_cold: the page cache off, every request renders; portal_checked: cached pages, the
        # entry's version read from the database on every request (PORTAL_FRESH_SECONDS = 0);
        # portal: the defaults (version trusted for 5 s). Cached variants request each page once
        # before the timing (the steady state of a visited page).
        settings.PORTAL_CACHE_ENTRIES = 0 if name == "portal_cold" else 5000
        settings.PORTAL_FRESH_SECONDS = 0 if name == "portal_checked" else 5
        for i in range(len(ids) if name in ("portal", "portal_checked") else 30):
            client.get(url(i))
        started = time.perf_counter()
        for i in range(int(requests)):
            response = client.get(url(i))
            if response.status_code != 200:
                raise SystemExit(f"{url(i)}: HTTP {response.status_code}")
        out[name] = int(requests) / (time.perf_counter() - started)
    return out


STEPS = {"setup": step_setup, "load": step_load, "search": step_search, "pages": step_pages}


def run_step(env: dict[str, str], *args: str) -> Row:
    return steps.run("bench.disclosure", env, *args)


# --- the run and its tables ------------------------------------------------------------------


def measure(database: str, n: int, repeat: int, requests: int) -> Row:
    data_dir = Path(tempfile.mkdtemp(prefix="sanxiang-disclosure-bench-"))
    env = {**os.environ, "SANXIANG_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "sanxiang.settings"}
    env.pop("DATABASE_URL", None)
    try:
        if database == "postgres":
            env["DATABASE_URL"] = recreate_database(BENCH_DB)
        print(f"{database}: {n} 条公示决定", file=sys.stderr)
        run_step(env, "setup")
        load = run_step(env, "load", str(n))
        searched = run_step(env, "search", str(repeat))
        pages = run_step(env, "pages", str(requests))
        return {"database": database, "n": n, "repeat": repeat, "requests": requests, "load": load,
                "search": searched, "pages": pages}
    finally:
        if database == "postgres":
            drop_database(BENCH_DB)
        shutil.rmtree(data_dir, ignore_errors=True)


def pad(text: str, width: int, right: bool = False) -> str:
    from bench.ledger_merkle import pad as pad_wide

    return pad_wide(text, width, right)


def _line(cells: list[tuple[str, int]]) -> str:
    return " ".join(pad(text, width, i > 0) for i, (text, width) in enumerate(cells))


def _ms(row: Row) -> str:
    return f"{row['p50']:.1f} / {row['p95']:.1f}"


def print_tables(results: list[Row]) -> None:
    first = results[0]
    print(f"\n行政执法公示：{first['n']:,} 条已公示决定")
    for r in results:
        load = r["load"]
        print(f"  {r['database']}: 生成文本 {load['generate']:.0f} s，批量写入 {load['insert']:.0f} s，"
              f"建全文索引 {load['index']:.0f} s（共 {load['entries']:,} 条）")
    print(f"\n检索延迟 毫秒 中位 / p95（每项 {first['repeat']} 次；目标 p95 < 100 ms）。"
          "三项 = search()：分词、计数（至 1000）、相关度在最新 1000 条命中中排序、取 20 条、读取、高亮；底线 = 同样词语的裸全文查询 LIMIT 20")
    heads = [("检索词", 26), ("排序", 6)]
    for r in results:
        name = "SQLite" if r["database"] == "sqlite" else "PG"
        heads += [(f"{name} 命中", 9), (f"{name} 三项", 15), ("底线", 13)]
    print(_line([(h, w) for h, w in heads]))
    for query in QUERIES:
        for order, label in (("relevance", "相关度"), ("date", "日期")):
            cells = [(query if order == "relevance" else "", 26), (label, 6)]
            for r in results:
                row = r["search"][query]
                hits = f"{row['total']:,}{'+' if row['capped'] else ''}" if order == "relevance" else ""
                cells += [(hits, 9), (_ms(row[order]), 15), (_ms(row["floor"]) if order == "relevance" else "", 13)]
            print(_line(cells))
    for r in results:
        worst = max(r["search"][q][o]["p95"] for q in QUERIES for o in ("relevance", "date"))
        print(f"  {r['database']}: 最大 p95 {worst:.1f} ms")
    print(f"\n决定页面吞吐 请求/秒（Django 测试客户端，完整中间件，{first['requests']} 次；目标 ≥ 空视图的 50 %）")
    heads = [("页面", 40)] + [(("SQLite" if r["database"] == "sqlite" else "PostgreSQL"), 12) for r in results] + \
        [("相对空视图", 12) for _ in results]
    print(_line(heads))
    names = [("portal", "门户决定页 /gongshi/decisions/<id>/"),
             ("portal_checked", "  同上，每次请求查库核对版本"), ("portal_cold", "  同上，页面缓存关闭（每次渲染）"),
             ("api", "开放数据 /api/v1/public/decisions/<id>"),
             ("empty", "空视图（框架底线）")]
    for key, label in names:
        cells = [(label, 40)] + [(f"{r['pages'][key]:.0f}", 12) for r in results]
        cells += [(f"{r['pages'][key] / r['pages']['empty'] * 100:.0f} %", 12) for r in results]
        print(_line(cells))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.disclosure", description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="published decisions (default 1000000)")
    parser.add_argument("--postgres", action="store_true", help="measure on PostgreSQL instead of SQLite")
    parser.add_argument("--all-databases", action="store_true", help="measure on SQLite and PostgreSQL")
    parser.add_argument("--repeat", type=int, default=30, help="runs of each query (default 30)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per page (default 2000)")
    parser.add_argument("--json", action="store_true", help="also print the raw results as JSON")
    args = parser.parse_args(argv)
    databases = ["sqlite", "postgres"] if args.all_databases else ["postgres"] if args.postgres else ["sqlite"]
    results = [measure(db, args.entries, args.repeat, args.requests) for db in databases]
    print_tables(results)
    if args.json:
        print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    steps.entry(STEPS, main)
