"""``python -m sanxiang.dossier verify FILE.zip [--key KEY ...]``: exit 0 when intact, 1 with
the list of problems otherwise, 2 on usage errors."""

import argparse
import sys
from collections.abc import Sequence

from sanxiang.dossier.verify import verify
from sanxiang.ledger.cli import read_keys


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sanxiang.dossier", description="电子案卷离线验证")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="验证电子案卷 ZIP")
    check.add_argument("file")
    check.add_argument("--key", action="append", default=[],
                       help="验证公钥（密钥串或每行一个密钥的文件）；可重复；不给则用案卷自带的 keys.txt")
    args = parser.parse_args(argv)
    report = verify(args.file, read_keys(args.key))
    for fact in report.facts:
        print(fact)
    for problem in report.problems:
        print(f"问题：{problem}", file=sys.stderr)
    print("案卷完整，未发现问题" if report.ok else f"发现 {len(report.problems)} 处问题")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
