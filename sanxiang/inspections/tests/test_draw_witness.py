"""The ledger evidence in a draw file: the randomness is the root of a checkpoint cosigned by the
supervisor, and a receipt proves the commitment was one of that checkpoint's entries. Real
Ed25519 keys and Merkle proofs from sanxiang.ledger's pure core; no database."""

import copy

import pytest

from sanxiang.inspections.draw import build_draw_document, check_draw_document, randomness_object
from sanxiang.inspections.draw.engine import commitment_of
from sanxiang.inspections.draw.samples import synthetic_inputs
from sanxiang.ledger import keys, merkle
from sanxiang.ledger.canonical import canonical_bytes
from sanxiang.ledger.note import Checkpoint, Signer, cosign, sign_checkpoint
from sanxiang.ledger.receipt import make_receipt

ORIGIN = "sanxiang.test/ledger/1"


class Ledger:
    """A small in-memory log: some entries, the commitment entry, more entries, then checkpoints."""

    def __init__(self, commitment: str):
        self.platform = Signer("sanxiang.test/platform", keys.generate_private_key())
        self.witness = Signer("sanxiang.test/witness", keys.generate_private_key())
        self.entries = [canonical_bytes({"type": "case.update", "index": n}) for n in range(5)]
        self.committed_at = len(self.entries)
        self.entries.append(canonical_bytes({"type": "inspections.draw.committed", "object": {"id": "7"},
                                             "files": [commitment]}))
        self.entries += [canonical_bytes({"type": "case.update", "index": n}) for n in range(5, 9)]
        self.keys = [self.platform.verifier.verifier_key(), self.witness.verifier.verifier_key()]

    def checkpoint(self, size: int, cosigned: bool = True) -> str:
        note = sign_checkpoint(Checkpoint(ORIGIN, size, merkle.root_hash(self.entries[:size])), [self.platform])
        return cosign(note, self.witness) if cosigned else note

    def randomness(self, size: int, beacon: str | None = "2026-03-02 信标") -> dict:
        return randomness_object(merkle.root_hash(self.entries[:size]).hex(), size, beacon)

    def receipt(self, size: int, index: int | None = None) -> dict:
        index = self.committed_at if index is None else index
        proof = merkle.inclusion_proof(self.entries[:size], index)
        return make_receipt(self.entries[index], index, size, proof, self.checkpoint(size))

    def evidence(self, size: int, **overrides) -> dict:
        return {"checkpoint": self.checkpoint(size), "keys": self.keys, "commitment_receipt": self.receipt(size),
                **overrides}


@pytest.fixture(scope="module")
def inputs():
    return synthetic_inputs(targets=500, inspectors=10, exclusions=30)


@pytest.fixture(scope="module")
def ledger(inputs):
    return Ledger(commitment_of(inputs))


def test_evidence_from_the_ledger_verifies(inputs, ledger):
    document = build_draw_document(inputs, ledger.randomness(8), ledger.evidence(8))
    check = check_draw_document(document, ledger.keys)
    assert check.ok, check.problems
    facts = "；".join(check.facts)
    assert "使用命令行给出的公钥核对签名" in facts
    assert "sanxiang.test/platform、sanxiang.test/witness 签名有效" in facts
    assert "随机数即该检查点的根哈希（sanxiang.test/ledger/1，8 条记录）" in facts
    assert "承诺值记录在全过程记录第 5 条，位于随机数所用检查点之内：承诺先于随机数" in facts


def test_the_files_own_keys_are_used_and_said_so(inputs, ledger):
    check = check_draw_document(build_draw_document(inputs, ledger.randomness(8), ledger.evidence(8)))
    assert check.ok, check.problems
    assert any("使用文件自带的公钥" in fact for fact in check.facts)


def test_randomness_that_is_not_the_checkpoint_root_is_caught(inputs, ledger):
    document = build_draw_document(inputs, ledger.randomness(9), ledger.evidence(8))
    problems = check_draw_document(document, ledger.keys).problems
    assert any("不是随机数所用的检查点" in p for p in problems)


def test_a_checkpoint_without_the_supervisors_cosignature_is_refused(inputs, ledger):
    evidence = ledger.evidence(8, checkpoint=ledger.checkpoint(8, cosigned=False))
    problems = check_draw_document(build_draw_document(inputs, ledger.randomness(8), evidence), ledger.keys).problems
    assert any("检查点缺少以下公钥的签名：sanxiang.test/witness" in p for p in problems)


def test_keys_other_than_the_signers_are_refused(inputs, ledger):
    stranger = Signer("sanxiang.test/other", keys.generate_private_key()).verifier.verifier_key()
    document = build_draw_document(inputs, ledger.randomness(8), ledger.evidence(8))
    problems = check_draw_document(document, [stranger]).problems
    assert any("没有任何已知公钥的有效签名" in p for p in problems)


def test_a_forged_signature_is_refused(inputs, ledger):
    lines = ledger.checkpoint(8).split("\n")
    witness_line = lines[-2]  # the last signature line; its base64 ends with one "=" of padding
    lines[-2] = witness_line[:-3] + ("A" if witness_line[-3] != "A" else "B") + witness_line[-2:]
    evidence = ledger.evidence(8, checkpoint="\n".join(lines))
    problems = check_draw_document(build_draw_document(inputs, ledger.randomness(8), evidence), ledger.keys).problems
    assert any("检查点无效：“sanxiang.test/witness”的签名验证失败" in p for p in problems)


def test_a_consistent_forgery_is_caught_by_the_commitment_receipt(inputs, ledger):
    """Altered inputs with a re-run draw are self-consistent, but the ledger recorded another commitment."""
    changed = copy.deepcopy(inputs)
    changed["targets"]["high"].append("913301999999999999")
    document = build_draw_document(changed, ledger.randomness(8), ledger.evidence(8))
    problems = check_draw_document(document, ledger.keys).problems
    assert problems == ["承诺记录的回执中的全过程记录没有写明本次抽取的承诺值"]


def test_a_receipt_against_a_later_checkpoint_proves_nothing_about_the_order(inputs, ledger):
    evidence = ledger.evidence(8, commitment_receipt=ledger.receipt(10))
    problems = check_draw_document(build_draw_document(inputs, ledger.randomness(8), evidence), ledger.keys).problems
    assert "承诺记录的回执所对应的检查点不是随机数所用的检查点" in problems


def test_a_receipt_with_an_altered_entry_is_refused(inputs, ledger):
    receipt = ledger.receipt(8)
    receipt["entry"] = receipt["entry"].replace("committed", "commited")
    document = build_draw_document(inputs, ledger.randomness(8), ledger.evidence(8, commitment_receipt=receipt))
    assert any("承诺记录的回执无效：包含证明不成立" in p for p in check_draw_document(document, ledger.keys).problems)


def test_without_any_key_only_the_checkpoint_text_is_compared(inputs, ledger):
    evidence = {"checkpoint": ledger.checkpoint(8)}
    check = check_draw_document(build_draw_document(inputs, ledger.randomness(8), evidence))
    assert check.ok
    assert "未提供公钥，未核对检查点的签名" in check.facts
    with_receipt = {**evidence, "commitment_receipt": ledger.receipt(8)}
    problems = check_draw_document(build_draw_document(inputs, ledger.randomness(8), with_receipt)).problems
    assert problems == ["有承诺记录的回执却没有任何公钥，无法核对"]


def test_a_malformed_ledger_section_is_a_problem(inputs, ledger):
    document = build_draw_document(inputs, ledger.randomness(8), {"checkpoint": 42, "keys": "x"})
    problems = check_draw_document(document).problems
    assert "凭证中的公钥（ledger.keys）必须是验证公钥字符串的列表" in problems
    assert "凭证中的检查点（ledger.checkpoint）必须是签名便笺文本" in problems
