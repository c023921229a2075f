"""``python -m bench.evidence [--sizes 200M,2G]``: evidence ingest against its floor.

For each size, one file of random bytes is made, then measured, each in a fresh process:

* Sanxiang: ``sanxiang.evidence.services.ingest`` reading the file in 1 MiB chunks — hashing while
  writing into the local store, type by content, metadata, the row and its ledger entry (SQLite in
  a temporary data folder);
* the floor: ``sha256sum FILE`` followed by ``cp FILE DEST`` (hash, then copy: what any careful
  ingest must at least do).

The ingest runs in a process that only starts Django and loads the uploader (the database, the
accounts and the case are made beforehand by another process: migrations and the accounts'
memory-hard Argon2 hashes would otherwise set the process's peak long before the ingest starts).

Prints MB/s for both, their ratio (target ≥ 0.8) and the ingest process's memory: its resident set
before the ingest, the peak of its resident set during the ingest (VmHWM, reset just before the
ingest; target < 100 MB at any size — the whole process, Django included), their difference, and
the peak of Python allocations during the ingest (tracemalloc).
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


def _status(field: str) -> int:
    """A memory figure of this process from /proc/self/status, in KiB (VmRSS now, VmHWM peak)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak() -> bool:
    """Start VmHWM afresh from the current RSS (Linux ≥ 4.0); False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def step_prepare() -> dict:
    """In its own process: the database, the accounts and a case in 调查取证 to upload to. Kept out
    of the measured process: migrations load every migration module, and the accounts' Argon2
    password hashes take ~100 MiB each while they are computed (memory-hard on purpose)."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sanxiang.cases.choices import CaseState
    from sanxiang.cases.testing import build_case_world, walk_to
    from sanxiang.testing import build_world

    cw = build_case_world(build_world())
    case = walk_to(cw, CaseState.INVESTIGATION)
    return {"case": case.pk, "user": cw.user("officer").pk, "officer": cw.officer.pk}


def step_ingest(path: str, case_pk: int, user_pk: int, officer_pk: int) -> dict:
    """In a fresh process that only starts Django and loads the uploader: one timed ingest of
    ``path``, with the process's resident memory before it and at its peak during it, and the
    peak of Python allocations during it (tracemalloc)."""
    import gc
    import tracemalloc

    import django

    django.setup()
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.evidence import services
    from sanxiang.registry.models import Officer

    user, officer = User.objects.get(pk=user_pk), Officer.objects.get(pk=officer_pk)
    description = services.Description("audio_visual", "基准：执法记录仪全过程录像", timezone.now(), "基准地点",
                                       officer, "基准设备")
    services.check_may_upload(user, case_pk)  # warm: the queries' code paths are loaded before measuring
    gc.collect()
    baseline = _status("VmRSS")
    peak_reset = _reset_peak()
    tracemalloc.start()
    started = time.perf_counter()
    with open(path, "rb") as source:
        evidence = services.ingest(user, case_pk, iter(lambda: source.read(1024 * 1024), b""),
                                   original_name="基准.bin.mp4", description=description)
    os.sync()
    seconds = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"seconds": seconds, "size": evidence.size, "rss_before_kb": baseline, "rss_peak_kb": _status("VmHWM"),
            "peak_reset": peak_reset, "traced_peak_bytes": traced}


def _run(step: str, *args: str, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.evidence", step, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(size: int, folder: str | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="sanxiang-evidence-bench-", dir=folder))
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
        ids = _run("_prepare", env=env)
        ours = _run("_ingest", str(source), str(ids["case"]), str(ids["user"]), str(ids["officer"]), env=env)
        return {"size": size, "floor": floor_seconds, **ours}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "_prepare":
        print(json.dumps(step_prepare()))
        return 0
    if argv and argv[0] == "_ingest":
        print(json.dumps(step_ingest(argv[1], *map(int, argv[2:5]))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.evidence", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200M,2G", help="file sizes, comma-separated (default 200M,2G)")
    parser.add_argument("--dir", default=None, help="folder for the file, its copy and the data folder "
                                                    "(default: the system's temporary folder)")
    args = parser.parse_args(argv)
    print(f"{'文件大小':<10}{'三项 MB/s':>11}{'底线 MB/s':>11}{'比值':>7}{'入库前 RSS MB':>15}{'入库峰值 RSS MB':>17}"
          f"{'增长 MB':>10}{'Python 分配峰值 MB':>20}")
    for text in args.sizes.split(","):
        result = measure(parse_size(text), args.dir)
        mb = result["size"] / 1024 ** 2
        ours, base = mb / result["seconds"], mb / result["floor"]
        before, peak = result["rss_before_kb"] / 1024, result["rss_peak_kb"] / 1024
        print(f"{text:<10}{ours:>11.0f}{base:>11.0f}{ours / base:>7.2f}{before:>15.1f}{peak:>17.1f}"
              f"{peak - before:>10.1f}{result['traced_peak_bytes'] / 1024 ** 2:>20.1f}"
              + ("" if result["peak_reset"] else "  （无法重置峰值：含启动时的峰值）"))
    print("底线：sha256sum 后 cp（先哈希再复制）；三项：流式写入并同时计算 SHA-256，识别类型、读取元数据、写入记录与全过程记录。")
    print("入库进程只启动 Django 并载入上传人；入库峰值 RSS 为入库期间整个进程的常驻内存峰值（目标 < 100 MB）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
