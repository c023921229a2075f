"""Leftovers of interrupted uploads, which are not evidence.

* Temporary files in the store's ``.incoming`` folder: ``up-*`` lives only while one upload is
  being written and hashed (the uploading process removes it, unless it was killed), ``session-*``
  holds the bytes of a resumable upload (断点续传) until it completes. :func:`stale_temp_files`
  names those untouched for a while — an ``up-*`` file, or the part file of a session that is no
  longer open — and :func:`remove_stale_temp_files` removes them. Nothing outside ``.incoming`` is
  ever touched.
* Stored files that no evidence row refers to (:func:`unreferenced_files`): a process killed after
  publishing the complete file and before its record committed leaves one. They are reported,
  never removed: the content is complete, an upload of the same content adopts the file, and the
  store has no delete operation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sanxiang.evidence.models import Evidence, UploadSession
from sanxiang.evidence.storage import LocalStore

DEFAULT_HOURS = 24


def _session_is_open(name: str) -> bool:
    session_id = name.removeprefix("session-")
    try:
        return UploadSession.objects.filter(pk=session_id, status=UploadSession.Status.OPEN).exists()
    except Exception:  # noqa: BLE001 - a name that is no UUID belongs to no session
        return False


def stale_temp_files(tmp_dir: Path, hours: float = DEFAULT_HOURS) -> list[Path]:
    """Temporary upload files in ``tmp_dir`` last written more than ``hours`` ago and owned by no
    upload that may still finish."""
    if not tmp_dir.is_dir():
        return []
    cutoff = time.time() - hours * 3600
    found = []
    for path in sorted(tmp_dir.iterdir()):
        if not path.is_file() or path.stat().st_mtime > cutoff:
            continue
        if path.name.startswith("up-") or (path.name.startswith("session-") and not _session_is_open(path.name)):
            found.append(path)
    return found


def remove_stale_temp_files(tmp_dir: Path, hours: float = DEFAULT_HOURS) -> list[Path]:
    """Remove what :func:`stale_temp_files` names; returns the removed paths."""
    removed = []
    for path in stale_temp_files(tmp_dir, hours):
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


# Other records that name files in the evidence store (the 双随机 tasks' A/V records): callables
# returning their hashes, registered by the app that owns them (evidence does not import it).
OTHER_REFERENCES: list[Callable[[], Iterable[str]]] = []


def unreferenced_files(store: LocalStore) -> list[str]:
    """Hashes of files in the local store that no evidence row names (reported, never removed)."""
    if not isinstance(store, LocalStore):
        return []
    stored = {path.name for path in store.root.glob("??/??/*") if path.is_file() and len(path.name) == 64}
    if not stored:
        return []
    named = set(Evidence.objects.values_list("sha256", flat=True).iterator(chunk_size=5000))
    for more in OTHER_REFERENCES:
        named.update(more())
    return sorted(stored - named)
