"""Ledger API at /api/v1/ledger/: the latest checkpoint with the verifier keys, the entries a user
may see, one entry, and an entry's receipt.

Like the rest of the API it needs a signed-in user; the checkpoint and the keys are not secret (the
public pages /ledger/verify/ and /ledger/keys.txt give them to anyone). Entries are narrowed by
``accounts.access`` (another agency's entry is 404) and addressed by their index in the log.
"""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sanxiang.accounts.access import get_for_user, restrict
from sanxiang.accounts.api import current_user
from sanxiang.api_support import READ_ERRORS, PageParams, page_schema, paginate
from sanxiang.ledger.checkpoints import cosigned_note, public_keys, receipt
from sanxiang.ledger.filters import EntryFilters
from sanxiang.ledger.labels import event_label, role_label
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import default_log
from sanxiang.ledger.views import current_root, latest_checkpoint, latest_witnessed

router = Router(tags=["全过程记录"])


class KeysOut(Schema):
    platform: str = Field(..., description="平台签名公钥（signed-note 验证公钥：名称+密钥编号+公钥）。")
    witness: str = Field(..., description="司法局见证公钥。")


class CosignatureOut(Schema):
    witness: str = Field(..., description="见证方名称。")
    created_at: datetime.datetime = Field(..., description="见证时间。")


class CheckpointOut(Schema):
    log: str = Field(..., description="日志名称（检查点的 origin 行）。")
    algorithm: str = Field(..., description="哈希算法：sha256 或 sm3。")
    size: int = Field(..., description="日志当前条目数。")
    root: str = Field(..., description="日志当前根哈希（十六进制）。")
    checkpoint_size: int | None = Field(None, description="最新检查点的树大小；尚无检查点时为空。")
    note: str = Field("", description="最新检查点的签名便笺原文，含全部见证签名行。")
    cosignatures: list[CosignatureOut] = Field(..., description="最新检查点的见证签名；为空表示尚未见证。")
    witnessed_size: int | None = Field(None, description="司法局最近一次见证的检查点的树大小；从未见证时为空。")
    witnessed_note: str = Field("", description="司法局最近一次见证的检查点的签名便笺（含见证签名）。")
    keys: KeysOut = Field(..., description="验证公钥。")


class EntryOut(Schema):
    index: int = Field(..., description="在日志中的序号（从 0 起），回执中的 index。")
    recorded_at: datetime.datetime = Field(..., description="记录时间。")
    event_type: str = Field(..., description="事件类型代码，如 registry.officer.updated。")
    event_label: str = Field(..., description="事件类型（中文）。")
    agency_id: int | None = Field(None, description="所属执法主体 id。")
    actor_name: str = Field(..., description="操作人姓名（记录时）；系统操作为“系统”。")
    actor_role: str = Field(..., description="操作人角色代码（多个以逗号分隔）。")
    actor_role_label: str = Field(..., description="操作人角色（中文）。")
    object_type: str = Field(..., description="对象类型（模型标签，如 registry.officer）。")
    object_id: str = Field(..., description="对象标识。")
    object_label: str = Field(..., description="对象名称（记录时）。")
    summary: str = Field(..., description="变更摘要。")
    snapshot_hash: str = Field(..., description="变更后对象规范快照的哈希；读取类事件为空。")
    leaf_hash: str = Field(..., description="叶子哈希（十六进制）。")
    body: str = Field(..., description="条目原文：写入默克尔树的规范 JSON。")

    @staticmethod
    def resolve_event_label(obj: Entry) -> str:
        return event_label(obj.event_type)

    @staticmethod
    def resolve_actor_name(obj: Entry) -> str:
        return (obj.detail or {}).get("actor_name", "系统")

    @staticmethod
    def resolve_actor_role_label(obj: Entry) -> str:
        return role_label(obj.actor_role) if obj.actor_role else ""

    @staticmethod
    def resolve_summary(obj: Entry) -> str:
        return (obj.detail or {}).get("summary", "")

    @staticmethod
    def resolve_leaf_hash(obj: Entry) -> str:
        return bytes(obj.leaf_hash).hex()

    @staticmethod
    def resolve_body(obj: Entry) -> str:
        return bytes(obj.body).decode("utf-8")


class EntryQuery(Schema):
    event_type: str | None = Field(None, max_length=60, description="事件类型代码（精确匹配）。")
    object_type: str | None = Field(None, max_length=60, description="对象类型（精确匹配）。")
    since: datetime.date | None = Field(None, description="起始日期（含）。")
    until: datetime.date | None = Field(None, description="截止日期（含）。")


EntryPage = page_schema(EntryOut, "EntryPage")


def _entries() -> Any:
    return Entry.objects.filter(log=default_log())


@router.get("/checkpoint", response={200: CheckpointOut, **READ_ERRORS}, summary="最新检查点与验证公钥",
            operation_id="ledger_checkpoint", url_name="ledger_checkpoint")
def checkpoint(request: HttpRequest) -> dict:
    """日志的当前大小与根哈希、最新检查点（含见证签名）、司法局最近见证的检查点及验证公钥。

    见证本身也写入一条记录，所以刚见证后最新检查点往往尚未见证：要求见证签名的验证请用 witnessed_note。
    """
    log = default_log()
    latest, witnessed = latest_checkpoint(log), latest_witnessed(log)
    return {
        "log": log.name, "algorithm": log.algorithm, "size": log.size, "root": current_root(log).hex(),
        "checkpoint_size": latest.size if latest else None, "note": cosigned_note(latest) if latest else "",
        "cosignatures": list(latest.cosignatures.order_by("id")) if latest else [], "keys": public_keys(),
        "witnessed_size": witnessed.size if witnessed else None,
        "witnessed_note": cosigned_note(witnessed) if witnessed else "",
    }


@router.get("/entries", response={200: EntryPage, **READ_ERRORS}, summary="记录条目列表",
            operation_id="ledger_entries_list", url_name="ledger_entries_list")
def list_entries(request: HttpRequest, filters: Query[EntryQuery], page: Query[PageParams]) -> dict:
    """可见范围内的条目（本机关；监督人员为本辖区），按序号从新到旧分页。"""
    rows = restrict(_entries(), current_user(request)).order_by("-index")
    return paginate(EntryFilters(filters.event_type or "", filters.object_type or "", filters.since,
                                 filters.until).apply(rows), page)


@router.get("/entries/{index}", response={200: EntryOut, **READ_ERRORS}, summary="记录条目详情",
            operation_id="ledger_entries_detail", url_name="ledger_entries_detail")
def entry_detail(request: HttpRequest, index: int) -> Entry:
    """不可见的条目返回 404。"""
    return get_for_user(_entries(), current_user(request), index=index)


@router.get("/entries/{index}/receipt", response={200: dict[str, Any], **READ_ERRORS}, summary="条目回执",
            operation_id="ledger_entries_receipt", url_name="ledger_entries_receipt")
def entry_receipt(request: HttpRequest, index: int) -> dict[str, Any]:
    """回执（sanxiang-ledger-receipt/1）：条目原文、序号、包含证明与签名检查点，可离线验证。

    尚无检查点覆盖该条目时，平台先签署一个新的检查点。
    """
    return receipt(get_for_user(_entries(), current_user(request), index=index))

