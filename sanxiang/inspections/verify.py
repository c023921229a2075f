"""Checking the 双随机 tasks' audio-visual records as evidence is checked: every file is present,
still hashes to what the ledger recorded at upload, the row still says so, and no row the ledger
recorded has gone. ``manage.py verify_evidence`` runs it (registered in the app's ready())."""

from __future__ import annotations

import json

from sanxiang.evidence.storage import StoreError, rehash, store_named
from sanxiang.inspections.models import TaskRecording
from sanxiang.ledger.models import Entry

OBJECT_TYPE = "inspections.taskrecording"
ADDED = "inspections.task.recording_added"


def _recorded() -> dict[str, set[str]]:
    """Recording id → the file hashes its ledger entries name."""
    found: dict[str, set[str]] = {}
    entries = Entry.objects.filter(object_type=OBJECT_TYPE, event_type=ADDED)
    for object_id, body in entries.values_list("object_id", "body").iterator(chunk_size=1000):
        found.setdefault(object_id, set()).update(json.loads(bytes(body))["files"])
    return found


def verify_recordings() -> list[str]:
    """Problems found, each a sentence in Chinese (empty: all intact)."""
    ledger = _recorded()
    problems: list[str] = []
    stores: dict[str, object] = {}
    for recording in TaskRecording.objects.select_related("task__target").order_by("id").iterator(chunk_size=500):
        label = f"检查音像记录 #{recording.pk}（{recording.task.target.name}，{recording.original_name}）"
        if recording.sha256 not in ledger.pop(str(recording.pk), set()):
            problems.append(f"{label}的哈希与全过程记录不符（记录被改动或缺失）")
        store = stores.setdefault(recording.storage, store_named(recording.storage))
        try:
            with store.open(recording.sha256) as handle:
                actual = rehash(handle)
        except StoreError:
            problems.append(f"{label}文件缺失")
            continue
        if actual != recording.sha256:
            problems.append(f"{label}文件内容已被改动")
    problems += [f"检查音像记录 #{gone} 的记录已不存在，但全过程记录中有其上传记录" for gone in sorted(ledger, key=int)]
    return problems
