"""``manage.py export_draw <plan id> -o FILE.json``: write the plan's draw file, which
``python -m sanxiang.inspections verify-draw FILE.json`` checks without a database."""

from django.core.management.base import BaseCommand, CommandError

from sanxiang.inspections import draw
from sanxiang.inspections.models import Plan
from sanxiang.inspections.publishing import NotDrawn, draw_document


class Command(BaseCommand):
    help = "导出抽查计划的随机抽取结果文件（含全部输入、随机数、结果与全过程记录凭证）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("plan_id", type=int, help="抽查计划 id")
        parser.add_argument("-o", "--output", required=True, help="输出文件（JSON）")

    def handle(self, *args, **options) -> None:
        plan = Plan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"抽查计划 {options['plan_id']} 不存在")
        try:
            document = draw_document(plan)
        except NotDrawn as error:
            raise CommandError(str(error)) from error
        with open(options["output"], "w", encoding="utf-8") as stream:
            draw.dump_draw_document(document, stream)
        self.stdout.write(f"已导出：{options['output']}（承诺值 {document['commitment']}）")
