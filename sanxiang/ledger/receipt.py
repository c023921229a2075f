"""Receipts and exported slices of the ledger, and their offline verification. No Django.

**Receipt** (JSON object), what a party keeps to prove one entry was recorded::

    {"format": "sanxiang-ledger-receipt/1", "algorithm": "sha256",
     "entry": "<canonical JSON of the entry>",        # or "entry_base64" for non-UTF-8 bytes
     "index": 41, "tree_size": 57,
     "inclusion_proof": ["<base64 hash>", ...],       # RFC 9162 order, leaf upwards
     "checkpoint": "<signed checkpoint note>"}        # whose tree size is tree_size

**Slice**, entries ``[start, end)`` of the log, in one of two layouts:

* JSON: ``{"format": "sanxiang-ledger-slice/1", "algorithm", "start", "end", "entries": [text, ...],
  "prefix": [...], "checkpoint": "...", "consistency_proof": [...]}``;
* JSON Lines (for big exports, verified in constant memory): the first line is the same object
  with ``"layout": "jsonl"`` and without ``entries``; every following line is one entry's
  canonical JSON, exactly the bytes that were hashed (canonical JSON never contains a newline).

``prefix`` holds the hashes of the perfect subtrees covering ``[0, start)``
(:func:`~sanxiang.ledger.merkle.frontier_positions`; empty when ``start`` is 0, and then the root is
recomputed from the entries alone). ``consistency_proof`` proves the tree of ``end`` entries is a
prefix of the checkpoint's tree (empty when ``end`` equals its size).

:func:`verify_receipt` and :func:`verify_slice` never raise on bad input: they return a
:class:`Result` whose ``reasons`` say in Chinese what failed. Every verifier key given must have
signed the checkpoint (give the platform key and the witness key to require the cosignature).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TextIO

from . import merkle
from .note import Checkpoint, NoteError, Verifier, open_checkpoint, parse_verifier_key

RECEIPT_FORMAT = "sanxiang-ledger-receipt/1"
SLICE_FORMAT = "sanxiang-ledger-slice/1"
VerifierKeys = Iterable[str | Verifier]


class ReceiptError(ValueError):
    """Malformed receipt or slice; the message is Chinese and says which field."""


@dataclass
class Result:
    """The outcome of a verification: ``ok`` and, in Chinese, what was shown or what failed."""

    ok: bool = True
    reasons: list[str] = field(default_factory=list)  # failures, empty when ok
    facts: list[str] = field(default_factory=list)  # what was established
    signed_by: tuple[str, ...] = ()
    tree_size: int | None = None
    root: bytes | None = None

    def fail(self, reason: str) -> Result:
        self.ok = False
        self.reasons.append(reason)
        return self

    def summary(self) -> str:
        """One paragraph for a person: 验证通过 plus the facts, or 验证失败 plus the reasons."""
        if self.ok:
            return "验证通过：" + "；".join(self.facts)
        return "验证失败：" + "；".join(self.reasons)


# --- building ----------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _entry_field(entry: bytes) -> dict[str, str]:
    try:
        return {"entry": entry.decode("utf-8")}
    except UnicodeDecodeError:
        return {"entry_base64": b64(entry)}


def make_receipt(
    entry: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    checkpoint: str,
    algorithm: str = merkle.DEFAULT_ALGORITHM,
) -> dict[str, Any]:
    """The receipt of ``entry`` (its exact hashed bytes) at ``index``, proved against ``checkpoint``."""
    return {
        "format": RECEIPT_FORMAT,
        "algorithm": algorithm,
        **_entry_field(entry),
        "index": index,
        "tree_size": tree_size,
        "inclusion_proof": [b64(p) for p in proof],
        "checkpoint": checkpoint,
    }


def slice_header(
    start: int,
    end: int,
    checkpoint: str,
    prefix: Sequence[bytes] = (),
    consistency_proof: Sequence[bytes] = (),
    algorithm: str = merkle.DEFAULT_ALGORITHM,
) -> dict[str, Any]:
    """Everything of a slice but its entries."""
    return {
        "format": SLICE_FORMAT,
        "algorithm": algorithm,
        "start": start,
        "end": end,
        "prefix": [b64(h) for h in prefix],
        "checkpoint": checkpoint,
        "consistency_proof": [b64(h) for h in consistency_proof],
    }


def make_slice(entries: Sequence[bytes], start: int = 0, **header: Any) -> dict[str, Any]:
    """A JSON-layout slice of UTF-8 ``entries`` starting at ``start`` (see :func:`slice_header`)."""
    return {
        **slice_header(start, start + len(entries), **header),
        "entries": [e.decode("utf-8") for e in entries],
    }


def write_slice_jsonl(out: TextIO, entries: Iterable[bytes], start: int, end: int, **header: Any) -> None:
    """Write a JSON Lines slice: the header line, then one canonical entry per line."""
    out.write(
        json.dumps({**slice_header(start, end, **header), "layout": "jsonl"}, ensure_ascii=False) + "\n"
    )
    for entry in entries:
        text = entry.decode("utf-8")
        if "\n" in text:
            raise ReceiptError("JSON Lines 导出的记录不能含换行（应为规范 JSON）")
        out.write(text + "\n")


# --- reading fields ----------------------------------------------------------------------------


def _count(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ReceiptError(f"字段 {name} 必须是非负整数")
    return value


def _hashes(data: Mapping[str, Any], name: str) -> list[bytes]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ReceiptError(f"字段 {name} 必须是 Base64 字符串的列表")
    try:
        return [base64.b64decode(v, validate=True) for v in value]
    except binascii.Error as error:
        raise ReceiptError(f"字段 {name} 含有不是 Base64 的内容") from error


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise ReceiptError(f"缺少字段 {name}")
    return value


def _algorithm(data: Mapping[str, Any]) -> str:
    algorithm = data.get("algorithm", merkle.DEFAULT_ALGORITHM)
    if algorithm not in merkle.ALGORITHMS:
        raise ReceiptError(f"不支持的哈希算法：{algorithm!r}")
    return str(algorithm)


def _entry_bytes(data: Mapping[str, Any]) -> bytes:
    if isinstance(data.get("entry"), str):
        return str(data["entry"]).encode("utf-8")
    if isinstance(data.get("entry_base64"), str):
        try:
            return base64.b64decode(data["entry_base64"], validate=True)
        except binascii.Error as error:
            raise ReceiptError("字段 entry_base64 不是 Base64") from error
    raise ReceiptError("缺少字段 entry（记录内容）")


def _as_object(document: Mapping[str, Any] | str | bytes) -> Mapping[str, Any]:
    if isinstance(document, (str, bytes)):
        try:
            document = json.loads(document)
        except (ValueError, UnicodeDecodeError) as error:
            raise ReceiptError("不是有效的 JSON") from error
    if not isinstance(document, Mapping):
        raise ReceiptError("应当是一个 JSON 对象")
    return document


# --- checking ----------------------------------------------------------------------------------


def _verifiers(keys: VerifierKeys) -> list[Verifier]:
    verifiers = [key if isinstance(key, Verifier) else parse_verifier_key(key) for key in keys]
    if not verifiers:
        raise NoteError("至少需要提供一个验证公钥")
    return verifiers


def _open(note: str, verifiers: list[Verifier], result: Result, label: str) -> Checkpoint:
    checkpoint, signed_by = open_checkpoint(note, verifiers)
    missing = [v.name for v in verifiers if v.name not in signed_by]
    if missing:
        raise NoteError(f"{label}缺少以下公钥的签名：{'、'.join(missing)}")
    result.facts.append(f"{label}（{checkpoint.size} 条记录）由 {'、'.join(signed_by)} 签名有效")
    return checkpoint


def _check_newer(
    old: Checkpoint,
    newer_note: str,
    proof: Sequence[bytes | str],
    verifiers: list[Verifier],
    algorithm: str,
    result: Result,
) -> None:
    newer = _open(newer_note, verifiers, result, "较新的检查点")
    if newer.origin != old.origin:
        result.fail(f"较新的检查点属于另一个日志：{newer.origin}（原为 {old.origin}）")
        return
    hashes = [base64.b64decode(p, validate=True) if isinstance(p, str) else p for p in proof]
    if not merkle.verify_consistency(old.size, newer.size, old.root, newer.root, hashes, algorithm):
        result.fail(
            f"一致性证明不成立：{old.size} 条记录时的日志不是 {newer.size} 条记录时日志的前缀，历史可能被改写"
        )
        return
    result.facts.append(f"较新的检查点与原检查点一致（{old.size} → {newer.size} 条，历史未被改写）")
    result.tree_size, result.root = newer.size, newer.root


def verify_receipt(
    receipt: Mapping[str, Any] | str | bytes,
    verifier_keys: VerifierKeys,
    newer_checkpoint: str | None = None,
    consistency_proof: Sequence[bytes | str] | None = None,
) -> Result:
    """Check a receipt: signatures on its checkpoint, then the entry's inclusion proof.

    With ``newer_checkpoint`` (a signed note) and ``consistency_proof`` (from the receipt's tree size
    to the newer one), also check that the newer log still contains the receipt's log unchanged.
    """
    result = Result()
    try:
        data = _as_object(receipt)
        if data.get("format") != RECEIPT_FORMAT:
            raise ReceiptError(f"不是账本回执（format 应为 {RECEIPT_FORMAT}）")
        algorithm, entry = _algorithm(data), _entry_bytes(data)
        index, size = _count(data, "index"), _count(data, "tree_size")
        proof = _hashes(data, "inclusion_proof")
        verifiers = _verifiers(verifier_keys)
        checkpoint = _open(_text(data, "checkpoint"), verifiers, result, "检查点")
        result.signed_by, result.tree_size, result.root = (
            tuple(v.name for v in verifiers),
            size,
            checkpoint.root,
        )
        if checkpoint.size != size:
            return result.fail(f"回执的树大小 {size} 与检查点的 {checkpoint.size} 不符")
        if not merkle.verify_inclusion(entry, index, size, proof, checkpoint.root, algorithm):
            return result.fail(f"包含证明不成立：第 {index} 条记录不在该检查点的日志中，或记录内容已被改动")
        result.facts.append(
            f"第 {index} 条记录包含在 {size} 条记录的日志中（{checkpoint.origin}，{algorithm}）"
        )
        if newer_checkpoint is not None:
            _check_newer(checkpoint, newer_checkpoint, consistency_proof or [], verifiers, algorithm, result)
    except (ReceiptError, NoteError, binascii.Error) as error:
        result.fail(str(error))
    return result


# --- slices ------------------------------------------------------------------------------------


def verify_slice(
    header: Mapping[str, Any],
    verifier_keys: VerifierKeys,
    entries: Iterable[bytes] | None = None,
    newer_checkpoint: str | None = None,
    consistency_proof: Sequence[bytes | str] | None = None,
) -> Result:
    """Check a slice: recompute its part of the tree from the entries and tie it to the checkpoint.

    ``header`` is the slice object; its ``entries`` are used unless ``entries`` (raw bytes, e.g.
    streamed from a JSON Lines file) is given. Memory is constant in the number of entries.
    """
    result = Result()
    try:
        if header.get("format") != SLICE_FORMAT:
            raise ReceiptError(f"不是账本导出片段（format 应为 {SLICE_FORMAT}）")
        algorithm, start, end = _algorithm(header), _count(header, "start"), _count(header, "end")
        if end < start:
            raise ReceiptError("片段的结束序号小于起始序号")
        verifiers = _verifiers(verifier_keys)
        checkpoint = _open(_text(header, "checkpoint"), verifiers, result, "检查点")
        result.signed_by, result.tree_size, result.root = tuple(v.name for v in verifiers), end, None
        if checkpoint.size < end:
            return result.fail(f"片段到第 {end} 条为止，超出检查点的 {checkpoint.size} 条")
        prefix = _hashes(header, "prefix")
        if len(prefix) != start.bit_count():
            return result.fail(f"前缀哈希应有 {start.bit_count()} 个，实有 {len(prefix)} 个")
        root = _slice_root(start, end, prefix, _slice_entries(header, entries), algorithm)
        result.root = root
        proof = _hashes(header, "consistency_proof")
        if not merkle.verify_consistency(end, checkpoint.size, root, checkpoint.root, proof, algorithm):
            where = (
                "从头重算的根哈希与检查点不符"
                if end == checkpoint.size
                else "片段与检查点之间的一致性证明不成立"
            )
            return result.fail(f"{where}：第 {start}–{end - 1} 条记录有被改动、删除、插入或调换")
        result.facts.append(
            f"第 {start} 至 {end - 1} 条记录（共 {end - start} 条）与检查点的日志一致（{algorithm}）"
        )
        result.tree_size, result.root = checkpoint.size, checkpoint.root
        if newer_checkpoint is not None:
            _check_newer(checkpoint, newer_checkpoint, consistency_proof or [], verifiers, algorithm, result)
    except (ReceiptError, NoteError, binascii.Error, ValueError) as error:
        result.fail(str(error))
    return result


def _slice_entries(header: Mapping[str, Any], entries: Iterable[bytes] | None) -> Iterable[bytes]:
    if entries is not None:
        return entries
    items = header.get("entries")
    if not isinstance(items, list) or not all(isinstance(e, str) for e in items):
        raise ReceiptError("字段 entries 必须是记录文本的列表")
    return (e.encode("utf-8") for e in items)


def _slice_root(start: int, end: int, prefix: list[bytes], entries: Iterable[bytes], algorithm: str) -> bytes:
    if any(len(h) != merkle.digest_size(algorithm) for h in prefix):
        raise ReceiptError("前缀哈希长度不正确")
    edge = merkle.CompactRange(start, prefix, algorithm)
    edge.extend(islice(entries, end - start + 1))  # one extra to notice a slice that is too long
    if edge.size > end:
        raise ReceiptError(f"片段的记录多于 {end - start} 条")
    if edge.size != end:
        raise ReceiptError(f"片段应有 {end - start} 条记录，实有 {edge.size - start} 条")
    return edge.root()


# --- files -------------------------------------------------------------------------------------


def read_document(stream: TextIO) -> tuple[Mapping[str, Any], Iterator[bytes] | None]:
    """Read a receipt or slice file: ``(object, None)`` for JSON, ``(header, entry lines)`` for JSON Lines.

    The JSON Lines entries are an iterator over the rest of ``stream``: consume it before closing.
    """
    first = stream.readline()
    try:
        head = json.loads(first)
    except ValueError:
        head = None
    if isinstance(head, dict) and head.get("layout") == "jsonl":
        return head, (line.rstrip("\n").encode("utf-8") for line in stream)
    try:
        return _as_object(first + stream.read()), None
    except ReceiptError:
        raise
    except ValueError as error:
        raise ReceiptError("不是有效的 JSON") from error


def verify_document(
    document: Mapping[str, Any],
    verifier_keys: VerifierKeys,
    entries: Iterable[bytes] | None = None,
    newer_checkpoint: str | None = None,
    consistency_proof: Sequence[bytes | str] | None = None,
) -> Result:
    """Dispatch on ``format``: a receipt or a slice."""
    if document.get("format") == RECEIPT_FORMAT:
        return verify_receipt(document, verifier_keys, newer_checkpoint, consistency_proof)
    if document.get("format") == SLICE_FORMAT:
        return verify_slice(document, verifier_keys, entries, newer_checkpoint, consistency_proof)
    return Result().fail(f"无法识别的文件格式：{document.get('format')!r}（应为账本回执或导出片段）")
