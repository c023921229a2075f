"""Exporting a case's electronic case file (see :mod:`sanxiang.dossier` for the layout)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanxiang.cases.documents.storage import data_path
from sanxiang.cases.models import Case
from sanxiang.dossier import FORMAT
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.storage import default_store
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


def _case_record(case: Case) -> dict:
    return {
        "id": case.pk, "case_number": case.case_number, "title": case.title, "state": case.get_state_display(),
        "agency": case.agency.name, "algorithm": default_log().algorithm,
        "parties": [{"kind": p.get_kind_display(), "name": p.name, "identifier": p.identifier} for p in case.parties.all()],
        "officers": [str(h) for h in case.handlers.select_related("officer")],
        "snapshot": json.loads(canonical_text(snapshot_of(case))),
    }


def _receipts(case: Case, evidence_ids: list[str]) -> list[dict]:
    with transaction.atomic():
        checkpoint = sign_checkpoint()
        cosign(checkpoint, None)  # the witness checks consistency with what it cosigned before
    entries = Entry.objects.filter(Q(object_type="cases.case", object_id=str(case.pk))
                                   | Q(object_type="evidence.evidence", object_id__in=evidence_ids))
    return [receipt(entry) for entry in entries.filter(index__lt=checkpoint.size).order_by("index")]


def export_dossier(case: Case, out: Path, user=None) -> Path:
    """Write the dossier of ``case`` to ``out`` (complete or not at all); an export by a user (the
    case page's button) is recorded in the ledger."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=".dossier-")
    os.close(fd)
    try:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            writer = _Writer(archive)
            writer.add_bytes("case.json", json.dumps(_case_record(case), ensure_ascii=False, indent=1).encode())
            for document in case.documents.exclude(pdf_sha256="").order_by("id"):
                stem = f"documents/{document.pk:05d}-{document.kind}"
                writer.add_file(f"{stem}.docx", data_path(document.docx_file), document.docx_sha256)
                writer.add_file(f"{stem}.pdf", data_path(document.pdf_file), document.pdf_sha256)
                writer.add_bytes(f"{stem}.pdf.sig", document.signature.encode())
            store = default_store()
            evidence = list(Evidence.objects.filter(case=case).order_by("id"))
            for item in evidence:
                writer.add_file(f"evidence/{item.pk:05d}-{Path(item.original_name).name}", store.path(item.sha256),
                                item.sha256)
            writer.add_bytes("ledger/receipts.json", json.dumps(_receipts(case, [str(e.pk) for e in evidence]),
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
