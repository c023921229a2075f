"""Pages of 双随机抽查: persona matrix of the plan, action and task pages; the public draw page and
its server-side verification (issue 8 §4, §6)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanxiang.evidence import samples
from sanxiang.inspections.choices import PlanStatus, TaskResult
from sanxiang.inspections.models import Plan
from sanxiang.inspections.testing import add_recording, build_inspection_world, drawn_plan, new_plan
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import PERSONAS

# own agency's plan: who gets what (anonymous → login page)
DETAIL = {"anonymous": 302, "officer": 200, "unit_head": 200, "reviewer": 200, "agency_head": 200,
          "publisher": 200, "admin": 200, "supervisor": 200, "other_officer": 404, "other_admin": 404,
          "far_admin": 404}
CREATE = {**{p: 403 for p in PERSONAS}, "anonymous": 302, "unit_head": 200, "agency_head": 200}
COMMIT = {**{p: 403 for p in PERSONAS}, "anonymous": 302, "unit_head": 302, "agency_head": 302,
          "other_officer": 404, "other_admin": 404, "far_admin": 404}
# a task's recordings: everyone who sees the task views them (each view ledgered); only the task's
# inspectors upload (the officer persona is one of this task's inspectors)
RECORDING_VIEW = DETAIL
RECORDING_UPLOAD = {**{p: 403 for p in PERSONAS}, "anonymous": 302, "officer": 302, "other_officer": 404,
                    "other_admin": 404, "far_admin": 404}


@pytest.fixture
def iw(world):
    return build_inspection_world(world, targets=12)


def _client(client, persona: str):
    client.logout()
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    return client


def test_persona_matrix_of_plan_pages(iw, client) -> None:
    plan = new_plan(iw)
    failures = []
    for persona in PERSONAS:
        c = _client(client, persona)
        got = (c.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code,
               c.get(reverse("inspections:plan_create")).status_code)
        if got != (DETAIL[persona], CREATE[persona]):
            failures.append(f"{persona}: {got}")
    assert not failures, failures


def test_persona_matrix_of_commit(iw, client) -> None:
    failures = []
    for persona in PERSONAS:
        plan = new_plan(iw)
        response = _client(client, persona).post(reverse("inspections:plan_act", args=[plan.pk, "commit"]))
        plan.refresh_from_db()
        committed = plan.status == PlanStatus.COMMITTED
        if response.status_code != COMMIT[persona] or committed != (persona in {"unit_head", "agency_head"}):
            failures.append(f"{persona}: {response.status_code} committed={committed}")
    assert not failures, failures


def test_walk_create_commit_randomness_draw_result(iw, client) -> None:
    c = _client(client, "unit_head")
    response = c.post(reverse("inspections:plan_create"), {
        "item": iw.item.pk, "title": "页面制定的计划", "high": "100", "medium": "1个", "low": "",
        "inspectors_per_target": 2, "conflict_days": 365, "period_start": "2026-11-23", "period_end": "2026-12-31"})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(title="页面制定的计划")
    assert plan.strata == [{"key": "high", "label": "高风险", "percent": "100"},
                           {"key": "medium", "label": "中风险", "count": 1}]
    c.post(reverse("inspections:plan_act", args=[plan.pk, "commit"]))
    page = c.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "确定随机数" not in page  # no cosigned checkpoint after the commitment yet
    c = _client(client, "supervisor")
    page = c.get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "公共信标值" in page
    c.post(reverse("inspections:plan_act", args=[plan.pk, "randomness"]), {"beacon": "20261122"})
    c = _client(client, "unit_head")
    c.post(reverse("inspections:plan_act", args=[plan.pk, "draw"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAWN and plan.beacon == "20261122" and plan.tasks.count() == 4
    response = c.post(reverse("inspections:plan_act", args=[plan.pk, "draw"]), follow=True)
    assert "不能重新抽取" in response.content.decode()
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).first() or plan.tasks.first()
    mine = task.inspectors.filter(pk=iw.inspectors[0].pk).exists()
    c = _client(client, "officer")
    assert task.pk in [t.pk for t in c.get(reverse("inspections:task_list")).context["tasks"]] or not mine
    if mine:  # the result waits for the A/V record the 音像记录事项清单 asks of 随机抽查
        refused = c.post(reverse("inspections:task_detail", args=[task.pk]), {"result": TaskResult.NO_PROBLEM})
        assert refused.status_code == 200 and "须进行音像记录" in refused.content.decode()
        upload = SimpleUploadedFile("检查录音.wav", samples.wav(), content_type="audio/wav")
        response = c.post(reverse("inspections:recording_upload", args=[task.pk]),
                          {"file": upload, "recorded_at": "2026-11-24T10:30", "place": "店内", "device": "DSJ-7"})
        assert response.status_code == 302
        recording = task.recordings.get()
        page = c.get(reverse("inspections:task_detail", args=[task.pk])).content.decode()
        assert "检查录音.wav" in page and "已记录" in page
        assert c.get(reverse("inspections:recording_file", args=[task.pk, recording.pk])).status_code == 200
    response = c.post(reverse("inspections:task_detail", args=[task.pk]), {"result": TaskResult.NO_PROBLEM})
    task.refresh_from_db()
    assert (response.status_code, task.result) == ((302, TaskResult.NO_PROBLEM) if mine else (403, ""))
    assert _client(client, "other_officer").get(reverse("inspections:task_detail", args=[task.pk])).status_code == 404


def test_public_draw_page_verifies_and_detects_tampering(iw, client) -> None:
    plan = drawn_plan(iw)
    assert client.get(reverse("public_draws:list")).status_code == 200
    page = client.get(reverse("public_draws:detail", args=[plan.pk])).content.decode()
    assert "<strong>一致</strong>" in page and plan.commitment in page
    first = plan.result["strata"][0]
    assert "、".join(first["inspectors"][0]) in page  # in the order they were drawn
    document = json.loads(client.get(reverse("public_draws:file", args=[plan.pk])).content)
    assert document["seed"] == plan.seed
    # Someone with database access swaps an inspector after the fact: the page says so.
    inputs = plan.inputs
    inputs["inspectors"] = sorted([*inputs["inspectors"][1:], "ZZZ-新人"])
    Plan.objects.filter(pk=plan.pk).update(inputs=inputs)
    page = client.get(reverse("public_draws:detail", args=[plan.pk])).content.decode()
    assert "<strong>不一致</strong>" in page and "承诺值不符" in page


def test_public_pages_hide_undrawn_plans(iw, client) -> None:
    plan = new_plan(iw)
    assert client.get(reverse("public_draws:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("public_draws:file", args=[plan.pk])).status_code == 404
    assert client.get(reverse("public_draws:results")).status_code == 200


def test_published_results_appear_on_the_portal(iw, client) -> None:
    from sanxiang.disclosure.services import publish
    from sanxiang.inspections import services

    plan = drawn_plan(iw)
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).first()
    add_recording(iw, task)
    task = services.record_result(iw.user("officer"), task, result=TaskResult.CORRECTED, note="责令改正贮存条件。")
    assert client.get(reverse("public_draws:results")).content.decode().count(task.target.name) == 0
    publish(iw.user("publisher"), task.publication_id)
    page = client.get(reverse("public_draws:results")).content.decode()
    assert task.target.name in page and "发现问题已责令改正" in page


def test_plan_page_lists_exclusions_and_tasks(iw, client) -> None:
    from sanxiang.inspections import services

    high = next(t for t in iw.targets if t.risk_level == "high")
    services.declare_avoidance(iw.user("officer"), high, "配偶在该企业任职")
    plan = drawn_plan(iw, strata=[{"key": "high", "percent": "100"}])
    page = _client(client, "supervisor").get(reverse("inspections:plan_detail", args=[plan.pk])).content.decode()
    assert "回避记录（1）" in page and "配偶在该企业任职" in page
    assert f"检查任务（{plan.tasks.count()}）" in page and plan.seed in page


def test_persona_matrix_of_task_recordings(iw, client) -> None:
    from sanxiang.inspections.models import TaskRecording
    from sanxiang.ledger.models import Entry

    plan = drawn_plan(iw)
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).first()
    recording = add_recording(iw, task)
    added = Entry.objects.get(event_type="inspections.task.recording_added")
    assert recording.sha256 in added.body.decode()  # the file's hash is in the ledgered entry
    failures = []
    for persona in PERSONAS:
        c = _client(client, persona)
        before = TaskRecording.objects.count()
        viewed = c.get(reverse("inspections:recording_file", args=[task.pk, recording.pk])).status_code
        upload = SimpleUploadedFile("补充录音.wav", samples.wav(seconds=0.5), content_type="audio/wav")
        uploaded = c.post(reverse("inspections:recording_upload", args=[task.pk]),
                          {"file": upload, "recorded_at": "2026-11-24T10:30", "place": "店内"}).status_code
        created = TaskRecording.objects.count() - before
        if (viewed, uploaded, created) != (RECORDING_VIEW[persona], RECORDING_UPLOAD[persona],
                                           1 if persona == "officer" else 0):
            failures.append(f"{persona}: view {viewed} upload {uploaded} created {created}")
    assert not failures, failures
    views = Entry.objects.filter(event_type="inspections.task.recording_viewed").count()
    assert views == sum(1 for p in PERSONAS if RECORDING_VIEW[p] == 200)


def test_a_refused_recording_leaves_nothing(iw, client) -> None:
    from sanxiang.evidence.storage import default_store
    from sanxiang.inspections.models import TaskRecording
    from sanxiang.ledger.models import Entry

    plan = drawn_plan(iw)
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).first()
    files_before = sorted(p.name for p in default_store().root.glob("??/??/*"))
    c = _client(client, "officer")
    pdf = SimpleUploadedFile("检查记录.pdf", samples.pdf(), content_type="application/pdf")
    response = c.post(reverse("inspections:recording_upload", args=[task.pk]),
                      {"file": pdf, "recorded_at": "2026-11-24T10:30", "place": "店内"}, follow=True)
    assert "须为录音、录像或照片" in response.content.decode()
    assert not TaskRecording.objects.exists() and not Entry.objects.filter(event_type__startswith="inspections.task.rec")
    assert sorted(p.name for p in default_store().root.glob("??/??/*")) == files_before


def test_task_recordings_are_not_orphans_for_the_evidence_sweep(iw) -> None:
    from sanxiang.evidence.storage import default_store
    from sanxiang.evidence.sweep import unreferenced_files

    plan = drawn_plan(iw)
    recording = add_recording(iw, plan.tasks.filter(inspectors=iw.inspectors[0]).first())
    assert default_store().path(recording.sha256).is_file()
    assert recording.sha256 not in unreferenced_files(default_store())


def test_case_opened_from_a_task_links_back_to_its_recordings(iw, client) -> None:
    from sanxiang.inspections import services

    plan = drawn_plan(iw)
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).first()
    add_recording(iw, task, kind="video")
    task = services.record_result(iw.user("officer"), task, result=TaskResult.CASE_OPENED,
                                  note="发现超过保质期的食品。", legal_representative="赵大海")
    page = _client(client, "officer").get(reverse("cases:detail", args=[task.case_id])).content.decode()
    assert reverse("inspections:task_detail", args=[task.pk]) in page and "含现场音像记录" in page


def test_verify_evidence_rehashes_task_recordings(iw, capsys) -> None:
    """A recording changed, removed or repointed behind the platform's back is reported."""
    import os

    from django.core.management import CommandError, call_command

    from sanxiang.evidence.storage import default_store
    from sanxiang.inspections.models import TaskRecording

    plan = drawn_plan(iw)
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).first()
    video, sound, photo = (add_recording(iw, task, kind=k) for k in ("video", "audio", "photo"))
    call_command("verify_evidence")
    assert "全部与全过程记录一致" in capsys.readouterr().out
    path = default_store().path(video.sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    os.chmod(default_store().path(sound.sha256), 0o644)
    default_store().path(sound.sha256).unlink()
    TaskRecording.objects.filter(pk=photo.pk).delete()
    with pytest.raises(CommandError, match="3 处问题"):
        call_command("verify_evidence")
    err = capsys.readouterr().err
    assert f"检查音像记录 #{video.pk}" in err and "文件内容已被改动" in err
    assert f"检查音像记录 #{sound.pk}" in err and "文件缺失" in err
    assert f"检查音像记录 #{photo.pk} 的记录已不存在" in err
