"""Resumable uploads (断点续传): start a session with the evidence description and the file's
size, append chunks at the offset the server reports, resume after a dropped connection. When the
last byte arrives the assembled file goes through :func:`sanxiang.evidence.services.ingest`
(hashed, typed, recorded); a part file never becomes evidence by itself."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from sanxiang.accounts.access import Action, get_for_user
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.evidence import services
from sanxiang.evidence.models import Evidence, UploadSession
from sanxiang.evidence.storage import default_store
from sanxiang.registry.models import Officer

CHUNK = 1024 * 1024


class OffsetConflict(ServiceError):
    """The chunk does not start where the server's copy ends (the client resumes from ``received``)."""

    def __init__(self, received: int) -> None:
        self.received = received
        super().__init__(f"分片起点不符：服务器已接收 {received} 字节，请从该位置续传")


def _part(session: UploadSession) -> Path:
    return default_store().tmp_dir / f"session-{session.pk}"


def _description(data: dict) -> services.Description:
    recorder = Officer.objects.filter(pk=data.get("recorder")).first()
    if recorder is None:
        raise ValidationError({"recorder": "请选择记录人"})
    return services.Description(data["category"], data["proves"], dt.datetime.fromisoformat(data["recorded_at"]),
                                data["place"], recorder, data.get("device", ""))


def start(user: User, case_pk: int, *, original_name: str, size: int, category: str, proves: str,
          recorded_at: dt.datetime, place: str, recorder: Officer, device: str = "") -> UploadSession:
    case = services.check_may_upload(user, case_pk)
    services.Description(category, proves, recorded_at, place, recorder, device).check(case)
    if size <= 0:
        raise ValidationError({"size": "文件大小须大于0"})
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ServiceError(f"文件超过大小上限（{settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB）")
    session = UploadSession.objects.create(
        id=uuid.uuid4(), case=case, user=user, original_name=original_name[:255], size=size,
        description={"category": category, "proves": proves, "recorded_at": recorded_at.isoformat(),
                     "place": place, "recorder": recorder.pk, "device": device})
    _part(session).touch()
    return session


def session_for(user: User, pk: uuid.UUID | str) -> UploadSession:
    """The user's own session (another user's, even of the same agency, is 404)."""
    return get_for_user(UploadSession.objects.filter(user=user), user, Action.VIEW, pk=pk)


def append(user: User, pk: uuid.UUID | str, offset: int, chunks: Iterable[bytes]) -> UploadSession:
    """Append the bytes of ``chunks`` at ``offset``; completes the upload at the last byte."""
    with transaction.atomic():
        session = session_for(user, pk)
        session = UploadSession.objects.select_for_update().get(pk=session.pk)
        if session.status != UploadSession.Status.OPEN:
            raise ServiceError(f"该上传已{session.get_status_display()}，不能再追加")
        if offset != session.received:
            raise OffsetConflict(session.received)
        received = _write(session, chunks)
        UploadSession.objects.filter(pk=session.pk).update(received=received)
        session.received = received
    if session.received == session.size:
        return _complete(user, session)
    return session


def _write(session: UploadSession, chunks: Iterable[bytes]) -> int:
    path = _part(session)
    with path.open("r+b") as part:
        part.seek(session.received)
        part.truncate()  # bytes of an earlier, interrupted attempt past the recorded offset
        written = session.received
        for chunk in chunks:
            written += len(chunk)
            if written > session.size:
                raise ServiceError(f"收到的数据超过声明的文件大小（{session.size} 字节）")
            part.write(chunk)
        part.flush()
        os.fsync(part.fileno())
    return written


def _complete(user: User, session: UploadSession) -> UploadSession:
    path = _part(session)
    try:
        with path.open("rb") as part:
            evidence: Evidence = services.ingest(
                user, session.case_id, iter(lambda: part.read(CHUNK), b""), original_name=session.original_name,
                description=_description(session.description))
    except (ValidationError, ServiceError) as exc:
        message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        UploadSession.objects.filter(pk=session.pk).update(status=UploadSession.Status.FAILED, error=message[:300])
        path.unlink(missing_ok=True)
        raise
    path.unlink(missing_ok=True)
    UploadSession.objects.filter(pk=session.pk).update(status=UploadSession.Status.COMPLETE, evidence=evidence)
    session.refresh_from_db()
    return session
