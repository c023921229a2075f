"""manage.py import_registry <registry> <file.xlsx> --agency <name or USCC> [--user <username>]"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.registry.excel import format_errors, import_file
from sanxiang.registry.excel.cli import REGISTRY_HELP, ProgressBars, find_agency, find_user, registry_key


class Command(BaseCommand):
    help = "从 Excel 文件导入基础库数据（全部成功或全部不导入）；有错误时打印错误报告并以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("registry", help=REGISTRY_HELP)
        parser.add_argument("file", help="要导入的 .xlsx 文件")
        parser.add_argument("--agency", required=True, help="导入到的执法主体（全称或统一社会信用代码）")
        parser.add_argument("--user", help="以该用户身份导入（须为该主体的系统管理员）；不填视为运维操作")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: object, **options: object) -> None:
        key = registry_key(str(options["registry"]))
        agency = find_agency(str(options["agency"]))
        user = find_user(options["user"])  # type: ignore[arg-type]
        bars = ProgressBars(self.stderr, enabled=not options["no_progress"])
        try:
            outcome = import_file(key, str(options["file"]), agency, user, progress=bars)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bars.close()
        if not outcome.ok:
            for line in format_errors(outcome.errors):
                self.stderr.write(line)
            raise CommandError(f"导入失败：共{outcome.error_count}处错误，未导入任何数据")
        self.stdout.write(self.style.SUCCESS(f"导入成功：{agency} 新增 {outcome.created} 条记录"))
