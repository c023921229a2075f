"""Evidence in S3-compatible object storage, for deployments that outgrow one machine.

Objects are named by their SHA-256 in a bucket with Object Lock enabled. A new object is written
first without retention; once its record and ledger entry are committed, :meth:`S3Store.seal` puts
it under COMPLIANCE retention until the date :func:`sanxiang.evidence.retention.retain_until` gives
for the row (its category's period), after which nobody — not even the bucket owner — can
overwrite that version or delete it before the date. Sealing again only ever extends the date. An object whose record failed to
save is removed before it is sealed. ``verify_evidence`` rehashes objects like local files.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import BinaryIO

from sanxiang.evidence.storage import StoreError, Writer

_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}


class S3Store:
    name = "s3"

    def __init__(self, client, bucket: str, tmp_dir: Path) -> None:
        self.client, self.bucket, self.tmp_dir = client, bucket, tmp_dir
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_settings(cls, tmp_dir: Path) -> S3Store:
        import boto3
        from botocore.config import Config
        from django.conf import settings

        client = boto3.client(
            "s3", endpoint_url=settings.EVIDENCE_S3_ENDPOINT or None, region_name=settings.EVIDENCE_S3_REGION,
            aws_access_key_id=settings.EVIDENCE_S3_ACCESS_KEY, aws_secret_access_key=settings.EVIDENCE_S3_SECRET_KEY,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
        return cls(client, settings.EVIDENCE_S3_BUCKET, tmp_dir)

    def writer(self, limit: int, sm3: bool = False) -> Writer:
        return Writer(self, limit, sm3)  # type: ignore[arg-type]

    @staticmethod
    def _key(key: str) -> str:
        return f"{key[:2]}/{key[2:4]}/{key}"

    def _error(self, exc: Exception) -> str:
        return getattr(exc, "response", {}).get("Error", {}).get("Code", "")

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except Exception as exc:  # noqa: BLE001 - botocore's ClientError, judged by its code
            if self._error(exc) in _MISSING:
                return False
            raise StoreError(f"对象存储不可用：{exc}") from None
        return True

    def publish(self, source: Path, key: str) -> bool:
        if self.exists(key):
            return False
        with source.open("rb") as body:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=body,
                                   ContentLength=os.path.getsize(source))
        return True

    def seal(self, key: str, until: dt.datetime) -> bool:
        """Lock the evidence version of ``key`` in COMPLIANCE mode until at least ``until``.
        A lock already reaching that far is left alone (COMPLIANCE dates cannot be shortened, and
        one object may be the file of several rows); returns whether the lock was set or extended."""
        mode, current = self._retention(key)
        if mode == "COMPLIANCE" and current is not None and current >= until:
            return False
        self.client.put_object_retention(Bucket=self.bucket, Key=self._key(key), VersionId=self._first(key),
                                         Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until})
        return True

    def retention(self, key: str) -> str:
        """The lock mode of the evidence version ("COMPLIANCE"), or "" when it is not locked."""
        return self._retention(key)[0]

    def retained_until(self, key: str) -> dt.datetime | None:
        """The date until which the evidence version is locked, or None when it is not."""
        return self._retention(key)[1]

    def _retention(self, key: str) -> tuple[str, dt.datetime | None]:
        try:
            found = self.client.get_object_retention(Bucket=self.bucket, Key=self._key(key),
                                                     VersionId=self._first(key))
        except StoreError:
            raise
        except Exception:  # noqa: BLE001 - botocore's error for "no retention configured"
            return "", None
        retention = found.get("Retention", {})
        return retention.get("Mode", ""), retention.get("RetainUntilDate")

    def _first(self, key: str) -> str:
        """The id of the first version of ``key``: the evidence (a later "overwrite" only adds a
        version). S3 lists a key's versions newest first."""
        versions = self.client.list_object_versions(Bucket=self.bucket, Prefix=self._key(key)).get("Versions", [])
        versions = [v for v in versions if v["Key"] == self._key(key)]
        if not versions:
            raise StoreError("证据文件缺失")
        return versions[-1]["VersionId"]

    def open(self, key: str) -> BinaryIO:
        return self.client.get_object(Bucket=self.bucket, Key=self._key(key), VersionId=self._first(key))["Body"]

    def discard_new(self, key: str) -> None:
        """Remove an object published moments ago whose record then failed (not yet sealed)."""
        for version in self.client.list_object_versions(Bucket=self.bucket, Prefix=self._key(key)).get("Versions", []):
            self.client.delete_object(Bucket=self.bucket, Key=version["Key"], VersionId=version["VersionId"])
