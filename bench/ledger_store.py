"""``python -m bench.ledger_store [--entries N] [--postgres] [--samples K] [--calls C] [--skip-cost]``

The stored ledger, measured through the platform's own code against named baselines in one run:

* (b) inclusion and consistency proofs **from the stored log** of N entries (default 1,000,000):
  ``services.subtree_hashes`` fetches the rows ``merkle.*_positions`` name, then
  ``merkle.*_proof_from_subtrees`` assembles the proof — p50 / p95 / max over K random proofs
  (default 1,000 each), against the same proofs from the same rows held in memory (no database).
  Target: p95 under 1 ms.
* (c) ``verify.verify_log`` over the stored N entries, against a bare ``hashlib`` loop over the same
  leaf and node bytes (``bench.ledger_merkle``'s floor). Target: within 2× the floor. Memory:
  ru_maxrss growth of the verification at N/4 and at N entries (flat means no growth with N).
* (d) the cost the ledger adds to a recorded state change, on PostgreSQL: C transactions that
  create an officer (ORM + ``full_clean``) with and without ``record_change`` in the same
  transaction. Target: at most 25 % extra.

The stored log is written directly (canonical bodies, leaf hashes and subtree rows computed with
``merkle.CompactRange`` in memory, then bulk-inserted: PostgreSQL ``COPY``, SQLite ``executemany``)
because N calls of ``record()`` would take hours; the rows are exactly those ``record()`` writes,
and ``verify_log`` checks that. Every measurement runs in its own process (its peak memory is its
own). The store lives in the SQLite file of a temporary data folder, or with ``--postgres`` in a
database ``sanxiang_bench_store`` created and dropped here; (d) uses ``sanxiang_bench``, likewise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench import steps
from bench.postgres import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
STORE_DB, COST_DB = "sanxiang_bench_store", "sanxiang_bench"
CHUNK = 10_000
DETAIL = {"summary": "基准测试条目", "actor_name": "系统", "object_label": "", "changes": {}}
Row = dict[str, Any]


# --- the synthetic log: the same bytes wherever they are needed --------------------------------


def bodies(log_name: str, n: int, detail_hash: str) -> Iterator[bytes]:
    """Entry ``i`` of a synthetic log: canonical JSON shaped exactly like ``record()``'s bodies."""
    from sanxiang.ledger.canonical import canonical_bytes

    for i in range(n):
        seconds, micros = divmod(i, 1000)
        yield canonical_bytes({
            "v": 1, "log": log_name, "type": "bench.synthetic",
            "time": f"2026-01-01T{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
                    f".{micros * 1000:06d}+00:00",
            "agency": None, "actor": None, "object": None, "snapshot": "", "files": [],
            "detail": detail_hash,
        })


def chunked(items: Iterator[bytes], size: int) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- steps, each run in its own process: ``python -m bench.ledger_store _step <name> …`` --------


def step_migrate() -> Row:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return {}


def step_fill(log_name: str, n: str) -> Row:
    """Write a log of ``n`` entries (entry rows and subtree rows) as ``record()`` would have."""
    from django.db import connection, transaction

    from sanxiang.ledger import merkle
    from sanxiang.ledger.canonical import snapshot_hash
    from sanxiang.ledger.models import Log

    size = int(n)
    with transaction.atomic():
        log = Log.objects.create(name=log_name, algorithm="sha256", size=size)
        tree = merkle.CompactRange(0, (), log.algorithm)
        detail_json = json.dumps(DETAIL, ensure_ascii=False)
        # How each backend stores an aware datetime (SQLite: UTC text without offset).
        stamp = "2026-01-01 00:00:00" if connection.vendor == "sqlite" else "2026-01-01 00:00:00+00:00"
        for chunk in chunked(bodies(log_name, size, snapshot_hash(DETAIL)), CHUNK):
            entries, subtrees = [], []
            for body in chunk:
                leaf = merkle.leaf_hash(body)
                subtrees += [(log.pk, level, index, digest) for level, index, digest in tree.append(leaf)]
                entries.append((log.pk, tree.size - 1, body, leaf, detail_json, "bench.synthetic",
                                None, None, "", "", "", "", "", stamp))
            _insert(connection, entries, subtrees)
    return {"root": tree.root().hex(), "entries": size}


ENTRY_COLUMNS = ("log_id", "index", "body", "leaf_hash", "detail", "event_type", "agency_id", "actor_id",
                 "actor_role", "object_type", "object_id", "object_label", "snapshot_hash", "recorded_at")
SUBTREE_COLUMNS = ("log_id", "level", "index", "hash")


def _insert(connection: Any, entries: list[tuple], subtrees: list[tuple]) -> None:
    for table, columns, rows in (("ledger_entry", ENTRY_COLUMNS, entries),
                                 ("ledger_subtree", SUBTREE_COLUMNS, subtrees)):
        names = ", ".join(f'"{c}"' for c in columns)
        if connection.vendor == "postgresql":
            with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            connection.connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def step_proofs(log_name: str, samples: str) -> Row:
    """Random inclusion and consistency proofs from the stored log, timed one by one."""
    from sanxiang.ledger import merkle
    from sanxiang.ledger.canonical import snapshot_hash
    from sanxiang.ledger.models import Entry, Log
    from sanxiang.ledger.services import subtree_hashes

    log = Log.objects.get(name=log_name)
    n, count, rng = log.size, int(samples), random.Random(7)
    # The floor: the same rows held in memory (bench.ledger_merkle's proof floor), no database.
    memory = merkle.MemoryTree(bodies(log_name, n, snapshot_hash(DETAIL)))
    kinds: dict[str, Callable[[int], tuple[list[tuple[int, int]], Callable]]] = {
        "inclusion": lambda i: (merkle.inclusion_positions(i, n),
                                lambda get: merkle.inclusion_proof_from_subtrees(i, n, get)),
        "consistency": lambda m: (merkle.consistency_positions(m, n),
                                  lambda get: merkle.consistency_proof_from_subtrees(m, n, get)),
    }
    result: Row = {"entries": n}
    for kind, make in kinds.items():
        args = [rng.randrange(n) if kind == "inclusion" else rng.randrange(1, n) for _ in range(count)]
        for name, fetch in (("ours", lambda p: subtree_hashes(log, p)),
                            ("memory", lambda p: {(lv, ix): memory.get(lv, ix) for lv, ix in p})):
            for warm in args[:50]:
                _one_proof(make, warm, fetch)
            timings = [_one_proof(make, arg, fetch)[0] for arg in args]
            result[f"{kind}_{name}"] = summary(timings)
        result[f"{kind}_checked"] = _check_proofs(log, kind, args[:20], make, Entry)
    return result


def _one_proof(make: Callable, arg: int, fetch: Callable) -> tuple[float, list[bytes]]:
    start = time.perf_counter()
    positions, build = make(arg)
    rows = fetch(positions)
    proof = build(lambda level, index: rows[level, index])
    return time.perf_counter() - start, proof


def _check_proofs(log: Any, kind: str, args: list[int], make: Callable, entry_model: Any) -> int:
    """Verify a few of the timed proofs against the stored root, so the timings are of real proofs."""
    from sanxiang.ledger import merkle
    from sanxiang.ledger.services import subtree_hashes

    def root(size: int) -> bytes:
        rows = subtree_hashes(log, merkle.root_positions(size))
        return merkle.root_from_subtrees(size, lambda level, index: rows[level, index])

    top = root(log.size)
    for arg in args:
        proof = _one_proof(make, arg, lambda p: subtree_hashes(log, p))[1]
        if kind == "inclusion":
            body = bytes(entry_model.objects.values_list("body", flat=True).get(log=log, index=arg))
            ok = merkle.verify_inclusion(body, arg, log.size, proof, top)
        else:
            ok = merkle.verify_consistency(arg, log.size, root(arg), top, proof)
        if not ok:
            raise SystemExit(f"{kind} proof for {arg} does not verify")
    return len(args)


def step_verify(log_name: str) -> Row:
    """``verify_log`` over the stored log: seconds and ru_maxrss growth of this process."""
    from sanxiang.ledger.models import Log
    from sanxiang.ledger.verify import verify_log

    log = Log.objects.get(name=log_name)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    report = verify_log(log)
    seconds = time.perf_counter() - start
    growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    if not report.ok:
        raise SystemExit("verify_log failed on the synthetic log: " + "; ".join(map(str, report.problems[:5])))
    return {"seconds": seconds, "rss_growth_kib": growth, "entries": report.entries,
            "subtrees": report.subtrees, "objects": report.objects, "root": report.root.hex()}


def step_floor(log_name: str, n: str) -> Row:
    """The floor: a bare hashlib loop over the same leaf and node input bytes, prepared beforehand."""
    from bench.ledger_merkle import bare_hashlib, hash_inputs
    from sanxiang.ledger.canonical import snapshot_hash

    leaf_inputs, node_inputs = hash_inputs(list(bodies(log_name, int(n), snapshot_hash(DETAIL))))
    start = time.perf_counter()
    bare_hashlib(leaf_inputs, node_inputs)
    return {"seconds": time.perf_counter() - start, "hashes": len(leaf_inputs) + len(node_inputs)}


def step_cost(calls: str) -> Row:
    """(d): the same officer-creating transaction with and without its ledger write, interleaved."""
    from django.db import transaction

    from sanxiang.ledger.services import record_change
    from sanxiang.registry.models import Officer

    agency = _cost_agency()

    def change(i: int, ledger: bool) -> None:
        with transaction.atomic():
            officer = Officer(name="王芳", agency=agency, position="科员", certificate_number=f"B{int(ledger)}{i:09d}",
                              categories=["行政处罚"], issued_on="2024-01-01", expires_on="2029-01-01")
            officer.full_clean()
            officer.save()
            if ledger:
                record_change(event_type="registry.officer.created", actor=None, obj=officer, role="admin",
                              summary=f"新增执法人员：{officer}")

    total, rounds = int(calls), 8
    seconds = {False: 0.0, True: 0.0}
    for warm in range(50):
        change(10**8 + warm, warm % 2 == 0)
    # Alternating rounds, so a drifting machine or a growing table weighs on both sides alike.
    for r in range(rounds):
        for ledger in (r % 2 == 0, r % 2 == 1):
            start = time.perf_counter()
            for i in range(r * total // rounds, (r + 1) * total // rounds):
                change(i, ledger)
            seconds[ledger] += time.perf_counter() - start
    return {"without": seconds[False], "with": seconds[True], "calls": total}


def _cost_agency() -> Any:
    from sanxiang.accounts import services
    from sanxiang.accounts.choices import AgencyKind, JurisdictionLevel
    from sanxiang.testing import make_uscc

    province = services.create_jurisdiction(name="基准省", code="990000", level=JurisdictionLevel.PROVINCE)
    city = services.create_jurisdiction(name="基准市", code="990100", level=JurisdictionLevel.CITY, parent=province)
    return services.create_agency(name="基准市市场监督管理局", uscc=make_uscc(), kind=AgencyKind.ADMINISTRATIVE,
                                  jurisdiction=city)


STEPS: dict[str, Callable[..., Row]] = {"migrate": step_migrate, "fill": step_fill, "proofs": step_proofs,
                                        "verify": step_verify, "floor": step_floor, "cost": step_cost}


def run_step(env: dict[str, str], *args: str) -> Row:
    return steps.run("bench.ledger_store", env, *args)


def summary(seconds: list[float]) -> Row:
    cuts = statistics.quantiles(seconds, n=100)
    return {"p50_ms": cuts[49] * 1e3, "p95_ms": cuts[94] * 1e3, "max_ms": max(seconds) * 1e3}


# --- the run and its table -------------------------------------------------------------------


def measure_store(n: int, samples: int, env: dict[str, str]) -> list[Row]:
    """(b) and (c) against the store in ``env``'s database."""
    small_n = max(n // 4, 1)
    run_step(env, "migrate")
    filled = run_step(env, "fill", "bench/full", str(n))
    run_step(env, "fill", "bench/quarter", str(small_n))
    proofs = run_step(env, "proofs", "bench/full", str(samples))
    verified = run_step(env, "verify", "bench/full")
    small = run_step(env, "verify", "bench/quarter")
    floor = run_step(env, "floor", "bench/full", str(n))
    if verified["root"] != filled["root"]:
        raise SystemExit("verify_log recomputed a different root from the one written")
    rows = []
    for kind, label in (("inclusion", "包含证明"), ("consistency", "一致性证明")):
        ours, raw = proofs[f"{kind}_ours"], proofs[f"{kind}_memory"]
        rows.append(proof_row(f"(b) {label} p50", ours["p50_ms"], raw["p50_ms"], None))
        rows.append(proof_row(f"(b) {label} p95", ours["p95_ms"], raw["p95_ms"], 1.0))
        rows.append(proof_row(f"(b) {label} 最大", ours["max_ms"], raw["max_ms"], None))
    ratio = verified["seconds"] / floor["seconds"]
    rows.append({"name": "(c) 全量校验 verify_log 秒", "ours": f"{verified['seconds']:.1f}",
                 "baseline": f"{floor['seconds']:.2f}", "ratio": f"{ratio:.1f}x", "target": "≤ 2x",
                 "pass": ratio <= 2})
    grow_small, grow_full = small["rss_growth_kib"] / 1024, verified["rss_growth_kib"] / 1024
    rows.append({"name": f"(c) 校验内存增长 MB {small_n}→{n} 条", "ours": f"{grow_small:.0f} → {grow_full:.0f}",
                 "baseline": "", "ratio": f"{grow_full / max(grow_small, 1):.1f}x", "target": "持平",
                 "pass": grow_full <= grow_small * 1.5 + 16})
    return rows


def proof_row(name: str, ours: float, raw: float, target: float | None) -> Row:
    return {"name": name, "ours": f"{ours:.3f}", "baseline": f"{raw:.3f}", "ratio": f"{ours / raw:.1f}x",
            "target": f"< {target:g} ms" if target else "", "pass": ours < target if target else None}


def measure_cost(calls: int, env: dict[str, str]) -> list[Row]:
    """(d) on PostgreSQL, in a database of its own."""
    url = recreate_database(COST_DB)
    try:
        pg_env = {**env, "DATABASE_URL": url}
        run_step(pg_env, "migrate")
        cost = run_step(pg_env, "cost", str(calls))
    finally:
        drop_database(COST_DB)
    extra = cost["with"] / cost["without"] - 1
    return [{"name": f"(d) 登记一名执法人员（{calls} 次）毫秒/次", "ours": f"{cost['with'] / calls * 1e3:.2f}",
             "baseline": f"{cost['without'] / calls * 1e3:.2f}", "ratio": f"+{extra:.0%}", "target": "≤ +25%",
             "pass": extra <= 0.25}]


def pad(text: str, width: int, right: bool = False) -> str:
    from bench.ledger_merkle import pad as pad_wide

    return pad_wide(text, width, right)


def print_table(n: int, where: str, rows: list[Row]) -> None:
    print(f"\n存储的账本：{n} 条记录（{where}），SHA-256")
    print("(b) 基线 = 同样的子树哈希放在内存中取用（无数据库）；(c) 基线 = 同样叶/节点字节的裸 hashlib 循环；"
          "(d) 基线 = 同一事务不写账本（PostgreSQL）\n")
    heads = [("项目", 42), ("三项", 14), ("基线", 10), ("比值", 9), ("目标", 10), ("结果", 6)]
    print(" ".join(pad(h, w, 0 < i < 4) for i, (h, w) in enumerate(heads)))
    for row in rows:
        verdict = "" if row["pass"] is None else ("通过" if row["pass"] else "未达标")
        cells = [row["name"], row["ours"], row["baseline"], row["ratio"], row["target"], verdict]
        print(" ".join(pad(c, w, 0 < i < 4) for i, (c, (_, w)) in enumerate(zip(cells, heads, strict=True))))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ledger_store", description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="entries in the stored log (default 1000000)")
    parser.add_argument("--samples", type=int, default=1000, help="proofs of each kind (default 1000)")
    parser.add_argument("--calls", type=int, default=2000, help="(d): transactions each way (default 2000)")
    parser.add_argument("--postgres", action="store_true", help="store the log in PostgreSQL instead of SQLite")
    parser.add_argument("--skip-cost", action="store_true", help="skip (d), which needs PostgreSQL")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="sanxiang-ledger-bench-"))
    env = {**os.environ, "SANXIANG_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "sanxiang.settings"}
    env.pop("DATABASE_URL", None)
    try:
        if args.postgres:
            env["DATABASE_URL"] = recreate_database(STORE_DB)
        rows = measure_store(args.entries, args.samples, env)
        if not args.skip_cost:
            rows += measure_cost(args.calls, {k: v for k, v in env.items() if k != "DATABASE_URL"})
        print_table(args.entries, "PostgreSQL" if args.postgres else "SQLite 文件", rows)
    finally:
        if args.postgres:
            drop_database(STORE_DB)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    steps.entry(STEPS, main)
