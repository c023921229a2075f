"""``manage.py export_dossier <案号> -o FILE.zip``: the electronic case file of one case."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxiang.cases.models import Case
from sanxiang.evidence.dossier import export_dossier


class Command(BaseCommand):
    help = "导出一个案件的电子案卷（ZIP）：案件数据、文书、证据、全过程记录回执与见证签名的检查点"

    def add_arguments(self, parser) -> None:
        parser.add_argument("case_number", help="案号")
        parser.add_argument("-o", "--output", required=True, help="输出的 ZIP 文件")

    def handle(self, *args: object, case_number: str, output: str, **options: object) -> None:
        found = list(Case.objects.filter(case_number=case_number)[:2])
        if not found:
            raise CommandError(f"没有案号为 {case_number} 的案件")
        if len(found) > 1:
            raise CommandError(f"案号 {case_number} 在多个机关中重复，请联系管理员")
        path = export_dossier(found[0], Path(output))
        self.stdout.write(f"已导出电子案卷：{path}（用 python -m sanxiang.dossier verify {path} 验证）")
