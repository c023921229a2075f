"""Checking stored evidence against the ledger: every file is present, its content still hashes
to what the ledger recorded when it was ingested, and the row still says so."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.evidence.models import Evidence
from sanxiang.evidence.storage import LocalStore, StoreError, rehash, store_named
from sanxiang.ledger.models import Entry


@dataclass(frozen=True)
class Problem:
    evidence: int
    case_number: str
    kind: str  # missing / changed / unrecorded
    detail: str

    def __str__(self) -> str:
        return f"证据 #{self.evidence}（{self.case_number or '未立案'}）{self.detail}"


def recorded_hashes() -> dict[str, set[str]]:
    """Evidence id → the file hashes its ledger entries name."""
    found: dict[str, set[str]] = {}
    entries = Entry.objects.filter(object_type="evidence.evidence", event_type="evidence.added")
    for object_id, body in entries.values_list("object_id", "body").iterator(chunk_size=1000):
        found.setdefault(object_id, set()).update(json.loads(bytes(body))["files"])
    return found


def verify_all(store: LocalStore | None = None, on_item: Callable[[], object] | None = None) -> list[Problem]:
    """Check every evidence row's file in its own store (or in ``store`` when given)."""
    ledger = recorded_hashes()
    problems: list[Problem] = []
    stores: dict[str, LocalStore] = {}
    rows = Evidence.objects.select_related("case").order_by("id")
    for evidence in rows.iterator(chunk_size=500):
        where = store or stores.setdefault(evidence.storage, store_named(evidence.storage))
        problems += check_one(where, evidence, ledger.get(str(evidence.pk), set()))
        if on_item:
            on_item()
    return problems


def check_one(store: LocalStore, evidence: Evidence, recorded: set[str]) -> list[Problem]:
    number = evidence.case.case_number
    found = []
    if evidence.sha256 not in recorded:
        found.append(Problem(evidence.pk, number, "unrecorded", "的哈希与全过程记录不符（记录被改动或缺失）"))
    try:
        with store.open(evidence.sha256) as handle:
            actual = rehash(handle)
    except StoreError:
        return [*found, Problem(evidence.pk, number, "missing", f"文件缺失：{evidence.original_name}")]
    if actual != evidence.sha256:
        found.append(Problem(evidence.pk, number, "changed", f"文件内容已被改动：{evidence.original_name}"))
    return found
