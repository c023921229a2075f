"""``python -m bench [--rows N] [--tracemalloc] [--keep]``; ``python -m bench --suite ledger [--entries N] [--postgres]``;
``python -m bench --suite cases [--cases N] [--postgres]``

Generates N officer rows and N inspection-target rows as .xlsx files, then measures, each in a
fresh process on the SQLite database of a temporary data folder:

* import (validate + write, all-or-nothing) and export of Sanxiang, against
* the baseline: openpyxl's own streaming read / write of the same file, without validation or
  database — the floor nothing built on openpyxl can go under.

Prints a table of seconds, rows per second and peak memory side by side.

``--suite ledger`` runs the ledger's benchmarks instead: the Merkle tree in memory
(bench/ledger_merkle.py), then the stored log — proofs, full verification and the cost of a
ledger write on PostgreSQL (bench/ledger_store.py; ``--postgres`` stores the log there too).

``--suite cases`` files N cases (default 10,000) and moves them through the whole lifecycle via the
service layer, against the bare ORM writes of the same case rows (bench/cases.py; ``--postgres``
on PostgreSQL).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTRIES = ["officers", "targets"]
PAIRS = [("读取/导入", "baseline_read", "import"), ("写出/导出", "baseline_write", "export")]


def run(operation: str, key: str, rows: int, path: Path, env: dict[str, str], tracemalloc: bool) -> dict:
    command = [sys.executable, "-m", "bench.measure", operation, key, str(rows), str(path)]
    if tracemalloc:
        command.append("--tracemalloc")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{operation} {key} failed:\n{done.stderr}{done.stdout}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory(result: dict) -> str:
    text = f"{result['rss_growth_kib'] / 1024:7.1f}"
    if "tracemalloc_peak" in result:
        text += f" / {result['tracemalloc_peak'] / 2**20:6.1f}"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[2])
    parser.add_argument("--rows", type=int, default=100_000, help="rows per registry (default 100000)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also report the tracemalloc peak (about 5x slower)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument("--suite", choices=["excel", "ledger", "cases"], default="excel",
                        help="excel: registry import/export (default); ledger: the Merkle tree and the stored log; "
                             "cases: case handling through the services")
    parser.add_argument("--entries", type=int, default=1_000_000, help="ledger suite: entries (default 1000000)")
    parser.add_argument("--postgres", action="store_true",
                        help="ledger suite: keep the stored log in PostgreSQL, not SQLite; cases suite: measure on "
                             "PostgreSQL")
    parser.add_argument("--cases", type=int, default=10_000, help="cases suite: cases (default 10000)")
    args = parser.parse_args()
    if args.suite == "cases":
        from bench import cases

        cases.main(["--cases", str(args.cases)] + (["--postgres"] if args.postgres else []))
        return
    if args.suite == "ledger":
        from bench import ledger_merkle, ledger_store

        ledger_merkle.main(["--entries", str(args.entries)])
        ledger_store.main(["--entries", str(args.entries)] + (["--postgres"] if args.postgres else []))
        return

    data_dir = Path(tempfile.mkdtemp(prefix="sanxiang-bench-"))
    env = {**os.environ, "SANXIANG_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "sanxiang.settings"}
    env.pop("DATABASE_URL", None)  # always the embedded SQLite of the temporary folder
    try:
        subprocess.run([sys.executable, "-m", "bench.setup_db"], cwd=ROOT, env=env, check=True)
        lines = []
        for key in REGISTRIES:
            source = data_dir / f"{key}.xlsx"
            run("generate", key, args.rows, source, env, False)
            size = source.stat().st_size / 2**20
            print(f"{key}: {args.rows} 行，文件 {size:.1f} MB", file=sys.stderr)
            for label, baseline_op, sanxiang_op in PAIRS:
                target = source if sanxiang_op == "import" else data_dir / f"{key}-{sanxiang_op}.xlsx"
                floor = run(baseline_op, key, args.rows, target if baseline_op == "baseline_read" else
                            data_dir / f"{key}-baseline.xlsx", env, args.tracemalloc)
                ours = run(sanxiang_op, key, args.rows, target, env, args.tracemalloc)
                lines.append((key, label, floor, ours))
        print_table(args.rows, lines, args.tracemalloc)
    finally:
        if args.keep:
            print(f"数据目录保留在 {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def print_table(rows: int, lines: list, tracemalloc: bool) -> None:
    mem = "内存增长MB" + (" / tracemalloc峰值MB" if tracemalloc else "")
    print(f"\n每个基础库 {rows} 行；基线 = openpyxl 只读/只写流式读写同一文件（无校验、无数据库）\n")
    head = f"{'基础库':<10}{'操作':<10}{'基线秒':>8}{'三项秒':>8}{'倍数':>7}{'三项行/秒':>11}"
    print(f"{head}   基线{mem}   三项{mem}")
    for key, label, floor, ours in lines:
        ratio = ours["seconds"] / floor["seconds"] if floor["seconds"] else 0
        print(f"{key:<12}{label:<10}{floor['seconds']:>9.1f}{ours['seconds']:>9.1f}{ratio:>8.1f}x"
              f"{rows / ours['seconds']:>12.0f}   {memory(floor):>14}   {memory(ours):>14}")


if __name__ == "__main__":
    main()
