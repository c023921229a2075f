"""Demo 双随机抽查: one drawn 跨部门联合抽查 plan led by the 市场监督管理局 with the 江北区文化和旅游局
over the entertainment venues of the target pool, its tasks, three results recorded by inspectors
who have a login (with their 执法记录仪 recordings, or the reason there is none), and the results published by the publisher. Everything goes through the services.
Idempotent: the plan is found by its title. (The demo cases stay as sanxiang.cases.demo makes them:
no 转立案 here; and the market regulator's own targets stay unreferenced, free to edit.)

Runs just before the demo's checkpoint step: fixing the randomness makes the 司法局 sign and cosign
a checkpoint after the commitment (that step then finds it and adds no second cosignature); a last
platform checkpoint covers the whole demo ledger."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.accounts.models import Agency, User
from sanxiang.disclosure.choices import PublicationStatus
from sanxiang.evidence import samples
from sanxiang.inspections import services
from sanxiang.inspections.choices import TaskResult
from sanxiang.inspections.models import Plan
from sanxiang.ledger.checkpoints import sign_checkpoint
from sanxiang.registry.models import RandomInspectionItem

TITLE = "2026年度娱乐场所跨部门联合“双随机、一公开”监督检查"
INDUSTRIES = ["歌舞娱乐场所", "游艺娱乐场所", "演出场所"]
RESULTS = [(TaskResult.NO_PROBLEM, ""),
           (TaskResult.CORRECTED, "酒水饮料进货查验记录不全，已当场责令改正，三日后复查已整改。"),
           (TaskResult.NOT_FOUND, "登记住所已搬离，现场未找到检查对象，已联系登记机关核实。")]


def seed_inspections(step: object, agencies: dict[str, Agency], today: dt.date) -> None:
    agency, partner = agencies.get("scjg"), agencies.get("jbwl")
    users = {u.username: u for u in User.objects.filter(agency=agency, username__in=(
        "unit_head", "publisher", "officer"))}
    users.update({u.username: u for u in User.objects.filter(username__in=("supervisor", "jb_officer"))})
    items = RandomInspectionItem.objects.filter(agency=agency).order_by("id")
    item = items.filter(name="餐饮服务提供者监督检查").first() or items.first()  # KTV 的餐饮与酒水
    if agency is None or partner is None or item is None or not {"unit_head", "supervisor"} <= users.keys():
        return
    if Plan.objects.filter(agency=agency, title=TITLE).exists():
        step.existing += 1  # type: ignore[attr-defined]
        return
    head = users["unit_head"]
    plan = services.create_plan(
        head, item=item, title=TITLE, period_start=today, period_end=today + dt.timedelta(days=90),
        joint_agencies=[partner], target_filter={"industry": INDUSTRIES},
        strata=[{"key": "high", "percent": "20"}, {"key": "medium", "count": 4}, {"key": "low", "count": 4}])
    plan = services.commit_plan(head, plan)
    plan = services.fix_randomness(users["supervisor"], plan, beacon=f"{today.isoformat()} 清江日报头版期号 第8123期")
    plan = services.draw_plan(head, plan)
    _record_results(plan, users)
    sign_checkpoint()  # the newest checkpoint covers everything the demo recorded
    step.created += 1  # type: ignore[attr-defined]


def _record_results(plan: Plan, users: dict[str, User]) -> None:
    from sanxiang.disclosure.services import publish

    recorders = [users[name] for name in ("officer", "unit_head", "jb_officer")
                 if name in users and hasattr(users[name], "officer")]
    done = 0
    for task in plan.tasks.order_by("sequence"):
        user = next((u for u in recorders if task.inspectors.filter(pk=u.officer.pk).exists()), None)
        if user is None or done >= len(RESULTS):
            continue
        result, note = RESULTS[done]
        if result == TaskResult.NOT_FOUND:  # nobody to record on site: the inspector says so
            task = services.record_result(user, task, result=result, note=note,
                                          recording_missing_reason="检查对象已搬离，现场无检查活动可记录；已拍摄原址照片。")
        else:
            services.add_recording(user, task, [samples.mp4(seconds=30)], original_name=f"执法记录仪-{task.sequence}.mp4",
                                   recorded_at=timezone.now(), place=task.target.address or task.target.name,
                                   device="执法记录仪 DSJ-QJ-012")
            task = services.record_result(user, task, result=result, note=note)
        done += 1
        publisher = users.get("publisher")
        if publisher and task.publication and task.publication.status == PublicationStatus.DRAFT:
            publish(publisher, task.publication.pk)
