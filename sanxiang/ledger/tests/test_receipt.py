"""Receipts and exported slices, verified offline. No database."""

import io
import json

import pytest

from sanxiang.ledger import keys, merkle
from sanxiang.ledger.canonical import canonical_bytes
from sanxiang.ledger.note import Checkpoint, Signer, cosign, sign_checkpoint
from sanxiang.ledger.receipt import (
    make_receipt,
    make_slice,
    read_document,
    verify_document,
    verify_receipt,
    verify_slice,
    write_slice_jsonl,
)

ORIGIN = "sanxiang.test/ledger/1"


def make_log(count: int) -> list[bytes]:
    return [
        canonical_bytes({"event": "case.update", "index": n, "agency": 7, "summary": f"第 {n} 次变更"})
        for n in range(count)
    ]


class Log:
    """A small in-memory ledger with a platform key and a witness key, for building test documents."""

    def __init__(self, count: int, algorithm: str = "sha256"):
        self.entries = make_log(count)
        self.algorithm = algorithm
        self.platform = Signer("sanxiang.test/platform", keys.generate_private_key())
        self.witness = Signer("sanxiang.test/witness", keys.generate_private_key())
        self.keys = [self.platform.verifier.verifier_key()]
        self.both = [*self.keys, self.witness.verifier.verifier_key()]

    def checkpoint(self, size: int, cosigned: bool = False) -> str:
        root = merkle.root_hash(self.entries[:size], self.algorithm)
        note = sign_checkpoint(Checkpoint(ORIGIN, size, root), [self.platform])
        return cosign(note, self.witness) if cosigned else note

    def receipt(self, at: int, size: int, **overrides):
        proof = merkle.inclusion_proof(self.entries[:size], at, self.algorithm)
        receipt = make_receipt(self.entries[at], at, size, proof, self.checkpoint(size), self.algorithm)
        return {**receipt, **overrides}

    def consistency(self, old: int, new: int) -> list[bytes]:
        return merkle.consistency_proof(self.entries[:new], old, self.algorithm)

    def slice(self, start: int, end: int, size: int) -> dict:
        tree = merkle.MemoryTree(self.entries[:size], self.algorithm)
        prefix = [tree.get(level, i) for level, i in merkle.frontier_positions(start)]
        return make_slice(
            self.entries[start:end],
            start,
            checkpoint=self.checkpoint(size),
            prefix=prefix,
            consistency_proof=merkle.consistency_proof(self.entries[:size], end, self.algorithm),
            algorithm=self.algorithm,
        )


@pytest.fixture(scope="module")
def log():
    return Log(23)


def test_valid_receipt(log):
    result = verify_receipt(log.receipt(5, 20), log.keys)
    assert result.ok, result.reasons
    assert result.summary().startswith("验证通过")
    assert "第 5 条记录包含在 20 条记录的日志中" in result.summary()
    assert json.loads(json.dumps(log.receipt(5, 20)))  # plain JSON
    assert verify_receipt(json.dumps(log.receipt(5, 20), ensure_ascii=False), log.keys).ok


def test_receipt_against_a_newer_checkpoint(log):
    receipt = log.receipt(5, 11)
    proof = log.consistency(11, 23)
    result = verify_receipt(receipt, log.keys, log.checkpoint(23), proof)
    assert result.ok, result.reasons
    assert result.tree_size == 23
    # A newer checkpoint of a rewritten log does not verify against the old receipt.
    rewritten = Log(23)
    rewritten.platform = log.platform
    rewritten.entries[3] = b'{"rewritten":true}'
    forged = rewritten.checkpoint(23)
    bad = verify_receipt(receipt, log.keys, forged, rewritten.consistency(11, 23))
    assert not bad.ok
    assert "一致性证明不成立" in bad.summary()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"entry": '{"event":"forged"}'}, "包含证明不成立"),
        ({"index": 6}, "包含证明不成立"),
        ({"tree_size": 21}, "不符"),
        ({"inclusion_proof": []}, "包含证明不成立"),
        ({"inclusion_proof": ["not base64!"]}, "Base64"),
        ({"index": -1}, "非负整数"),
        ({"algorithm": "sm3"}, "包含证明不成立"),
        ({"algorithm": "md5"}, "不支持"),
        ({"format": "other"}, "不是账本回执"),
        ({"checkpoint": "garbage"}, "签名便笺"),
    ],
)
def test_receipt_failures_are_named(log, change, reason):
    result = verify_receipt(log.receipt(5, 20, **change), log.keys)
    assert not result.ok
    assert reason in result.summary()


def test_receipt_with_unknown_or_missing_keys(log):
    stranger = Signer("stranger", keys.generate_private_key()).verifier.verifier_key()
    assert "没有任何已知公钥" in verify_receipt(log.receipt(1, 4), [stranger]).summary()
    # Asking for the witness too means the cosignature is required.
    assert "缺少以下公钥的签名" in verify_receipt(log.receipt(1, 4), log.both).summary()
    cosigned = log.receipt(1, 4, checkpoint=log.checkpoint(4, cosigned=True))
    assert verify_receipt(cosigned, log.both).signed_by == ("sanxiang.test/platform", "sanxiang.test/witness")
    assert not verify_receipt(log.receipt(1, 4), ["not a key"]).ok
    assert not verify_receipt(log.receipt(1, 4), []).ok


@pytest.mark.parametrize("bad", ["", "[]", "{", b"\xff", "null"])
def test_malformed_receipt_documents_fail_cleanly(log, bad):
    assert not verify_receipt(bad, log.keys).ok


def test_sm3_receipt():
    sm3 = Log(9, "sm3")
    assert verify_receipt(sm3.receipt(8, 9), sm3.keys).ok
    assert not verify_receipt(sm3.receipt(8, 9, algorithm="sha256"), sm3.keys).ok


# --- slices ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "size"), [(0, 23, 23), (0, 10, 23), (8, 23, 23), (5, 17, 23), (0, 0, 23)]
)
def test_slices_verify(log, start, end, size):
    result = verify_slice(log.slice(start, end, size), log.keys)
    assert result.ok, result.reasons


def tamper(entries: list[str], how: str) -> list[str]:
    entries = list(entries)
    if how == "change":
        entries[4] = entries[4].replace("次变更", "次变更!")
    elif how == "delete":
        del entries[4]
    elif how == "swap":
        entries[3], entries[4] = entries[4], entries[3]
    elif how == "truncate":
        entries.pop()
    elif how == "insert":
        entries.insert(2, '{"inserted":1}')
    return entries


@pytest.mark.parametrize("how", ["change", "delete", "swap", "truncate", "insert"])
@pytest.mark.parametrize(("start", "end"), [(0, 23), (2, 12)])
def test_tampered_slices_fail(log, how, start, end):
    document = log.slice(start, end, 23)
    document["entries"] = tamper(document["entries"], how)
    if how in ("delete", "truncate", "insert"):
        document["end"] = start + len(document["entries"])  # a consistent-looking lie
    result = verify_slice(document, log.keys)
    assert not result.ok
    assert result.summary().startswith("验证失败")


def test_slice_count_mismatch_and_bad_prefix(log):
    document = log.slice(0, 10, 23)
    document["entries"].pop()
    assert "应有 10 条记录" in verify_slice(document, log.keys).summary()
    document = log.slice(0, 10, 23)
    document["entries"].append(document["entries"][0])
    assert "多于 10 条" in verify_slice(document, log.keys).summary()
    document = log.slice(5, 10, 23)
    document["prefix"] = document["prefix"][:-1]
    assert "前缀哈希应有" in verify_slice(document, log.keys).summary()
    document = log.slice(0, 5, 5)
    document["end"] = 10
    assert "超出检查点" in verify_slice(document, log.keys).summary()


def test_jsonl_slice_round_trip_streams(log):
    out = io.StringIO()
    tree = merkle.MemoryTree(log.entries)
    write_slice_jsonl(
        out,
        log.entries[8:23],
        8,
        23,
        checkpoint=log.checkpoint(23),
        prefix=[tree.get(level, i) for level, i in merkle.frontier_positions(8)],
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 16
    assert lines[1].encode() == log.entries[8]  # each line is exactly the hashed bytes
    header, entries = read_document(io.StringIO(out.getvalue()))
    assert entries is not None
    assert verify_document(header, log.keys, entries).ok
    header, entries = read_document(io.StringIO(out.getvalue().replace("第 9 次", "第 9 次!")))
    assert not verify_document(header, log.keys, entries).ok


def test_read_document_accepts_pretty_json(log):
    text = json.dumps(log.receipt(2, 7), ensure_ascii=False, indent=2)
    document, entries = read_document(io.StringIO(text))
    assert entries is None
    assert verify_document(document, log.keys).ok
    assert "无法识别" in verify_document({"format": "x"}, log.keys).summary()
