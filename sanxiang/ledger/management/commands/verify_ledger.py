"""``manage.py verify_ledger``: check the whole ledger; exit status 1 on any problem."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sanxiang.ledger.models import Log
from sanxiang.ledger.verify import verify_log


class Command(BaseCommand):
    help = "重算全过程记录的默克尔树，核对每个条目、子树哈希、检查点及业务数据快照。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, no_progress: bool = False, **options) -> None:
        failed = False
        for log in Log.objects.order_by("pk"):
            failed |= not self._verify(log, no_progress)
        if failed:
            raise CommandError("全过程记录验证未通过")

    def _verify(self, log: Log, no_progress: bool) -> bool:
        bar = tqdm(total=log.size, unit="条", desc=log.name, disable=no_progress, file=self.stderr)
        report = verify_log(log, progress=lambda done: bar.update(done - bar.n))
        bar.close()
        summary = (f"{log.name}：{report.entries} 条，子树哈希 {report.subtrees} 个，检查点 {report.checkpoints} 个，"
                   f"业务对象 {report.objects} 个；根哈希 {report.root.hex()}")
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"验证通过 — {summary}"))
            return True
        self.stdout.write(self.style.ERROR(f"验证失败 — {summary}"))
        self.stdout.write(f"首个问题：{report.problems[0]}")
        for problem in report.problems[1:50]:
            self.stdout.write(f"  {problem}")
        if len(report.problems) > 50:
            self.stdout.write(f"  ……另有 {len(report.problems) - 50} 个问题")
        return False
