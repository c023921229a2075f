"""Checking stored evidence against the ledger: every file is present, its content still hashes
to what the ledger recorded when it was ingested, the row still says so, and no row the ledger
recorded has gone. In storage that enforces retention (S3 Object Lock) each object's lock is also
brought up to the row's period (:mod:`sanxiang.evidence.retention`): set where sealing failed at
upload, extended once the case is archived."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sanxiang.evidence.models import Evidence
from sanxiang.evidence.retention import retain_until
from sanxiang.evidence.storage import LocalStore, StoreError, rehash, store_named
from sanxiang.ledger.models import Entry

# Other files kept in the evidence store and checked by ``verify_evidence`` (the 双随机 tasks'
# recordings): callables returning their problems as sentences, registered by the owning app.
OTHER_CHECKS: list[Callable[[], list[str]]] = []


@dataclass(frozen=True)
class Problem:
    evidence: int
    case_number: str
    kind: str  # missing / changed / unrecorded / row_missing / unsealed
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


def verify_all(store: LocalStore | None = None, on_item: Callable[[], object] | None = None,
               notes: list[str] | None = None) -> list[Problem]:
    """Check every evidence row's file in its own store (or in ``store`` when given). Locks set or
    extended on the way are described in ``notes`` when a list is given."""
    ledger = recorded_hashes()
    problems: list[Problem] = []
    stores: dict[str, LocalStore] = {}
    rows = Evidence.objects.select_related("case").order_by("id")
    for evidence in rows.iterator(chunk_size=500):
        where = store or stores.setdefault(evidence.storage, store_named(evidence.storage))
        found = check_one(where, evidence, ledger.pop(str(evidence.pk), set()))
        if not found:
            found = _keep_locked(where, evidence, notes)
        problems += found
        if on_item:
            on_item()
    for gone in sorted(ledger, key=int):
        problems.append(Problem(int(gone), _case_number_of(gone), "row_missing", "的记录已不存在，但全过程记录中有其上传记录"))
    return problems


def _case_number_of(evidence_id: str) -> str:
    """The case number the ledger's upload entry names for a row that is gone."""
    from sanxiang.cases.models import Case

    entry = Entry.objects.filter(object_type="evidence.evidence", object_id=evidence_id,
                                 event_type="evidence.added").first()
    case_pk = (entry.detail or {}).get("changes", {}).get("case") if entry else None
    number = Case.objects.filter(pk=case_pk).values_list("case_number", flat=True).first() if case_pk else None
    return (number or f"案件 #{case_pk}") if case_pk else "案件不明"


def _keep_locked(store: LocalStore, evidence: Evidence, notes: list[str] | None) -> list[Problem]:
    """Bring the object's retention up to the row's period where the store enforces one."""
    if not hasattr(store, "retained_until"):
        return []
    until = retain_until(evidence)
    try:
        changed = store.seal(evidence.sha256, until)
    except Exception as exc:  # noqa: BLE001 - any storage error is reported, not raised
        return [Problem(evidence.pk, evidence.case.case_number, "unsealed", f"未能设置对象锁定：{exc}")]
    if changed and notes is not None:
        notes.append(f"证据 #{evidence.pk}：对象锁定已设置或延长至 {until:%Y-%m-%d}（保存 {evidence.retention_years} 年）")
    return []


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
