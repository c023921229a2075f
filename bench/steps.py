"""Running a benchmark's measurements each in a fresh process, so no step's imports, caches or
memory colour the next one. A benchmark module defines ``STEPS`` (name → function returning a
JSON-able row) and ends with ``steps.entry(STEPS, main)``; its parent calls
``steps.run(module, env, name, *args)``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
Row = dict[str, Any]


def run(module: str, env: dict[str, str], *args: str) -> Row:
    """Run step ``args`` of ``module`` (e.g. "bench.cases") in a child process; its last output line."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", module, "_step", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"step {' '.join(args)} failed:\n{done.stderr[-4000:]}{done.stdout[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {' '.join(args)}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return result


def entry(steps: dict[str, Callable[..., Row]], main: Callable[[], None]) -> None:
    """The module's ``if __name__ == "__main__"``: a child runs one step, the parent ``main``."""
    if sys.argv[1:2] != ["_step"]:
        main()
        return
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()
    name, *args = sys.argv[2:]
    print(json.dumps(steps[name](*args)))
