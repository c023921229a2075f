"""Exporting a case's electronic case file (see :mod:`sanxiang.dossier` for the layout)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from sanxiang.cases.documents.storage import data_path
from sanxiang.cases.models import Case
from sanxiang.dossier import FORMAT, READ_EVENTS
from sanxiang.evidence.models import Evidence, ManualFinding, RecordingWaiver
from sanxiang.evidence.storage import LocalStore, store_named
from sanxiang.ledger.canonical import canonical_text
from sanxiang.ledger.checkpoints import cosign, public_keys, receipt, sign_checkpoint
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import Subject, default_log, record
from sanxiang.ledger.snapshots import snapshot_of


class _Writer:
    """Adds files to the ZIP while keeping the manifest of their hashes."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive, self.files = archive, {}

    def add_bytes(self, name: str, data: bytes) -> None:
        self.archive.writestr(name, data)
        self.files[name] = hashlib.sha256(data).hexdigest()

    def add_file(self, name: str, path: Path, sha256: str) -> None:
        self.archive.write(path, name)
        self.files[name] = sha256

    def add_stream(self, name: str, stream: BinaryIO, sha256: str) -> None:
        """A file from a store without local paths (S3), copied in chunks."""
        with stream, self.archive.open(name, "w", force_zip64=True) as target:
            shutil.copyfileobj(stream, target, 1024 * 1024)
        self.files[name] = sha256


def _add_evidence(writer: _Writer, item: Evidence) -> None:
    name = f"evidence/{item.pk:05d}-{Path(item.original_name).name}"
    store = store_named(item.storage)
    if isinstance(store, LocalStore):
        writer.add_file(name, store.path(item.sha256), item.sha256)
    else:
        writer.add_stream(name, store.open(item.sha256), item.sha256)


def _snapshot(obj: models.Model) -> dict:
    return json.loads(canonical_text(snapshot_of(obj)))


def _related(case: Case, evidence: list[Evidence]) -> list[models.Model]:
    """The rows of the case's file besides the case itself, each with ledger entries of its own."""
    return [*evidence, *RecordingWaiver.objects.filter(case=case).order_by("id"),
            *ManualFinding.objects.filter(case=case).order_by("id")]


def _read(entry: Entry) -> dict:
    """A 调阅 record: what the entry says, with the readable part (names, summary) its hash binds."""
    body = json.loads(bytes(entry.body))
    return {"index": entry.index, "type": body["type"], "time": body["time"], "actor": body["actor"],
            "object": body["object"], "detail": entry.detail}


def _case_record(case: Case, related: list[models.Model], entries: list[Entry]) -> dict:
    return {
        "id": case.pk, "case_number": case.case_number, "title": case.title, "state": case.get_state_display(),
        "agency": case.agency.name, "algorithm": default_log().algorithm,
        "parties": [{"kind": p.get_kind_display(), "name": p.name, "identifier": p.identifier} for p in case.parties.all()],
        "officers": [str(h) for h in case.handlers.select_related("officer")],
        "snapshot": _snapshot(case),
        "related": [{"object": {"type": row._meta.label_lower, "id": str(row.pk)}, "snapshot": _snapshot(row)}
                    for row in related],
        "reads": [_read(entry) for entry in entries if entry.event_type in READ_EVENTS],
    }


def _entries(case: Case, related: list[models.Model]) -> list[Entry]:
    """The ledger entries about the case and its related rows, up to a checkpoint signed and
    cosigned now (so every one of them has a receipt against it)."""
    with transaction.atomic():
        checkpoint = sign_checkpoint()
        cosign(checkpoint, None)  # the witness checks consistency with what it cosigned before
    about = Q(object_type="cases.case", object_id=str(case.pk))
    for row in related:
        about |= Q(object_type=row._meta.label_lower, object_id=str(row.pk))
    return list(Entry.objects.filter(about, index__lt=checkpoint.size).order_by("index"))


def export_dossier(case: Case, out: Path, user=None) -> Path:
    """Write the dossier of ``case`` to ``out`` (complete or not at all); an export by a user (the
    case page's button) is recorded in the ledger."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=".dossier-")
    os.close(fd)
    try:
        evidence = list(Evidence.objects.filter(case=case).order_by("id"))
        related = _related(case, evidence)
        entries = _entries(case, related)
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            writer = _Writer(archive)
            record_json = _case_record(case, related, entries)
            writer.add_bytes("case.json", json.dumps(record_json, ensure_ascii=False, indent=1).encode())
            for document in case.documents.exclude(pdf_sha256="").order_by("id"):
                stem = f"documents/{document.pk:05d}-{document.kind}"
                writer.add_file(f"{stem}.docx", data_path(document.docx_file), document.docx_sha256)
                writer.add_file(f"{stem}.pdf", data_path(document.pdf_file), document.pdf_sha256)
                writer.add_bytes(f"{stem}.pdf.sig", document.signature.encode())
            for item in evidence:
                _add_evidence(writer, item)
            writer.add_bytes("ledger/receipts.json", json.dumps([receipt(e) for e in entries],
                                                                ensure_ascii=False).encode())
            writer.add_bytes("keys.txt", "\n".join(public_keys().values()).encode() + b"\n")
            manifest = {"format": FORMAT, "case_number": case.case_number, "generated_at": timezone.now().isoformat(),
                        "files": writer.files}
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(temporary, out)
        if user is not None:
            with transaction.atomic():
                record(event_type="evidence.dossier_exported", actor=user, agency=case.agency,
                       subject=Subject.of(case, snapshot=False),
                       summary=f"导出电子案卷：{case.case_number or case.title}")
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


__all__ = ["export_dossier"]
