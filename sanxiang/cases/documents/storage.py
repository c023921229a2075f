"""Document files in the data folder: written once, read-only, named by their SHA-256."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

from sanxiang.files import publish_once


def data_path(name: str) -> Path:
    """The absolute path of a stored file from its name relative to the data folder; the name is
    always one we made, never user input, but a name leaving the folder is refused all the same."""
    root = Path(settings.DATA_DIR).resolve()
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"文件名不在数据目录内：{name}")
    return path


def write_once(name: str, data: bytes) -> Path:
    """Store ``data`` at ``name`` (relative to the data folder) unless it is already there.

    The file appears complete in one step (a private temporary file hard-linked into place) and is
    made read-only; a second writer of the same name finds it and leaves it (names are content
    hashes, so the bytes are the same).
    """
    target = data_path(name)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        publish_once(Path(temporary), target)
    finally:
        os.unlink(temporary)
    return target


def document_file_name(agency_uscc: str, sha256: str, extension: str) -> str:
    return f"documents/{agency_uscc}/{sha256[:2]}/{sha256}.{extension}"
