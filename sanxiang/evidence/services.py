"""Ingesting evidence: stream the file into the store while hashing it, check what it is by its
content, read its metadata, then — in one transaction — publish the file, create the row and
write the ledger entry naming the file's hash. On any failure nothing remains: no temporary file,
no stored file that no row refers to, no row, no ledger entry.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanxiang.accounts.access import Action, acting_roles, get_for_user
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import OPEN_STATES, CaseState
from sanxiang.cases.lifecycle import HANDLERS, HEADS
from sanxiang.cases.models import Case
from sanxiang.cases.services.common import lock_case, require_role
from sanxiang.evidence import magic
from sanxiang.evidence.choices import RETENTION_YEARS, EvidenceCategory
from sanxiang.evidence.metadata import read_metadata
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.retention import retain_until
from sanxiang.evidence.storage import LocalStore, StoreError, default_store
from sanxiang.ledger.services import Subject, default_log, record
from sanxiang.registry.models import Officer

logger = logging.getLogger(__name__)
UPLOAD_ROLES = HANDLERS | HEADS
# Evidence is gathered while the case is handled, and on the spot under the simple procedure.
UPLOAD_STATES = OPEN_STATES - {CaseState.FILING_APPROVAL}


@dataclass(frozen=True)
class Description:
    """What the uploader says about the evidence (the seeds' required metadata)."""

    category: str
    proves: str
    recorded_at: dt.datetime
    place: str
    recorder: Officer
    device: str = ""

    def check(self, case: Case) -> None:
        errors = {}
        if self.category not in EvidenceCategory.values:
            errors["category"] = "请选择证据种类"
        if not self.proves.strip():
            errors["proves"] = "须填写证明对象"
        if not self.place.strip():
            errors["place"] = "须填写记录地点"
        if self.recorder.agency_id != case.agency_id:
            errors["recorder"] = "记录人须为本机关执法人员"
        if errors:
            raise ValidationError(errors)


def check_may_upload(user: User, case: Case | int) -> Case:
    """The case, if ``user`` may add evidence to it now (404/403/ServiceError otherwise)."""
    pk = case.pk if isinstance(case, Case) else case
    case = get_for_user(Case.objects.select_related("agency"), user, Action.CHANGE, pk=pk)
    if not acting_roles(user, case, writable=True) & UPLOAD_ROLES:
        raise PermissionDenied("无权上传证据：须由本案承办人或承办机构负责人、机关负责人办理")
    if case.state not in UPLOAD_STATES:
        raise ServiceError(f"案件处于“{case.get_state_display()}”环节，不能再上传证据")
    return case


@dataclass(frozen=True)
class StoredFile:
    """A file streamed into the evidence store (content-addressed, read-only), not yet recorded."""

    key: str
    size: int
    sm3: str
    filetype: magic.FileType
    metadata: dict
    created: bool
    store: LocalStore

    def discard_if_new(self) -> None:
        """Undo the store step when the record fails (a file stored before by another row stays)."""
        if self.created:
            self.store.discard_new(self.key)


def store_file(chunks: Iterable[bytes], store: LocalStore | None = None) -> StoredFile:
    """Stream ``chunks`` into the store while hashing, check the type by content, read metadata.
    On any failure nothing is left behind (ServiceError: too large; ValidationError: bad type).
    The caller records the file in one transaction and calls ``discard_if_new`` if that fails."""
    store = store or default_store()
    writer = store.writer(settings.EVIDENCE_MAX_BYTES, sm3=default_log().algorithm == "sm3")
    try:
        for chunk in chunks:
            writer.write(chunk)
        writer.finish()
        filetype = _filetype(writer.head, writer.size)
        metadata = read_metadata(writer.temp_path, filetype.mime)
        key, created = writer.commit()
    except StoreError as exc:
        writer.abort()
        raise ServiceError(str(exc)) from None
    except BaseException:
        writer.abort()  # a dropped connection or a refused file leaves nothing behind
        raise
    return StoredFile(key, writer.size, writer.sm3.hexdigest() if writer.sm3 else "", filetype, metadata, created,
                      store)


def ingest(user: User, case: Case | int, chunks: Iterable[bytes], *, original_name: str,
           description: Description, store: LocalStore | None = None) -> Evidence:
    """Store one evidence file of ``case`` from ``chunks`` and record it. Raises ValidationError
    (bad description or file type), ServiceError (too large, wrong step), PermissionDenied/Http404."""
    case = check_may_upload(user, case)
    description.check(case)
    stored = store_file(chunks, store)
    try:
        evidence = _save(user, case.pk, stored, original_name, description)
    except BaseException:
        stored.discard_if_new()
        raise
    _seal(stored.store, evidence)
    return evidence


def _seal(store: LocalStore, evidence: Evidence) -> None:
    """S3: lock the object in COMPLIANCE mode for the row's retention period (local files are
    read-only already). Also when the object was already stored: this row's period may be longer.
    The evidence is recorded by now, so a failure here does not undo the upload; it is logged and
    ``verify_evidence`` puts the lock on later."""
    try:
        store.seal(evidence.sha256, retain_until(evidence))
    except Exception:  # noqa: BLE001 - any storage error; the recorded upload stands
        logger.exception("证据 #%s 的对象锁定未能设置，请运行 verify_evidence 补设", evidence.pk)


def _filetype(head: bytes, size: int) -> magic.FileType:
    if size == 0:
        raise ValidationError({"file": "文件为空"})
    found = magic.detect(head)
    if found is None:
        raise ValidationError({"file": f"无法识别的文件类型（按文件内容判断）。可上传：{magic.ACCEPTED}"})
    return found


@transaction.atomic
def record_read(user: User, evidence: Evidence, downloaded: bool = False) -> None:
    """Record that ``user`` viewed or downloaded ``evidence`` (调阅记录, shown to supervisors)."""
    record(event_type="evidence.downloaded" if downloaded else "evidence.viewed", actor=user,
           agency=evidence.case.agency, subject=Subject.of(evidence, snapshot=False),
           summary=f"{'下载' if downloaded else '查看'}证据：{evidence.original_name}")


@transaction.atomic
def _save(user: User, case_pk: int, stored: StoredFile, original_name: str, description: Description) -> Evidence:
    case = lock_case(user, case_pk)
    role = require_role(user, case, UPLOAD_ROLES, "上传证据")
    evidence = Evidence.objects.create(
        case=case, step=case.state, category=description.category, media_kind=stored.filetype.kind,
        proves=description.proves.strip()[:300], recorded_at=description.recorded_at,
        place=description.place.strip()[:200], recorder=description.recorder, device=description.device[:100],
        original_name=original_name[:255], mime=stored.filetype.mime, size=stored.size, sha256=stored.key,
        sm3=stored.sm3, storage=stored.store.name, metadata=stored.metadata,
        uploaded_by=user, retention_years=RETENTION_YEARS[description.category])
    record(event_type="evidence.added", actor=user, agency=case.agency, role=role,
           summary=f"上传证据：{evidence.get_category_display()}（{evidence.proves}）{case.case_number}",
           subject=Subject.of(evidence), files=[stored.key],
           changes={"case": case.pk, "sha256": stored.key, "size": stored.size, "mime": stored.filetype.mime})
    return evidence
