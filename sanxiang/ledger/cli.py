"""The standalone verifier: ``python -m sanxiang.ledger verify|root …``. No Django, no settings.

    python -m sanxiang.ledger verify RECEIPT_OR_SLICE.json --key VERIFIER_KEY [--key ...]
        [--checkpoint NEWER_CHECKPOINT --consistency-proof PROOF.json]
    python -m sanxiang.ledger root ENTRIES.jsonl [--algorithm sm3]

``--key`` is a verifier key string (``name+id+base64``) or a file of them, one per line; every key
given must have signed the checkpoint. Exit status: 0 verified, 1 verification failed, 2 bad usage
or unreadable input.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import merkle
from .note import NoteError
from .receipt import ReceiptError, read_document, verify_document

OK, FAILED, USAGE = 0, 1, 2


def read_keys(values: Sequence[str]) -> list[str]:
    """Verifier keys from arguments that are key strings or files holding one key per line."""
    keys: list[str] = []
    for value in values:
        path = Path(value)
        if "+" not in value or path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            keys += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        else:
            keys.append(value)
    return keys


def read_proof(path: str | None) -> list[str]:
    """A consistency proof file: a JSON list of Base64 hashes, or an object with ``consistency_proof``."""
    if path is None:
        return []
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("consistency_proof")
    if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
        raise ReceiptError("一致性证明文件应为 Base64 哈希的 JSON 列表")
    return data


def verify(args: argparse.Namespace) -> int:
    keys = read_keys(args.key)
    newer = Path(args.checkpoint).read_text(encoding="utf-8") if args.checkpoint else None
    proof = read_proof(args.consistency_proof)
    with open(args.file, encoding="utf-8") as stream:
        document, entries = read_document(stream)
        result = verify_document(document, keys, entries, newer, proof)
    if result.ok:
        print(result.summary())
        if result.root is not None:
            print(f"根哈希：{result.root.hex()}（{result.tree_size} 条记录）")
        return OK
    print(result.summary(), file=sys.stderr)
    return FAILED


def root(args: argparse.Namespace) -> int:
    """Print the tree size and root of a file with one entry per line (a JSON Lines export body)."""
    with open(args.file, encoding="utf-8") as stream:
        entries = (line.rstrip("\n").encode("utf-8") for line in stream if line.strip())
        edge = merkle.CompactRange(algorithm=args.algorithm)
        for entry in entries:
            edge.append(merkle.leaf_hash(entry, args.algorithm))
    digest = edge.root()
    print(f"记录条数：{edge.size}")
    print(f"根哈希（{args.algorithm}，十六进制）：{digest.hex()}")
    print(f"根哈希（Base64，与检查点第三行同格式）：{base64.b64encode(digest).decode('ascii')}")
    return OK


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python -m sanxiang.ledger", description="执法全过程记录账本的离线验证工具"
    )
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="验证回执或导出片段")
    check.add_argument("file", help="回执或导出片段（JSON 或 JSON Lines）")
    check.add_argument(
        "--key", action="append", required=True, help="验证公钥字符串，或每行一个公钥的文件；可重复"
    )
    check.add_argument("--checkpoint", help="较新的已签名检查点文件，检查历史未被改写")
    check.add_argument("--consistency-proof", help="从回执的检查点到较新检查点的一致性证明（JSON）")
    check.set_defaults(run=verify)
    compute = commands.add_parser("root", help="计算每行一条记录的文件的根哈希")
    compute.add_argument("file")
    compute.add_argument("--algorithm", choices=merkle.ALGORITHMS, default=merkle.DEFAULT_ALGORITHM)
    compute.set_defaults(run=root)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "checkpoint", None) and not args.consistency_proof:
        print("使用 --checkpoint 时还须提供 --consistency-proof", file=sys.stderr)
        return USAGE
    try:
        return int(args.run(args))
    except (OSError, UnicodeDecodeError, ValueError, ReceiptError, NoteError) as error:
        print(f"无法读取输入：{error}", file=sys.stderr)
        return USAGE
