"""``manage.py recompute_deadlines``: recompute the stored next deadline of every open case.

Entering a holiday schedule or changing a rule does this by itself; the command is for repairs
(e.g. after restoring a backup or upgrading the calendar package) and prints how many changed.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from sanxiang.cases.choices import OPEN_STATES
from sanxiang.cases.models import Case
from sanxiang.cases.services.settings import recompute_all


class Command(BaseCommand):
    help = "重新计算所有在办案件的下一期限（节假日安排或办案规则变化后），并显示有多少件发生变化。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args, **options) -> None:
        total = Case.objects.filter(state__in=OPEN_STATES).count()
        with tqdm(total=total, unit="件", desc="重新计算期限", disable=options["quiet"], file=self.stderr) as bar:
            changed = recompute_all(lambda: bar.update(1))
        self.stdout.write(f"共{total}件在办案件，下一期限发生变化的{changed}件。")
