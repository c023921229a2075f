"""``manage.py verify_evidence``: rehash every stored evidence file against the ledger, keep S3
objects locked for their rows' periods, and clear away what killed uploads left behind."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sanxiang.evidence import sweep
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.storage import default_store, store_named
from sanxiang.evidence.verify import OTHER_CHECKS, verify_all


class Command(BaseCommand):
    help = ("重新计算每个证据文件的哈希，与全过程记录核对；报告缺失或被改动的文件（有问题时退出码为1）。"
            "同时清理中断上传留下的过期临时文件（不是证据），并报告没有证据记录引用的已存文件")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--temp-hours", type=float, default=sweep.DEFAULT_HOURS,
                            help=f"清理多少小时未写入的临时上传文件（默认 {sweep.DEFAULT_HOURS}）")
        parser.add_argument("--keep-temp", action="store_true", help="只报告过期临时文件，不删除")

    def handle(self, *args: object, temp_hours: float, keep_temp: bool, **options: object) -> None:
        self._sweep(temp_hours, keep_temp)
        total = Evidence.objects.count()
        notes: list[str] = []
        with tqdm(total=total, desc="核验证据", unit="件", disable=total == 0) as bar:
            problems = verify_all(on_item=lambda: bar.update(1), notes=notes)
        problems = [str(p) for p in problems]
        for check in OTHER_CHECKS:
            problems += check()
        for note in notes:
            self.stdout.write(note)
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} 处问题（共核验 {total} 件证据）")
        self.stdout.write(f"证据文件完好：共 {total} 件，全部与全过程记录一致")

    def _sweep(self, hours: float, keep: bool) -> None:
        tmp_dir = default_store().tmp_dir
        stale = sweep.stale_temp_files(tmp_dir, hours) if keep else sweep.remove_stale_temp_files(tmp_dir, hours)
        for path in stale:
            self.stdout.write(f"{'过期临时上传文件' if keep else '已清理过期临时上传文件'}：{path.name}")
        for key in sweep.unreferenced_files(store_named("local")):
            self.stdout.write(f"文件库中有未被任何证据记录引用的文件（上传在写入记录前中断；同一内容再次上传时将被采用）：{key}")
