"""``python -m bench.cases [--cases N] [--postgres | --all-databases] [--render K] [--profile K]``

Case handling through the service layer, against the floor, in one run:

* **Sanxiang**: N cases (default 10,000) filed and moved through the whole lifecycle by
  ``sanxiang.cases.services`` — register → request filing → approve filing → end investigation →
  proposal → prior notice → conclude notice → decide → serve → record execution → close →
  archive (12 steps), with the 6 documents those steps require issued through
  ``services.issue_document`` (立案审批表, 现场检查笔录, 事先告知书, 决定书, 送达回证, 结案审批表).
  Every call checks roles and preconditions, locks the case, refreshes its deadlines and writes
  its ledger entry in its own transaction, as a user's request does. Rendering is deferred
  (``CASES_DOCUMENT_RENDERING = "deferred"``): issuing a document queues its rendering task, and
  the rendering itself is measured apart.
* **Floor**: the bare ORM writes of the same case rows: one ``Case`` insert and one
  ``Case.objects.filter(pk=…).update(state=…)`` per step, each in its own autocommit
  transaction — no checks, no child rows, no ledger.
* **Rendering**: ``sanxiang.cases.documents.render`` (docx + PDF, hashes, signature, ledger entry)
  on K issued documents (default 24, each kind alike), seconds per document.

Each measurement runs in its own process on the database of a temporary data folder (SQLite
file), or with ``--postgres`` in a PostgreSQL database ``sanxiang_bench_cases`` created and
dropped here; ``--all-databases`` measures both and prints them side by side. ``--profile K``
also prints the top costs of the service path over K cases (cProfile, cumulative time).
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
BENCH_DB = "sanxiang_bench_cases"
STEPS_PER_CASE = 12
DOCUMENTS_PER_CASE = 6
AGENCY_NAME = "基准市市场监督管理局"
Row = dict[str, Any]


# --- steps, each run in its own process: ``python -m bench.cases _step <name> …`` ---------------


def step_setup() -> Row:
    """Migrate, then one agency with the people a case needs: an officer (with a login), a second
    officer, a unit head, an agency head; one enforcement item citing one article."""
    from django.core.management import call_command

    from sanxiang.accounts import services
    from sanxiang.accounts.choices import AgencyKind, JurisdictionLevel, Role
    from sanxiang.cases.testing import make_item, make_officer
    from sanxiang.testing import make_uscc

    call_command("migrate", verbosity=0)
    province = services.create_jurisdiction(name="基准省", code="990000", level=JurisdictionLevel.PROVINCE)
    city = services.create_jurisdiction(name="基准市", code="990100", level=JurisdictionLevel.CITY, parent=province)
    agency = services.create_agency(name=AGENCY_NAME, short_name="基准市监", uscc=make_uscc(),
                                    kind=AgencyKind.ADMINISTRATIVE, jurisdiction=city)
    users = {name: services.create_user(actor=None, agency=agency, username=f"bench_{name}",
                                        password="Bench-Password-2026", full_name=name, roles=[role])
             for name, role in (("officer", Role.OFFICER), ("unit_head", Role.UNIT_HEAD),
                                ("agency_head", Role.AGENCY_HEAD))}
    make_officer(agency, "王执法", users["officer"])
    make_officer(agency, "李协办")
    make_item(agency)
    # This benchmark measures the case lifecycle, not evidence ingest (bench/evidence.py): the
    # agency's 音像记录事项清单 asks for no recordings, so no step waits for an upload.
    from sanxiang.evidence.models import RecordingRequirement
    from sanxiang.evidence.recording import DEFAULTS

    RecordingRequirement.objects.bulk_create([RecordingRequirement(agency=agency, step=step, level="none")
                                              for step in DEFAULTS])
    return {}


class World:
    def __init__(self) -> None:
        from sanxiang.accounts.models import Agency, User
        from sanxiang.registry.models import EnforcementItem, Officer

        self.agency = Agency.objects.get(name=AGENCY_NAME)
        self.officer, self.head, self.boss = (User.objects.get(username=f"bench_{n}")
                                              for n in ("officer", "unit_head", "agency_head"))
        self.officers = list(Officer.objects.filter(agency=self.agency).order_by("pk"))
        self.item = EnforcementItem.objects.get(agency=self.agency)
        self.article_ids = list(self.item.legal_basis.values_list("pk", flat=True))


def lifecycle(world: World, i: int) -> None:
    """One case from 线索登记 to 归档 through the services (12 steps, 6 documents)."""
    import datetime as dt
    import random
    from decimal import Decimal

    from sanxiang.cases import services
    from sanxiang.cases.choices import CaseSource, DecisionType
    from sanxiang.cases.choices import DocumentKind as D
    from sanxiang.cases.testing import company_party

    officer, head, boss = world.officer, world.head, world.boss
    perform, issue, update = services.perform, services.issue_document, services.update_case
    case = services.register_case(
        officer, title=f"基准{i}号食品有限公司经营过期食品案", source=CaseSource.INSPECTION, item=world.item,
        received_on=dt.date.today() - dt.timedelta(days=3), parties=[company_party(random.Random(i))],
        officers=world.officers, lead=world.officers[0], facts="当事人在其经营场所销售超过保质期的牛奶12盒。")
    issue(officer, case, D.FILING_APPROVAL)
    case = perform(officer, case, "request_filing")
    case = perform(head, case, "approve_filing", note="同意立案")
    issue(officer, case, D.INSPECTION_RECORD)
    case = perform(officer, case, "end_investigation")
    case = update(head, case, {"proposed_type": DecisionType.PENALTY, "proposed_penalties": ["warning", "fine"],
                               "proposed_fine": Decimal("5000"), "proposed_basis": world.article_ids,
                               "proposal_text": "警告，并处罚款五千元"})
    issue(head, case, D.PRIOR_NOTICE)
    case = perform(head, case, "issue_notice")
    case = perform(officer, case, "conclude_notice", waived=True)
    case = update(boss, case, {"decision_type": DecisionType.PENALTY, "decision_penalties": ["warning", "fine"],
                               "decision_fine": Decimal("5000"), "decision_basis": world.article_ids,
                               "decision_text": "警告，并处罚款五千元"})
    issue(boss, case, D.DECISION)
    case = perform(boss, case, "decide")
    issue(officer, case, D.SERVICE_RECEIPT)
    case = perform(officer, case, "serve", method="direct")
    case = perform(officer, case, "record_execution", note="已缴纳罚款")
    issue(head, case, D.CLOSING_APPROVAL)
    case = perform(head, case, "close")
    case = perform(head, case, "archive")


def _deferred() -> None:
    from django.conf import settings

    settings.CASES_DOCUMENT_RENDERING = "deferred"


def _counts() -> Row:
    from sanxiang.cases.models import Case, Document
    from sanxiang.ledger.models import Entry

    return {"cases": Case.objects.count(), "documents": Document.objects.count(), "entries": Entry.objects.count()}


def step_sanxiang(n: str) -> Row:
    from sanxiang.cases.choices import CaseState
    from sanxiang.cases.models import Case

    _deferred()
    world = World()
    lifecycle(world, -1)  # warm-up: imports, caches, prepared statements
    before = _counts()
    archived_before = Case.objects.filter(state=CaseState.ARCHIVED).count()
    start = time.perf_counter()
    for i in range(int(n)):
        lifecycle(world, i)
    seconds = time.perf_counter() - start
    after = _counts()
    archived = Case.objects.filter(state=CaseState.ARCHIVED).count() - archived_before
    if archived != int(n):
        raise SystemExit(f"expected {n} more archived cases, found {archived}")
    return {"seconds": seconds, **{k: after[k] - before[k] for k in after}}


def step_floor(n: str) -> Row:
    """The bare ORM: a Case insert and one update per step, each its own autocommit transaction."""
    import datetime as dt

    from sanxiang.cases.choices import CaseSource, CaseState
    from sanxiang.cases.models import Case

    world = World()
    # The state after each of the 11 steps that follow registration (a proposal and recording
    # execution stay in their step but still write the row).
    states = [CaseState.FILING_APPROVAL, CaseState.INVESTIGATION, CaseState.EXAMINATION, CaseState.EXAMINATION,
              CaseState.NOTICE, CaseState.DECISION, CaseState.SERVICE, CaseState.EXECUTION, CaseState.EXECUTION,
              CaseState.CLOSED, CaseState.ARCHIVED]
    assert len(states) == STEPS_PER_CASE - 1
    start = time.perf_counter()
    for i in range(int(n)):
        case = Case.objects.create(
            agency=world.agency, title=f"基准{i}号食品有限公司经营过期食品案", source=CaseSource.INSPECTION,
            item=world.item, received_on=dt.date.today() - dt.timedelta(days=3), created_by=world.officer,
            facts="当事人在其经营场所销售超过保质期的牛奶12盒。")
        for state in states:
            Case.objects.filter(pk=case.pk).update(state=state)
    return {"seconds": time.perf_counter() - start}


def step_render(k: str) -> Row:
    """Render K issued documents (an equal share of each kind), timing each one."""
    from sanxiang.cases.choices import DocumentKind
    from sanxiang.cases.documents import render
    from sanxiang.cases.models import Document

    kinds = [kind for kind in DocumentKind.values if Document.objects.filter(kind=kind).exists()]
    per_kind = max(int(k) // len(kinds), 1)
    render(Document.objects.filter(kind=kinds[0]).order_by("-pk")[per_kind])  # warm-up: fonts, templates
    timings: dict[str, list[float]] = {}
    for kind in kinds:
        for document in Document.objects.filter(kind=kind, pdf_sha256="").order_by("pk")[:per_kind]:
            start = time.perf_counter()
            render(document)
            timings.setdefault(kind, []).append(time.perf_counter() - start)
    flat = [t for values in timings.values() for t in values]
    return {"documents": len(flat), "p50": statistics.median(flat), "max": max(flat),
            "per_kind": {kind: statistics.median(values) for kind, values in timings.items()}}


def step_profile(k: str) -> Row:
    """cProfile over K lifecycles: the functions with the largest cumulative time, per case."""
    import cProfile
    import io
    import pstats

    _deferred()
    world = World()
    lifecycle(world, -2)
    profile = cProfile.Profile()
    profile.enable()
    for i in range(int(k)):
        lifecycle(world, 10**7 + i)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(r"sanxiang|django/db/models/(query|sql/compiler)|sqlite3|psycopg", 45)
    return {"text": out.getvalue(), "cases": int(k)}


STEPS = {"setup": step_setup, "sanxiang": step_sanxiang, "floor": step_floor, "render": step_render,
         "profile": step_profile}


def run_step(env: dict[str, str], *args: str) -> Row:
    return steps.run("bench.cases", env, *args)


# --- the run and its table -------------------------------------------------------------------


def measure(database: str, n: int, render: int, profile: int) -> Row:
    """All measurements on one database ("sqlite" or "postgres"), each in a fresh process."""
    data_dir = Path(tempfile.mkdtemp(prefix="sanxiang-cases-bench-"))
    env = {**os.environ, "SANXIANG_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "sanxiang.settings",
           "SANXIANG_DOCUMENT_RENDERING": "deferred"}
    env.pop("DATABASE_URL", None)
    try:
        if database == "postgres":
            env["DATABASE_URL"] = recreate_database(BENCH_DB)
        print(f"{database}: {n} 件案件", file=sys.stderr)
        run_step(env, "setup")
        floor = run_step(env, "floor", str(n))
        ours = run_step(env, "sanxiang", str(n))
        rendered = run_step(env, "render", str(render)) if render else None
        profiled = run_step(env, "profile", str(profile)) if profile else None
        return {"database": database, "n": n, "floor": floor, "ours": ours, "render": rendered,
                "profile": profiled}
    finally:
        if database == "postgres":
            drop_database(BENCH_DB)
        shutil.rmtree(data_dir, ignore_errors=True)


def table_rows(result: Row) -> list[tuple[str, str, str, str]]:
    n, ours, floor = result["n"], result["ours"], result["floor"]
    steps = n * STEPS_PER_CASE
    ratio = ours["seconds"] / floor["seconds"]
    rows = [
        ("案件全流程 件/秒", f"{n / ours['seconds']:.1f}", f"{n / floor['seconds']:.1f}", f"{ratio:.1f}x"),
        ("办案环节 次/秒", f"{steps / ours['seconds']:.0f}", f"{steps / floor['seconds']:.0f}", f"{ratio:.1f}x"),
        ("每环节 毫秒", f"{ours['seconds'] / steps * 1e3:.2f}", f"{floor['seconds'] / steps * 1e3:.2f}",
         f"{ratio:.1f}x"),
        ("总耗时 秒", f"{ours['seconds']:.1f}", f"{floor['seconds']:.1f}", f"{ratio:.1f}x"),
        ("账本条目 / 文书（三项）", f"{ours['entries']} / {ours['documents']}", "0 / 0", ""),
    ]
    if result["render"]:
        r = result["render"]
        rows.append((f"文书生成 秒/份（{r['documents']} 份，中位）", f"{r['p50']:.2f}", "", ""))
    return rows


def pad(text: str, width: int, right: bool = False) -> str:
    from bench.ledger_merkle import pad as pad_wide

    return pad_wide(text, width, right)


def print_table(results: list[Row]) -> None:
    n = results[0]["n"]
    print(f"\n执法办案：{n} 件案件经服务层走完全流程（{STEPS_PER_CASE} 个环节、{DOCUMENTS_PER_CASE} 份文书，"
          "含账本写入；文书渲染为 deferred，仅排队，渲染另计）")
    print("底线 = 同样的案件行：ORM 插入 1 行 + 每个环节 1 次 filter(pk).update(state=…)，无校验、无子表、无账本\n")
    heads = [("项目", 30)]
    for result in results:
        name = "SQLite" if result["database"] == "sqlite" else "PostgreSQL"
        heads += [(f"{name} 三项", 16), ("底线", 10), ("倍数", 7)]
    print(" ".join(pad(h, w, i > 0) for i, (h, w) in enumerate(heads)))
    per_db = [table_rows(r) for r in results]
    for index, row in enumerate(per_db[0]):
        cells = [row[0]] + [c for rows in per_db for c in rows[index][1:]]
        print(" ".join(pad(c, w, i > 0) for i, (c, (_, w)) in enumerate(zip(cells, heads, strict=True))))
    for result in results:
        if result["render"]:
            kinds = "，".join(f"{k} {v:.2f}" for k, v in result["render"]["per_kind"].items())
            print(f"\n{result['database']} 各类文书渲染秒/份（中位）：{kinds}")
        if result["profile"]:
            print(f"\n{result['database']} 服务层剖析（{result['profile']['cases']} 件案件，cProfile 累计时间）：")
            print(result["profile"]["text"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cases", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases to file and close (default 10000)")
    parser.add_argument("--postgres", action="store_true", help="measure on PostgreSQL instead of SQLite")
    parser.add_argument("--all-databases", action="store_true", help="measure on SQLite and PostgreSQL")
    parser.add_argument("--render", type=int, default=24, help="documents to render apart (default 24; 0: skip)")
    parser.add_argument("--profile", type=int, default=0, help="also profile K lifecycles (default 0: skip)")
    parser.add_argument("--json", action="store_true", help="also print the raw results as JSON")
    args = parser.parse_args(argv)
    databases = ["sqlite", "postgres"] if args.all_databases else ["postgres"] if args.postgres else ["sqlite"]
    results = [measure(db, args.cases, args.render, args.profile) for db in databases]
    print_table(results)
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if k != "profile"} for r in results], ensure_ascii=False))


if __name__ == "__main__":
    steps.entry(STEPS, main)
