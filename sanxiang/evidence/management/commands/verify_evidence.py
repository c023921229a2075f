"""``manage.py verify_evidence``: rehash every stored evidence file against the ledger."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sanxiang.evidence.models import Evidence
from sanxiang.evidence.verify import verify_all


class Command(BaseCommand):
    help = "重新计算每个证据文件的哈希，与全过程记录核对；报告缺失或被改动的文件（有问题时退出码为1）"

    def handle(self, *args: object, **options: object) -> None:
        total = Evidence.objects.count()
        with tqdm(total=total, desc="核验证据", unit="件", disable=total == 0) as bar:
            problems = verify_all(on_item=lambda: bar.update(1))
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} 处问题（共核验 {total} 件证据）")
        self.stdout.write(f"证据文件完好：共 {total} 件，全部与全过程记录一致")
