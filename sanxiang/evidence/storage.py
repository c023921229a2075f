"""Where evidence files live: written once, named by their content, never replaced or deleted.

:class:`LocalStore` (the embedded default) keeps each file under ``<root>/<ab>/<cd>/<sha256>``,
made read-only once complete. A file is written to a private temporary file while it is hashed
(SHA-256, and SM3 when asked) chunk by chunk — never held whole in memory — and becomes visible
under its final name only by one atomic link, so a reader never sees a partial file and an
interrupted write leaves nothing behind. There is deliberately no delete or replace operation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from sanxiang.evidence.magic import HEAD_BYTES
from sanxiang.files import publish_once


class StoreError(RuntimeError):
    """A storage failure, with a Chinese message."""


class TooLarge(StoreError):
    """The upload passed the configured size limit."""


class Writer:
    """One file being written: hashes and size grow with every chunk; :meth:`commit` publishes it."""

    def __init__(self, store: LocalStore, limit: int, sm3: bool = False) -> None:
        self.store, self.limit = store, limit
        fd, name = tempfile.mkstemp(dir=store.tmp_dir, prefix="up-")
        self._file = os.fdopen(fd, "wb")
        self.temp_path = Path(name)
        self.sha256 = hashlib.sha256()
        self.sm3 = hashlib.new("sm3") if sm3 else None
        self.size = 0
        self.head = b""

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise TooLarge(f"文件超过大小上限（{self.limit // (1024 * 1024)} MB）")
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[:HEAD_BYTES - len(self.head)]
        self.sha256.update(chunk)
        if self.sm3 is not None:
            self.sm3.update(chunk)
        self._file.write(chunk)

    def finish(self) -> None:
        """Flush the temporary file to disk (call before reading it back or committing)."""
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def commit(self) -> tuple[str, bool]:
        """Publish the file under its SHA-256; returns (key, whether this call created it)."""
        self.finish()
        key = self.sha256.hexdigest()
        try:
            created = self.store.publish(self.temp_path, key)
        finally:
            self.temp_path.unlink(missing_ok=True)
        return key, created

    def abort(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.temp_path.unlink(missing_ok=True)


class LocalStore:
    """Content-addressed, write-once files under ``root``."""

    name = "local"

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / ".incoming"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    def publish(self, source: Path, key: str) -> bool:
        """Link the complete file ``source`` in under ``key``, read-only; False if already stored."""
        return publish_once(source, self.path(key))

    def seal(self, key: str, until: dt.datetime) -> bool:
        """Nothing more to do: the file is read-only from the moment it is published, and no
        operation of the platform removes it (``until`` is for stores that enforce a date)."""
        return False

    def path(self, key: str) -> Path:
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise StoreError("文件标识无效")
        return self.root / key[:2] / key[2:4] / key

    def writer(self, limit: int, sm3: bool = False) -> Writer:
        return Writer(self, limit, sm3)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def open(self, key: str) -> BinaryIO:
        try:
            return self.path(key).open("rb")
        except FileNotFoundError:
            raise StoreError("证据文件缺失") from None

    def discard_new(self, key: str) -> None:
        """Remove a file that :meth:`Writer.commit` created moments ago for a record that then
        failed to save (the only removal there is: the file was never referenced)."""
        path = self.path(key)
        os.chmod(path, 0o644)
        path.unlink(missing_ok=True)


def rehash(stream: BinaryIO, chunk_size: int = 1024 * 1024) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        digest.update(chunk)
    return digest.hexdigest()


def default_store() -> LocalStore:
    """The store new evidence goes to (``SANXIANG_EVIDENCE_STORAGE``: local or s3)."""
    from django.conf import settings

    return store_named(getattr(settings, "EVIDENCE_STORAGE", "local"))


def store_named(name: str) -> LocalStore:
    """The store called ``name`` (an evidence row's ``storage``), configured from settings."""
    from django.conf import settings

    local = LocalStore(Path(settings.FILE_STORE_DIR) / "evidence")
    if name == "local":
        return local
    if name == "s3":
        from sanxiang.evidence.s3 import S3Store

        return S3Store.from_settings(local.tmp_dir)
    raise StoreError(f"未知的证据存储：{name}")
