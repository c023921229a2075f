"""``python -m bench.draw [--targets N] [--inspectors M] [--exclusions E] [--percent H,M,L] [--rounds R]``

The verifiable random draw (sanxiang.inspections.draw) against its floor, in one run:

* **Sanxiang, draw**: ``draw_from`` — the seed, per stratum the partial Fisher–Yates draw of
  ``ceil(percent × N / 100)`` targets, then 2 inspectors per drawn target, each chosen uniformly
  among the least-loaded inspectors not excluded (回避) for it;
* **Sanxiang, verification**: ``verify_draw_document`` on the file's object as read from JSON —
  every input list checked (sorted, unique, no line breaks) and hashed, the commitment and seed
  recomputed, the whole draw re-run and compared;
* **the floor**: a bare ``random.sample`` of the same number of targets from the same list of
  all N targets (no commitment, no strata, no inspectors).

Defaults: 1,000,000 targets in 3 risk strata (高/中/低 10 % / 30 % / 60 % of the targets, drawn at
20 % / 10 % / 5 %, i.e. 8 %), 1,000 inspectors, 20,000 exclusions. Each is timed R times
(default 7), interleaved with the floor; the table shows median wall-clock seconds, the ratio
of medians, and the same ratio in CPU time of the process (steadier on a shared machine) —
target: within 5× the floor and under 5 s. Also shown, without a target ratio: preparing the
inputs and their commitment (once, before the draw), writing and reading the JSON file, and the
command ``python -m sanxiang.inspections verify-draw FILE`` end to end in a fresh process.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.ledger_merkle import pad

ROOT = Path(__file__).resolve().parent.parent


def timed(function: Callable[[], Any]) -> float:
    return clocked(function)[0]


def clocked(function: Callable[[], Any]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) of one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def make_inputs(targets: int, inspectors: int, exclusions: int, percents: list[str]) -> dict[str, Any]:
    from sanxiang.inspections.draw.samples import RISK_STRATA, sample_plan, synthetic_inputs

    strata = [(key, label, percent) for (key, label, _), percent in zip(RISK_STRATA, percents, strict=True)]
    return synthetic_inputs(targets, inspectors, exclusions, seed=2026, plan=sample_plan(strata))


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from sanxiang.inspections.draw import (
        build_draw_document,
        commitment_of,
        dump_draw_document,
        load_draw_document,
        randomness_object,
        verify_draw_document,
    )
    from sanxiang.inspections.draw.engine import draw_from

    started = time.perf_counter()
    inputs = make_inputs(args.targets, args.inspectors, args.exclusions, args.percent.split(","))
    prepare = time.perf_counter() - started
    randomness = randomness_object("7c" * 32, 123_457, "2026-03-02 上证综指收盘 3288.41")
    commit_seconds = timed(lambda: commitment_of(inputs))
    commitment = commitment_of(inputs)
    document = build_draw_document(inputs, randomness)
    with tempfile.TemporaryDirectory(prefix="sanxiang-draw-bench-") as folder:
        path = Path(folder) / "draw.json"
        with path.open("w", encoding="utf-8") as stream:
            write = timed(partial(dump_draw_document, document, stream))
        del document
        with path.open("rb") as stream:
            loaded: dict[str, Any] = {}
            read = timed(lambda: loaded.update(load_draw_document(stream)))
        population = [t for ids in loaded["inputs"]["targets"].values() for t in ids]
        drawn = sum(s["count"] for s in loaded["result"]["strata"])
        assert verify_draw_document(loaded) == [], "the benchmark's own file does not verify"
        calls = {"floor": lambda: random.sample(population, drawn),
                 "draw": lambda: draw_from(loaded["inputs"], commitment, randomness),
                 "verify": lambda: verify_draw_document(loaded)}
        rounds: dict[str, list[tuple[float, float]]] = {name: [] for name in calls}
        for _ in range(args.rounds):
            for name, call in calls.items():
                rounds[name].append(clocked(call))
        command = cli_seconds(path)
        size = path.stat().st_size
    return {"args": vars(args), "drawn": drawn, "prepare": prepare, "commit": commit_seconds, "write": write,
            "read": read, "command": command, "file_mb": size / 2**20,
            **{name: statistics.median(w for w, _ in values) for name, values in rounds.items()},
            "cpu": {name: statistics.median(c for _, c in values) for name, values in rounds.items()},
            "spread": {name: (min(w for w, _ in values), max(w for w, _ in values)) for name, values in rounds.items()}}


def cli_seconds(path: Path) -> float:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sanxiang.inspections", "verify-draw", str(path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"verify-draw failed:\n{done.stderr}")
    return seconds


def print_table(result: dict[str, Any]) -> None:
    args, floor = result["args"], result["floor"]
    print(f"\n双随机抽取：{args['targets']:,} 个检查对象（3 个风险层，抽查比例 {args['percent']} %），"
          f"{args['inspectors']:,} 名检查人员，{args['exclusions']:,} 条回避记录；抽中 {result['drawn']:,} 个对象，"
          "每个派 2 人")
    print(f"底线 = random.sample(全部 {args['targets']:,} 个对象, {result['drawn']:,})；"
          f"各 {args['rounds']} 轮交替计时，取中位数\n")
    heads = [("项目", 44), ("秒", 8), ("底线 秒", 9), ("倍数", 7), ("CPU 倍数", 9), ("最快–最慢 秒", 15)]
    print(" ".join(pad(h, w, i > 0) for i, (h, w) in enumerate(heads)))
    rows = [("抽取（draw_from）：种子、分层抽取、派员", "draw"),
            ("验证（verify_draw_document）：全部重算并比对", "verify")]
    cpu = result["cpu"]
    for label, key in rows:
        low, high = result["spread"][key]
        cells = [label, f"{result[key]:.3f}", f"{floor:.3f}", f"{result[key] / floor:.1f}x",
                 f"{cpu[key] / cpu['floor']:.1f}x", f"{low:.3f}–{high:.3f}"]
        print(" ".join(pad(c, w, i > 0) for i, (c, (_, w)) in enumerate(zip(cells, heads, strict=True))))
    others = [
        ("承诺（commitment_of，含跨层检查；承诺时一次）", result["commit"]),
        (f"写出 JSON 文件（{result['file_mb']:.1f} MB）", result["write"]),
        ("读入 JSON 文件", result["read"]),
        ("命令行 verify-draw 端到端（新进程）", result["command"]),
    ]
    for label, seconds in others:
        cells = [label, f"{seconds:.3f}", "", "", "", ""]
        print(" ".join(pad(c, w, i > 0) for i, (c, (_, w)) in enumerate(zip(cells, heads, strict=True))))
    verdict = "达到" if max(result["draw"], result["verify"]) <= 5 * floor and result["verify"] < 5 else "未达到"
    print(f"\n目标（不超过底线的 5 倍且少于 5 秒）：{verdict}。生成输入用时 {result['prepare']:.1f} 秒（不计）。")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.draw", description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=1_000_000, help="检查对象数（默认 1000000）")
    parser.add_argument("--inspectors", type=int, default=1000, help="检查人员数（默认 1000）")
    parser.add_argument("--exclusions", type=int, default=20_000, help="回避记录数（默认 20000）")
    parser.add_argument("--percent", default="20,10,5", help="高、中、低风险层的抽查比例 %%（默认 20,10,5）")
    parser.add_argument("--rounds", type=int, default=7, help="计时轮数（默认 7）")
    print_table(measure(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
