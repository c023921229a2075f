"""The optional ledger evidence in a draw file: where the randomness came from, and that the
commitment was recorded before it existed. Reuses the ledger's pure primitives (no Django).

``ledger`` section of the draw file::

    {"checkpoint": "<signed note: the checkpoint whose root is the randomness, with the
                    platform's signature and the supervisor's (witness) cosignature>",
     "keys": ["<verifier key of the platform>", "<verifier key of the witness>"],
     "commitment_receipt": {…a sanxiang-ledger-receipt/1 of the ledger entry recording the
                            commitment, proved against that same checkpoint…}}

Every field is optional. The verifier checks:

* ``checkpoint``: its signatures (C2SP signed note, Ed25519, ``sanxiang.ledger.note``) by every
  key it was given — the keys passed on the command line, else the file's own ``keys`` (which
  only shows the file is consistent: a forger could replace both; compare them with the keys the
  platform and the 司法局 publish) — and that its tree size and root hash are the randomness;
* ``commitment_receipt``: the receipt verifies (``sanxiang.ledger.receipt``) with the same keys,
  its checkpoint is the randomness's checkpoint, and its entry contains the commitment (as a
  string value anywhere in the entry). The entry is then one of the leaves the root hash was
  computed from: the commitment was recorded before the randomness existed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sanxiang.ledger.note import NoteError, open_checkpoint, parse_checkpoint, parse_verifier_key, split_note
from sanxiang.ledger.receipt import verify_receipt


def check_ledger(
    section: Any,
    commitment: str,
    randomness: Mapping[str, Any],
    keys: Sequence[str],
    problems: list[str],
    facts: list[str],
) -> None:
    """Check the ``ledger`` section; append Chinese problems and facts."""
    if not isinstance(section, Mapping):
        problems.append("全过程记录凭证（ledger）必须是 JSON 对象")
        return
    own = section.get("keys") or []
    if not isinstance(own, list) or not all(isinstance(k, str) for k in own):
        problems.append("凭证中的公钥（ledger.keys）必须是验证公钥字符串的列表")
        own = []
    used = list(keys) or own
    if keys:
        facts.append("使用命令行给出的公钥核对签名")
    elif own:
        facts.append("使用文件自带的公钥核对签名：请与平台和司法局公布的公钥比对（或用 --key 指定）")
    if "checkpoint" in section:
        _checkpoint(section["checkpoint"], randomness, used, problems, facts)
    if "commitment_receipt" in section:
        _receipt(section["commitment_receipt"], commitment, randomness, used, problems, facts)


def _checkpoint(note: Any, randomness: Mapping[str, Any], keys: list[str], problems: list[str],
                facts: list[str]) -> None:
    if not isinstance(note, str):
        problems.append("凭证中的检查点（ledger.checkpoint）必须是签名便笺文本")
        return
    try:
        if keys:
            verifiers = [parse_verifier_key(k) for k in keys]
            body, signed_by = open_checkpoint(note, verifiers)
            missing = [v.name for v in verifiers if v.name not in signed_by]
            if missing:
                problems.append(f"检查点缺少以下公钥的签名：{'、'.join(missing)}")
                return
            facts.append(f"检查点（{body.size} 条记录）由 {'、'.join(signed_by)} 签名有效")
        else:
            body = parse_checkpoint(split_note(note)[0])
            facts.append("未提供公钥，未核对检查点的签名")
    except NoteError as error:
        problems.append(f"检查点无效：{error}")
        return
    if (body.root.hex(), body.size) != (randomness["checkpoint_root"], randomness["checkpoint_size"]):
        problems.append(f"检查点（{body.size} 条记录，根哈希 {body.root.hex()}）不是随机数所用的检查点")
    else:
        facts.append(f"随机数即该检查点的根哈希（{body.origin}，{body.size} 条记录）")


def _receipt(receipt: Any, commitment: str, randomness: Mapping[str, Any], keys: list[str],
             problems: list[str], facts: list[str]) -> None:
    if not keys:
        problems.append("有承诺记录的回执却没有任何公钥，无法核对")
        return
    result = verify_receipt(receipt, keys)
    if not result.ok:
        problems += [f"承诺记录的回执无效：{reason}" for reason in result.reasons]
        return
    root = result.root.hex() if result.root else None
    if (root, result.tree_size) != (randomness["checkpoint_root"], randomness["checkpoint_size"]):
        problems.append("承诺记录的回执所对应的检查点不是随机数所用的检查点")
        return
    if not _mentions(_entry(receipt), commitment):
        problems.append("承诺记录的回执中的全过程记录没有写明本次抽取的承诺值")
        return
    facts.append(f"承诺值记录在全过程记录第 {receipt['index']} 条，位于随机数所用检查点之内：承诺先于随机数")


def _entry(receipt: Mapping[str, Any]) -> Any:
    import json

    try:
        return json.loads(receipt.get("entry", ""))
    except (TypeError, ValueError):
        return None


def _mentions(value: Any, text: str) -> bool:
    """Whether ``text`` is a string value somewhere inside ``value`` (a parsed JSON entry)."""
    if isinstance(value, str):
        return value == text
    if isinstance(value, Mapping):
        return any(_mentions(v, text) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, text) for v in value)
    return False
