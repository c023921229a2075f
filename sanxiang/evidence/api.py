"""Evidence API at /api/v1/evidence/: resumable (chunked) uploads and the evidence of a case.

An upload: ``POST /uploads`` with the description and the file size → ``PUT /uploads/{id}?offset=N``
with raw bytes (any number of chunks, each at the offset the server reports) → the last chunk
completes it and returns the evidence. After a dropped connection, ``GET /uploads/{id}`` tells
where to resume; a chunk at the wrong offset gets 409 with the offset to use.
"""

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from sanxiang.accounts.access import Action, get_for_user, restrict
from sanxiang.accounts.api import current_user
from sanxiang.api_support import READ_ERRORS, WRITE_ERRORS
from sanxiang.cases.models import Case
from sanxiang.evidence import uploads
from sanxiang.evidence.choices import EvidenceCategory
from sanxiang.evidence.models import Evidence, UploadSession
from sanxiang.registry.models import Officer

router = Router(tags=["证据与音像记录"])
READ_CHUNK = 64 * 1024


class UploadIn(Schema):
    case_id: int = Field(..., title="案件")
    original_name: str = Field(..., max_length=255, title="原文件名")
    size: int = Field(..., gt=0, title="文件大小（字节）")
    category: EvidenceCategory = Field(..., title="证据种类")
    proves: str = Field(..., max_length=300, title="证明对象")
    recorded_at: dt.datetime = Field(..., title="记录时间")
    place: str = Field(..., max_length=200, title="记录地点")
    recorder_id: int = Field(..., title="记录人（执法人员 id）")
    device: str = Field("", max_length=100, title="记录设备")


class UploadOut(Schema):
    id: uuid.UUID
    size: int
    received: int = Field(..., description="服务器已接收的字节数：下一个分片从这里开始")
    status: str
    error: str
    evidence_id: int | None


class EvidenceOut(Schema):
    id: int
    case_id: int
    step: str
    category: str
    media_kind: str
    proves: str
    recorded_at: dt.datetime
    place: str
    recorder_id: int
    device: str
    original_name: str
    mime: str
    size: int
    sha256: str
    metadata: dict
    uploaded_at: dt.datetime


def _out(session: UploadSession) -> dict:
    return {"id": session.pk, "size": session.size, "received": session.received, "status": session.status,
            "error": session.error, "evidence_id": session.evidence_id}


@router.post("/uploads", response={201: UploadOut, **WRITE_ERRORS}, summary="开始断点续传上传",
             operation_id="evidence_upload_start")
def start_upload(request: HttpRequest, payload: UploadIn):
    user = current_user(request)
    recorder = get_for_user(Officer.objects.all(), user, Action.VIEW, pk=payload.recorder_id)
    session = uploads.start(user, payload.case_id, original_name=payload.original_name, size=payload.size,
                            category=payload.category, proves=payload.proves, recorded_at=payload.recorded_at,
                            place=payload.place, recorder=recorder, device=payload.device)
    return Status(201, _out(session))


@router.get("/uploads/{upload_id}", response={200: UploadOut, **READ_ERRORS}, summary="查询上传进度",
            operation_id="evidence_upload_status")
def upload_status(request: HttpRequest, upload_id: uuid.UUID):
    return _out(uploads.session_for(current_user(request), upload_id))


class ChunkParams(Schema):
    offset: int = Field(..., ge=0, description="本分片在文件中的起点，须等于服务器已接收的字节数")


@router.put("/uploads/{upload_id}", response={200: UploadOut, **WRITE_ERRORS}, summary="上传一个分片",
            description="请求体为原始字节（Content-Type: application/octet-stream）。最后一个分片到达后完成入库。",
            operation_id="evidence_upload_chunk")
def upload_chunk(request: HttpRequest, upload_id: uuid.UUID, params: Query[ChunkParams]):
    chunks = iter(lambda: request.read(READ_CHUNK), b"")
    session = uploads.append(current_user(request), upload_id, params.offset, chunks)
    return _out(session)


@router.get("/cases/{case_id}", response={200: list[EvidenceOut], **READ_ERRORS}, summary="案件的证据",
            operation_id="evidence_of_case")
def evidence_of_case(request: HttpRequest, case_id: int):
    user = current_user(request)
    case = get_for_user(Case.objects.all(), user, Action.VIEW, pk=case_id)
    return list(restrict(Evidence.objects.filter(case=case), user, Action.VIEW).order_by("id"))
