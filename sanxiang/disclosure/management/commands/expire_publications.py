"""``manage.py expire_publications``: entries whose publication period has ended leave the portal
(公示期满, kept in the archive), each with its ledger entry. Safe to run any number of times (cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandParser

from sanxiang.disclosure.services import expire_publications


class Command(BaseCommand):
    help = "将公示期满的公示信息移出门户列表（存档保留），每条写入全过程记录；可重复运行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="按此日期判断（YYYY-MM-DD，默认今天）")

    def handle(self, *args: object, **options: object) -> None:
        moved = expire_publications(options.get("today"))  # type: ignore[arg-type]
        self.stdout.write(self.style.SUCCESS(f"公示期满移出 {moved} 条。"))
