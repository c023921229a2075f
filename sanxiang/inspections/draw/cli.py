"""``python -m sanxiang.inspections verify-draw FILE.json [--key KEY ...]``. No Django, no database.

Recomputes the draw in the file from its published inputs and randomness and says, in Chinese,
whether it matches. Exit status: 0 it matches, 1 it does not (each problem is printed), 2 the
file cannot be read as a draw file (missing, not UTF-8 JSON, not ``sanxiang-draw-file/1``) or bad
usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .document import DrawFileError, check_draw_document, load_draw_document

MATCHES, DIFFERS, UNREADABLE = 0, 1, 2


def read_keys(values: Sequence[str]) -> list[str]:
    """Verifier keys from arguments that are key strings or files of one key per line.

    The same rule as ``python -m sanxiang.ledger`` (``sanxiang.ledger.cli.read_keys``).
    """
    from sanxiang.ledger.cli import read_keys as ledger_read_keys

    return ledger_read_keys(values)


def verify_draw(args: argparse.Namespace) -> int:
    try:
        keys = read_keys(args.key)
    except OSError as error:
        print(f"无法读取公钥：{error}", file=sys.stderr)
        return UNREADABLE
    try:
        with Path(args.file).open("rb") as stream:
            document = load_draw_document(stream)
    except (OSError, DrawFileError) as error:
        print(f"无法读取抽取结果文件：{error}", file=sys.stderr)
        return UNREADABLE
    check = check_draw_document(document, keys)
    for fact in check.facts:
        print(fact)
    for problem in check.problems:
        print(f"问题：{problem}", file=sys.stderr)
    if check.ok:
        print("验证通过：抽取结果与按公布的输入和随机数重算的结果一致")
        return MATCHES
    print(f"验证失败：发现 {len(check.problems)} 处问题，抽取结果与公布的输入和随机数不符")
    return DIFFERS


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m sanxiang.inspections",
                                   description="双随机抽取结果的离线验证工具（无需数据库）")
    commands = main.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify-draw", help="重算并核对抽取结果文件")
    check.add_argument("file", help="export_draw 导出的抽取结果文件（JSON）")
    check.add_argument("--key", action="append", default=[],
                       help="核对检查点签名的验证公钥（密钥串或每行一个的文件）；可重复；不给则用文件自带的公钥")
    check.set_defaults(run=verify_draw)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))
