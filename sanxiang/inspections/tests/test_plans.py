"""Plans through commit, randomness, draw and results (issue 8 §1–2, §4), on both databases."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import CaseSource
from sanxiang.cases.models import ConflictDeclaration
from sanxiang.disclosure.models import Publication
from sanxiang.inspections import draw, services
from sanxiang.inspections.choices import ExclusionReason, PlanStatus, TaskResult
from sanxiang.inspections.models import AvoidanceEntry, Plan, Task
from sanxiang.inspections.testing import add_recording, build_inspection_world, drawn_plan, new_plan
from sanxiang.ledger.checkpoints import cosign, sign_checkpoint
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import history


@pytest.fixture
def iw(world):
    return build_inspection_world(world)


def test_commit_freezes_sorted_lists_and_records_the_commitment(iw) -> None:
    plan = services.commit_plan(iw.user("unit_head"), new_plan(iw))
    assert plan.status == PlanStatus.COMMITTED
    inputs = plan.inputs
    assert inputs["targets"]["high"] == sorted(inputs["targets"]["high"]) and len(inputs["targets"]["high"]) == 6
    assert len(inputs["inspectors"]) == 5 and inputs["plan"]["inspectors_per_target"] == 2
    assert plan.commitment == draw.commitment_of(inputs)
    entry = history(plan).get(event_type=services.COMMITTED_EVENT)
    assert f'"files":["{plan.commitment}"]' in bytes(entry.body).decode()


def test_draw_creates_tasks_once(iw) -> None:
    plan = drawn_plan(iw)
    assert plan.status == PlanStatus.DRAWN and plan.seed
    tasks = list(plan.tasks.prefetch_related("inspectors"))
    # ceil(50% of 6 high) + 2 medium + ceil(10% of 12 low) = 3 + 2 + 2
    assert len(tasks) == 7
    for task in tasks:
        inspectors = list(task.inspectors.all())
        assert len(inspectors) == 2 and inspectors[0] != inspectors[1]
    expected = draw.perform_draw(plan.inputs, plan.randomness())
    assert [services.target_code(t.target_id) for t in tasks] == [code for _, code, _ in expected.assignments()]
    with pytest.raises(ServiceError, match="不能重新抽取"):
        services.draw_plan(iw.user("unit_head"), plan)
    assert plan.tasks.count() == 7
    assert Entry.objects.filter(event_type="inspections.plan.drawn", object_id=str(plan.pk)).count() == 1


def test_randomness_needs_a_cosigned_checkpoint_after_the_commitment(iw) -> None:
    head = iw.user("unit_head")
    cosign(sign_checkpoint(), iw.user("supervisor"))  # before the commitment: does not count
    plan = services.commit_plan(head, new_plan(iw))
    with pytest.raises(ServiceError, match="尚无经司法局见证签署的检查点"):
        services.fix_randomness(head, plan)
    with pytest.raises(PermissionDenied):
        services.fix_randomness(head, plan, beacon="我选的数")
    with pytest.raises(ServiceError, match="须先承诺并确定随机数"):
        services.draw_plan(head, plan)
    checkpoint = sign_checkpoint()
    cosign(checkpoint, iw.user("supervisor"))
    plan = services.fix_randomness(head, plan)
    assert (plan.checkpoint_size, plan.checkpoint_root) == (checkpoint.size, bytes(checkpoint.root).hex())
    assert plan.checkpoint_size > services.commitment_entry(plan).index
    with pytest.raises(ServiceError):
        services.fix_randomness(iw.user("supervisor"), plan, beacon="再来一次")


def test_randomness_changes_the_draw(iw) -> None:
    plan = services.commit_plan(iw.user("unit_head"), new_plan(iw))
    plan = services.fix_randomness(iw.user("supervisor"), plan)
    one = draw.perform_draw(plan.inputs, plan.randomness()).as_json()
    other = draw.perform_draw(plan.inputs, {**plan.randomness(), "beacon": "x"}).as_json()
    assert one == draw.perform_draw(plan.inputs, plan.randomness()).as_json()
    assert one != other


def test_exclusions_are_recorded_and_respected(iw) -> None:
    officer, partner = iw.inspectors[0], iw.inspectors[1]
    high = [t for t in iw.targets if t.risk_level == "high"]
    ConflictDeclaration.objects.create(officer=officer, party_name=high[0].name, party_identifier=high[0].uscc,
                                       relation="近亲属任法定代表人")
    services.declare_avoidance(iw.user("officer"), high[1], "曾在该企业任职")
    plan = drawn_plan(iw, strata=[{"key": "high", "percent": "100"}])
    reasons = {(e.target_id, e.officer_id, e.reason) for e in plan.exclusions.all()}
    assert reasons == {(high[0].pk, officer.pk, ExclusionReason.RELATIONSHIP),
                       (high[1].pk, officer.pk, ExclusionReason.DECLARED_CONFLICT)}
    assert [services.target_code(high[0].pk), officer.certificate_number, "relationship"] in plan.inputs["exclusions"]
    for task in plan.tasks.filter(target__in=high[:2]):
        assert officer not in task.inspectors.all()
    assert AvoidanceEntry.objects.count() == 1
    # The next plan excludes, for each drawn target, the inspectors who inspected it in this one.
    second = services.commit_plan(iw.user("unit_head"), new_plan(iw, strata=[{"key": "high", "percent": "100"}]))
    recent = {(e.target_id, e.officer_id) for e in second.exclusions.filter(reason=ExclusionReason.RECENT_INSPECTION)}
    assert recent == {(t.target_id, o.pk) for t in plan.tasks.all() for o in t.inspectors.all()}
    assert partner.pk in {o for _, o in recent}


def test_results_open_a_case_and_go_to_publication(iw) -> None:
    plan = drawn_plan(iw)
    officer = iw.inspectors[0]
    task = plan.tasks.filter(inspectors=officer).first()
    assert task is not None, "the officer persona gets at least one of 7 tasks among 5 inspectors"
    with pytest.raises(ServiceError, match="须填写结果说明"):
        services.record_result(iw.user("officer"), task, result=TaskResult.CASE_OPENED)
    note = "冷藏柜内发现超过保质期的牛奶 12 盒。"
    with pytest.raises(ServiceError, match="须进行音像记录"):  # 音像记录事项清单: 随机抽查
        services.record_result(iw.user("officer"), task, result=TaskResult.CASE_OPENED, note=note)
    photo = add_recording(iw, task, kind="photo")
    with pytest.raises(ServiceError, match="须进行音像记录"):  # a photo is not an audio-visual record
        services.record_result(iw.user("officer"), task, result=TaskResult.CASE_OPENED, note=note)
    video = add_recording(iw, task, kind="video")
    task = services.record_result(iw.user("officer"), task, result=TaskResult.CASE_OPENED,
                                  note=note, legal_representative="赵大海")
    result = Entry.objects.filter(event_type="inspections.task.result").latest("index").detail
    assert sorted(result["changes"]["recordings"]) == sorted([photo.sha256, video.sha256]), result
    assert task.recording_missing_reason == ""
    with pytest.raises(ServiceError, match="已经登记"):
        add_recording(iw, task)
    assert task.case is not None and task.case.source == CaseSource.RANDOM_INSPECTION
    assert task.case.parties.get().name == task.target.name
    assert officer in [h.officer for h in task.case.handlers.all()]
    assert task.publication is not None
    assert Publication.objects.get(pk=task.publication_id).source == f"inspection_task:{task.pk}"
    with pytest.raises(ServiceError, match="已经登记"):
        services.record_result(iw.user("officer"), task, result=TaskResult.NO_PROBLEM)


def test_only_the_tasks_inspectors_record_results(iw, world) -> None:
    plan = drawn_plan(iw)
    officer = iw.inspectors[0]
    other_task = plan.tasks.exclude(inspectors=officer).first()
    with pytest.raises(PermissionDenied):
        services.record_result(iw.user("officer"), other_task, result=TaskResult.NO_PROBLEM)
    with pytest.raises(Http404):
        services.record_result(world.personas["other_officer"], other_task, result=TaskResult.NO_PROBLEM)


def test_roles_and_agencies(iw, world) -> None:
    with pytest.raises(PermissionDenied):
        services.create_plan(world.personas["officer"], item=iw.item, title="x", strata=[{"key": "high", "count": 1}],
                             period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 2, 1))
    plan = new_plan(iw)
    with pytest.raises(Http404):
        services.commit_plan(world.personas["far_admin"], plan)
    with pytest.raises(PermissionDenied):
        services.commit_plan(world.personas["admin"], plan)
    with pytest.raises(ServiceError, match="不得少于 2 人"):
        new_plan(iw, inspectors_per_target=1)
    assert Plan.objects.count() == 1


def test_joint_plan_draws_from_both_agencies_and_the_ledger_verifies(iw, world) -> None:
    from sanxiang.cases.testing import make_officer
    from sanxiang.inspections.testing import make_targets
    from sanxiang.ledger.services import default_log
    from sanxiang.ledger.verify import verify_log

    partner_officer = make_officer(world.other_agency, "吴联合", world.personas["other_officer"])
    make_officer(world.other_agency, "郑联合")
    theirs = make_targets(world.other_agency, 4, prefix="东区")
    plan = drawn_plan(iw, joint_agencies=[world.other_agency], strata=[{"key": "high", "percent": "100"}],
                      inspectors_per_target=3)
    assert partner_officer.certificate_number in plan.inputs["inspectors"]
    assert services.target_code(theirs[3].pk) in plan.inputs["targets"]["high"]  # the 4th is high risk
    assert all(t.inspectors.count() == 3 for t in plan.tasks.all())
    # A joint agency's inspector sees and records their own task, though the plan is not theirs.
    # 7 targets × 3 = 21 places over 7 inspectors: the work is spread evenly, 3 each.
    assert sorted(draw.perform_draw(plan.inputs, plan.randomness()).loads().values()) == [3] * 7
    task = plan.tasks.filter(inspectors=partner_officer).first()
    done = services.record_result(world.personas["other_officer"], task, result=TaskResult.NO_PROBLEM,
                                  recording_missing_reason="执法记录仪电量耗尽，未能录像")
    assert done.result == TaskResult.NO_PROBLEM and done.recording_missing_reason == "执法记录仪电量耗尽，未能录像"
    result = Entry.objects.filter(event_type="inspections.task.result").latest("index").detail
    assert result["changes"]["recording_missing_reason"] == "执法记录仪电量耗尽，未能录像"
    report = verify_log(default_log())
    assert report.ok, report.problems


def test_recent_inspection_counts_from_the_inspection_not_the_draw(iw) -> None:
    """回避 period: a result recorded within ``conflict_days`` excludes the inspectors; one recorded
    before it does not, however recently the plan was drawn; an open task always does."""
    plan = drawn_plan(iw, strata=[{"key": "high", "percent": "100"}])
    tasks = list(plan.tasks.order_by("sequence"))
    today = timezone.localdate()
    old, fresh, open_task = tasks[0], tasks[1], tasks[2]
    Task.objects.filter(pk=old.pk).update(result=TaskResult.NO_PROBLEM, recorded_on=today - dt.timedelta(days=400))
    Task.objects.filter(pk=fresh.pk).update(result=TaskResult.NO_PROBLEM, recorded_on=today - dt.timedelta(days=10))
    Task.objects.filter(plan=plan).exclude(pk__in=[old.pk, fresh.pk, open_task.pk]).update(
        result=TaskResult.NO_PROBLEM, recorded_on=today - dt.timedelta(days=366))
    second = services.commit_plan(iw.user("unit_head"), new_plan(iw, strata=[{"key": "high", "percent": "100"}]))
    recent = {(e.target_id, e.officer_id): e.detail
              for e in second.exclusions.filter(reason=ExclusionReason.RECENT_INSPECTION)}
    expected = {(t.target_id, o.pk) for t in (fresh, open_task) for o in t.inspectors.all()}
    assert set(recent) == expected
    assert all(f"{today - dt.timedelta(days=10):%Y-%m-%d}" in recent[(fresh.target_id, o.pk)]
               for o in fresh.inspectors.all())
    assert all("尚未登记结果" in recent[(open_task.target_id, o.pk)] for o in open_task.inspectors.all())
