"""Checking a receipt someone brings to the platform (the public 回执验证 page).

The receipt is checked exactly as the offline verifier would (``receipt.verify_receipt``) with the
keys the platform publishes, and then against the platform's newest checkpoint through a consistency
proof computed from the stored subtrees, so the holder learns whether the entry is still part of
today's log. Nothing here raises on bad input: every problem becomes a Chinese reason.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from sanxiang.ledger import merkle, note
from sanxiang.ledger.checkpoints import cosigned_note, last_cosigned, public_keys, stored_getter
from sanxiang.ledger.models import Checkpoint, Log
from sanxiang.ledger.receipt import Result, verify_receipt


@dataclass
class ReceiptCheck:
    """What the page shows: the verdict, whether the witness had signed, reasons and facts."""

    ok: bool
    witnessed: bool = False
    reasons: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    entry: dict[str, Any] | None = None  # the entry's parsed body, when readable
    index: int | None = None
    witnessed_later: int | None = None  # size of a cosigned checkpoint that now covers the entry


def parse_document(text: str) -> dict[str, Any]:
    """The receipt as a JSON object; ``ValueError`` with a Chinese message otherwise."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("内容不是有效的 JSON：请粘贴或上传下载得到的回执文件（.json）原文") from None
    if not isinstance(data, dict):
        raise ValueError("回执应当是一个 JSON 对象（以“{”开头）")
    return data


def has_witness_signature(receipt: dict[str, Any]) -> bool:
    """Whether the receipt's checkpoint carries a signature line in the witness key's name and id.

    Whether that signature is valid is for ``verify_receipt`` to say; this only decides which keys
    the checkpoint must have been signed by.
    """
    witness = note.parse_verifier_key(public_keys()["witness"])
    try:
        _, lines = note.split_note(str(receipt.get("checkpoint", "")))
    except note.NoteError:
        return False
    return any(line.name == witness.name and line.key_id == witness.key_id for line in lines)


def check_receipt(receipt: dict[str, Any], against_latest: bool = True) -> ReceiptCheck:
    """Verify ``receipt`` with the published keys and, if asked, against today's log."""
    keys = public_keys()
    witnessed = has_witness_signature(receipt)
    verifiers = [keys["platform"], keys["witness"]] if witnessed else [keys["platform"]]
    result = verify_receipt(receipt, verifiers)
    if result.ok and against_latest:
        result = _against_latest(receipt, verifiers, witnessed, result)
    check = ReceiptCheck(ok=result.ok, witnessed=witnessed, reasons=result.reasons, facts=result.facts)
    check.entry, check.index = _entry_of(receipt), receipt.get("index")
    if result.ok and not witnessed:
        check.facts.append("回执中的检查点尚未经司法局见证签名（未经见证）")
        if against_latest:
            check.witnessed_later = _witnessed_later(receipt, check)
    return check


def _witnessed_later(receipt: dict[str, Any], check: ReceiptCheck) -> int | None:
    """For an unwitnessed receipt: the size of the witness's latest checkpoint if it is consistent
    with the receipt's, i.e. the 司法局 has since vouched for a log that contains the entry."""
    log = Log.objects.filter(name=settings.LEDGER_ORIGIN).first()
    keys = public_keys()
    witnessed = _newest_checkpoint(log, witnessed=True) if log else None
    size = receipt["tree_size"]
    if witnessed is None or witnessed.size < size:
        return None
    positions = merkle.consistency_positions(size, witnessed.size)
    try:
        proof = merkle.consistency_proof_from_subtrees(size, witnessed.size, stored_getter(log, positions),
                                                       log.algorithm)
        note.open_checkpoint(cosigned_note(witnessed), [note.parse_verifier_key(keys["witness"])])
    except (KeyError, ValueError):
        return None
    if not verify_receipt(receipt, [keys["platform"]], cosigned_note(witnessed), proof).ok:
        return None
    check.facts.append(f"该记录已包含在经司法局见证的检查点（{witnessed.size} 条记录）之中")
    return witnessed.size


def _against_latest(receipt: dict[str, Any], verifiers: list[str], witnessed: bool, first: Result) -> Result:
    """Re-verify with the newest (cosigned, if the receipt was) checkpoint and a consistency proof."""
    log = Log.objects.filter(name=settings.LEDGER_ORIGIN).first()
    newest = _newest_checkpoint(log, witnessed) if log else None
    size = receipt["tree_size"]
    if newest is None:
        return first.fail("平台上没有可供比对的检查点")
    if newest.size < size:
        return first.fail(f"回执的日志（{size} 条）比平台最新检查点（{newest.size} 条）还大：平台日志可能被截断或回滚")
    if log.size < newest.size:
        return first.fail(f"平台日志当前只有 {log.size} 条，少于已签署的检查点（{newest.size} 条）：日志被截断或回滚")
    positions = merkle.consistency_positions(size, newest.size)
    try:
        proof = merkle.consistency_proof_from_subtrees(size, newest.size, stored_getter(log, positions),
                                                       log.algorithm)
    except (KeyError, ValueError):
        return first.fail("无法从平台存储的日志生成一致性证明：子树哈希缺失")
    return verify_receipt(receipt, verifiers, cosigned_note(newest), proof)


def _newest_checkpoint(log: Log, witnessed: bool) -> Checkpoint | None:
    """The last checkpoint signed (by time, not size: a log rolled back to fewer entries must not
    hide behind an older, larger checkpoint); for a witnessed receipt, the last one witnessed."""
    if witnessed:
        return last_cosigned(log, note.parse_verifier_key(public_keys()["witness"]).name)
    return log.checkpoints.order_by("-created_at", "-id").first()


def _entry_of(receipt: dict[str, Any]) -> dict[str, Any] | None:
    try:
        body = json.loads(receipt.get("entry", ""))
    except (TypeError, ValueError):
        return None
    return body if isinstance(body, dict) else None
