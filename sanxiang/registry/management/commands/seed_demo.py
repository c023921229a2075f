"""``manage.py seed_demo``: load the 清江市 demo data (safe to run again; adds only what is missing)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.accounts.choices import Role
from sanxiang.registry.demo import DEMO_PASSWORD, DemoError, DemoResult, seed_demo


class Command(BaseCommand):
    help = "加载演示数据（示例省清江市的司法局、执法主体、人员、法规、事项、裁量基准、检查对象和演示账户）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet-logins", action="store_true", help="结束时不打印演示账户表")

    def handle(self, *args: object, **options: object) -> None:
        # Demo accounts share a published password: never on a production installation.
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("生产模式（SANXIANG_MODE=production）下不允许加载演示数据："
                               "演示账户的密码是公开的")
        try:
            result = seed_demo(progress=lambda line: self.stdout.write(f"  {line}"))
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self._summary(result))
        if not options["quiet_logins"]:
            self.stdout.write(_login_table(result))

    def _summary(self, result: DemoResult) -> str:
        if result.created == 0:
            return self.style.SUCCESS("演示数据已完整，本次未新增任何记录。")
        if result.already_present:
            return self.style.SUCCESS(f"检测到已有演示数据，已补充缺失的 {result.created} 条记录。")
        return self.style.SUCCESS(f"演示数据加载完成，共新增 {result.created} 条记录。")


def _login_table(result: DemoResult) -> str:
    labels = dict(Role.choices)
    rows = [("用户名", "角色", "机关", "姓名", "密码")]
    rows += [(p.username, "、".join(str(labels[r]) for r in p.roles), result.agencies[p.agency].name,
              p.full_name, DEMO_PASSWORD) for p in result.logins]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["", "演示账户（登录 http://127.0.0.1:8000/ ）："]
    for row in rows:
        cells = (cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row))
        lines.append(("  " + "  ".join(cells)).rstrip())
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
