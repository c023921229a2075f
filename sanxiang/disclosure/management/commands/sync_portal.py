"""Rebuild the portal's registry read models (事前公开) from the registries and service guides.

Saves keep them current on their own; run this after a restore, a bulk SQL change or to check."""

from django.core.management.base import BaseCommand
from django.db import transaction

from sanxiang.disclosure.sync import sync_all

LABELS = {"agencies": "执法主体", "officers": "执法人员", "items": "执法事项", "inspection_items": "随机抽查事项",
          "benchmarks": "裁量基准", "guides": "服务指南"}


class Command(BaseCommand):
    help = "重建行政执法公示门户的事前公开数据（执法主体、人员、事项、抽查事项、裁量基准、服务指南）。"

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            counts = sync_all()
        for key, count in counts.items():
            self.stdout.write(f"{LABELS[key]}：{count} 条")
