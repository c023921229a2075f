"""Factories for 双随机、一公开 tests: a target pool, an inspector pool, an item, a plan walked to
any step. Built on sanxiang.testing.World and sanxiang.cases.testing.CaseWorld."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sanxiang.cases.testing import CaseWorld, build_case_world, make_officer
from sanxiang.inspections import services
from sanxiang.inspections.models import Plan
from sanxiang.registry.models import InspectionTarget, Officer, RandomInspectionItem
from sanxiang.testing import World, make_uscc

INDUSTRIES = ("餐饮服务", "食品销售")


@dataclass
class InspectionWorld:
    cw: CaseWorld
    item: RandomInspectionItem
    targets: list[InspectionTarget]
    inspectors: list[Officer]  # the officer persona's record first, then the partner, then others

    @property
    def world(self) -> World:
        return self.cw.world

    def user(self, persona: str):
        return self.cw.user(persona)


def make_targets(agency, count: int, prefix: str = "清江") -> list[InspectionTarget]:
    levels = ("high", "medium", "low", "low")
    return [InspectionTarget.objects.create(
        agency=agency, name=f"{prefix}第{n}食品有限公司", uscc=make_uscc(), kind="enterprise",
        industry=INDUSTRIES[n % 2], address=f"清江市江滨路{n}号", risk_level=levels[n % 4])
        for n in range(1, count + 1)]


def build_inspection_world(world: World, targets: int = 24, extra_inspectors: int = 3) -> InspectionWorld:
    cw = build_case_world(world)
    extra = [make_officer(world.agency, name) for name in ("赵检查", "钱检查", "孙检查", "周检查")[:extra_inspectors]]
    item = RandomInspectionItem.objects.create(
        agency=world.agency, item=cw.item, name="食品经营者监督检查", basis="《中华人民共和国食品安全法》第一百一十条",
        target_type="食品经营者", content="经营资质、进货查验、贮存条件", method="现场检查", ratio="10.00",
        frequency="每年1次")
    return InspectionWorld(cw, item, make_targets(world.agency, targets), [cw.officer, cw.partner, *extra])


def new_plan(iw: InspectionWorld, **overrides) -> Plan:
    today = timezone.localdate()
    values = {"item": iw.item, "title": "2026年食品经营者双随机抽查",
              "strata": [{"key": "high", "percent": "50"}, {"key": "medium", "count": 2},
                         {"key": "low", "percent": "10"}],
              "period_start": today, "period_end": today + dt.timedelta(days=60),
              "target_filter": {"industry": list(INDUSTRIES)}}
    values.update(overrides)
    return services.create_plan(iw.user("unit_head"), **values)


def drawn_plan(iw: InspectionWorld, **overrides) -> Plan:
    plan = services.commit_plan(iw.user("unit_head"), new_plan(iw, **overrides))
    plan = services.fix_randomness(iw.user("supervisor"), plan, beacon="2026-11-22 上证指数收盘 3321.45")
    return services.draw_plan(iw.user("unit_head"), plan)


def add_recording(iw: InspectionWorld, task, persona: str = "officer", kind: str = "audio"):
    """An A/V record of ``task`` uploaded by ``persona`` (one of its inspectors) through the service."""
    from sanxiang.evidence import samples

    content = samples.wav() if kind == "audio" else samples.mp4() if kind == "video" else samples.photo()
    name = {"audio": "检查录音.wav", "video": "执法记录仪.mp4"}.get(kind, "现场照片.jpg")
    return services.add_recording(iw.user(persona), task, [content], original_name=name,
                                  recorded_at=timezone.now(), place=task.target.address, device="DSJ-001")
