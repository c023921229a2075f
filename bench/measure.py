"""One measured operation, run in its own process so its peak memory is its own.

``python -m bench.measure <operation> <registry> <rows> <file>`` prints one JSON line:
seconds, ru_maxrss growth (KiB; Linux reports ru_maxrss in KiB) and, with ``--tracemalloc``,
the tracemalloc peak (bytes of Python allocations).
"""

import json
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanxiang.settings")
    django.setup()


def _agency():  # -> Agency
    from sanxiang.accounts.models import Agency

    return Agency.objects.get(name="基准市市场监督管理局")


def baseline_write(key: str, rows: int, path: str) -> dict[str, object]:
    """The floor of an export: openpyxl write-only, the same cells, no database."""
    from openpyxl import Workbook

    from bench.data import ROWS

    headers, generate = ROWS[key]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(key)
    sheet.append(headers + ["所属执法主体"])
    for row in generate(rows):
        sheet.append(row + ["基准市市场监督管理局"])
    workbook.save(path)
    return {}


def baseline_read(key: str, rows: int, path: str) -> dict[str, object]:
    """The floor of an import: openpyxl read-only, every cell read, no validation, no database."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    workbook.close()
    return {"rows": count}


def sanxiang_import(key: str, rows: int, path: str) -> dict[str, object]:
    from sanxiang.registry.excel import import_file

    outcome = import_file(key, path, _agency())
    if not outcome.ok or outcome.created != rows:
        raise SystemExit(f"import failed: {outcome.errors[:5]}")
    return {"rows": outcome.created}


def sanxiang_export(key: str, rows: int, path: str) -> dict[str, object]:
    from sanxiang.registry.excel import export_rows, spec_for

    count = export_rows(key, spec_for(key).model.objects.filter(agency=_agency()), path)
    return {"rows": count}


def generate(key: str, rows: int, path: str) -> dict[str, object]:
    """Write the input file (not part of the comparison): the sheet as an admin would fill it."""
    from openpyxl import Workbook

    from bench.data import ROWS
    from sanxiang.registry.excel import spec_for

    headers, rows_of = ROWS[key]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec_for(key).sheet)
    sheet.append(headers)
    for row in rows_of(rows):
        sheet.append(row)
    workbook.save(path)
    return {}


OPERATIONS: dict[str, Callable[[str, int, str], dict[str, object]]] = {
    "generate": generate, "baseline_read": baseline_read, "baseline_write": baseline_write,
    "import": sanxiang_import, "export": sanxiang_export,
}


def main(argv: list[str]) -> None:
    use_tracemalloc = "--tracemalloc" in argv
    operation, key, rows, path = [a for a in argv if not a.startswith("--")]
    _setup()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if use_tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    result = OPERATIONS[operation](key, int(rows), path)
    result["seconds"] = time.perf_counter() - started
    if use_tracemalloc:
        result["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    result["rss_growth_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    result["rss_peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
