"""``python -m bench.evidence [--sizes 200M,2G]``: evidence ingest against its floor.

For each size, one file of random bytes is made, then measured, each in a fresh process:

* Sanxiang: ``sanxiang.evidence.services.ingest`` reading the file in 1 MiB chunks — hashing while
  writing into the local store, type by content, metadata, the row and its ledger entry (SQLite in
  a temporary data folder);
* the floor: ``sha256sum FILE`` followed by ``cp FILE DEST`` (hash, then copy: what any careful
  ingest must at least do).

Prints MB/s for both, their ratio (target ≥ 0.8) and the ingest process's peak memory growth
(maximum resident set size after the ingest minus before it; target < 100 MB at any size).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}


def parse_size(text: str) -> int:
    text = text.strip().upper()
    return int(float(text[:-1]) * UNITS[text[-1]]) if text[-1] in UNITS else int(text)


def make_file(path: Path, size: int) -> None:
    chunk = os.urandom(8 * 1024 * 1024)
    with path.open("wb") as out:
        left = size
        while left > 0:
            out.write(chunk[:min(left, len(chunk))])
            left -= len(chunk)


def floor(source: Path, dest: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["sha256sum", str(source)], check=True, capture_output=True)
    subprocess.run(["cp", str(source), str(dest)], check=True)
    os.sync()
    return time.perf_counter() - started


def step_ingest(path: str) -> dict:
    """In a fresh process with Django: a case, then one timed ingest of ``path``."""
    import resource

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sanxiang.cases.choices import CaseState
    from sanxiang.cases.testing import build_case_world, walk_to
    from sanxiang.evidence import services
    from sanxiang.testing import build_world

    cw = build_case_world(build_world())
    case = walk_to(cw, CaseState.INVESTIGATION)
    description = services.Description("audio_visual", "基准：执法记录仪全过程录像", django.utils.timezone.now(),
                                       "基准地点", cw.officer, "基准设备")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with open(path, "rb") as source:
        evidence = services.ingest(cw.user("officer"), case, iter(lambda: source.read(1024 * 1024), b""),
                                   original_name="基准.bin.mp4", description=description)
    os.sync()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "size": evidence.size, "rss_growth_kb": after - before, "rss_peak_kb": after}


def measure(size: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="sanxiang-evidence-bench-"))
    try:
        source = work / "input.mp4"
        make_file(source, size)
        # an MP4 header so the file passes the type check like a real recording
        from sanxiang.evidence import samples as media

        header = media.mp4(60)
        with source.open("r+b") as handle:
            handle.write(header)
        os.sync()
        floor_seconds = floor(source, work / "copy.bin")
        (work / "copy.bin").unlink()
        env = {**os.environ, "SANXIANG_DATA_DIR": str(work / "data"), "DJANGO_SETTINGS_MODULE": "sanxiang.settings",
               "SANXIANG_DOCUMENT_RENDERING": "deferred"}
        env.pop("DATABASE_URL", None)
        done = subprocess.run([sys.executable, "-m", "bench.evidence", "_ingest", str(source)], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        ours = json.loads(done.stdout.strip().splitlines()[-1])
        return {"size": size, "floor": floor_seconds, **ours}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "_ingest":
        print(json.dumps(step_ingest(argv[1])))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.evidence", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200M,2G", help="file sizes, comma-separated (default 200M,2G)")
    args = parser.parse_args(argv)
    print(f"{'文件大小':<10}{'三项 MB/s':>12}{'底线 MB/s':>12}{'比值':>8}{'内存增长 MB':>14}{'进程峰值 MB':>14}")
    for text in args.sizes.split(","):
        result = measure(parse_size(text))
        mb = result["size"] / 1024 ** 2
        ours, base = mb / result["seconds"], mb / result["floor"]
        print(f"{text:<10}{ours:>12.0f}{base:>12.0f}{ours / base:>8.2f}"
              f"{result['rss_growth_kb'] / 1024:>14.1f}{result['rss_peak_kb'] / 1024:>14.1f}")
    print("底线：sha256sum 后 cp（先哈希再复制）；三项：流式写入并同时计算 SHA-256，识别类型、读取元数据、写入记录与全过程记录。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
