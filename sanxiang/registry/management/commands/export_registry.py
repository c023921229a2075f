"""manage.py export_registry <registry> <out.xlsx> --agency <name or USCC> [--user <username>]"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanxiang.accounts.access import Action, restrict
from sanxiang.registry.excel import export_rows
from sanxiang.registry.excel.cli import REGISTRY_HELP, ProgressBars, find_agency, find_user, registry_key
from sanxiang.registry.filters import filter_queryset
from sanxiang.registry.registries import REGISTRIES


class Command(BaseCommand):
    help = "把一个执法主体的基础库数据导出为 Excel 文件（可直接再导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("registry", help=REGISTRY_HELP)
        parser.add_argument("file", help="输出的 .xlsx 文件")
        parser.add_argument("--agency", required=True, help="导出哪个执法主体的数据（全称或信用代码）")
        parser.add_argument("--user", help="只导出该用户有权查看的数据")
        parser.add_argument("--q", default="", help="与列表页相同的关键词筛选")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args: object, **options: object) -> None:
        entry = REGISTRIES[registry_key(str(options["registry"]))]
        agency = find_agency(str(options["agency"]))
        rows = entry.model.objects.filter(agency=agency)
        user = find_user(options["user"])  # type: ignore[arg-type]
        if user is not None:
            rows = restrict(rows, user, Action.VIEW)
        rows = filter_queryset(entry, rows, {"q": str(options["q"])})
        bars = ProgressBars(self.stderr, enabled=not options["no_progress"])
        try:
            count = export_rows(entry.key, rows, str(options["file"]), progress=bars)
        except OSError as exc:
            raise CommandError(f"无法写入文件：{exc}") from exc
        finally:
            bars.close()
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 条记录到 {options['file']}"))
