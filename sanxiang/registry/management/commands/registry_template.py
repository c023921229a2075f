"""manage.py registry_template <registry> <out.xlsx>: the blank import file of a registry."""

from django.core.management.base import BaseCommand, CommandParser

from sanxiang.registry.excel import write_template
from sanxiang.registry.excel.cli import REGISTRY_HELP, registry_key


class Command(BaseCommand):
    help = "生成基础库的 Excel 导入模板（含“填写说明”工作表）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("registry", help=REGISTRY_HELP)
        parser.add_argument("file", help="输出的 .xlsx 文件")

    def handle(self, *args: object, **options: object) -> None:
        key = registry_key(str(options["registry"]))
        write_template(key, str(options["file"]))
        self.stdout.write(self.style.SUCCESS(f"已生成导入模板：{options['file']}"))
