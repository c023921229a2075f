"""/api/v1/inspections/: the plan's steps, the draw file, tasks and results; persona matrix of the
operations on one plan (issue 8 §6)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sanxiang.evidence import samples
from sanxiang.inspections import draw
from sanxiang.inspections.choices import TaskResult
from sanxiang.inspections.testing import build_inspection_world, new_plan
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import PERSONAS

API = "/api/v1/inspections"
GET_PLAN = {**{p: 200 for p in PERSONAS}, "anonymous": 401, "other_officer": 404, "other_admin": 404,
            "far_admin": 404}
COMMIT = {**GET_PLAN, "officer": 403, "reviewer": 403, "publisher": 403, "admin": 403, "supervisor": 403}


@pytest.fixture
def iw(world):
    return build_inspection_world(world, targets=12)


def _client(persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        assert client.login(username=persona, password=PASSWORD)
    return client


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_persona_matrix(iw) -> None:
    failures = []
    for persona in PERSONAS:
        plan = new_plan(iw)
        client = _client(persona)
        got = (client.get(f"{API}/plans/{plan.pk}").status_code,
               _post(client, f"{API}/plans/{plan.pk}/commit").status_code)
        if got != (GET_PLAN[persona], COMMIT[persona]):
            failures.append(f"{persona}: {got}")
    assert not failures, failures


def test_walk_through_the_api(iw) -> None:
    head = _client("unit_head")
    response = _post(head, f"{API}/plans", {
        "item_id": iw.item.pk, "title": "接口制定的计划", "strata": [{"key": "high", "percent": "100"}],
        "period_start": "2026-11-23", "period_end": "2026-12-31"})
    assert response.status_code == 201, response.content
    plan_id = response.json()["id"]
    assert _post(head, f"{API}/plans/{plan_id}/draw").status_code == 422
    assert _post(head, f"{API}/plans/{plan_id}/commit").json()["status"] == "committed"
    refused = _post(head, f"{API}/plans/{plan_id}/randomness", {"beacon": "自己选"})
    assert refused.status_code == 403
    fixed = _post(_client("supervisor"), f"{API}/plans/{plan_id}/randomness", {"beacon": "20261122"}).json()
    assert fixed["beacon"] == "20261122" and len(fixed["checkpoint_root"]) == 64
    drawn = _post(head, f"{API}/plans/{plan_id}/draw").json()
    assert drawn["status"] == "drawn" and drawn["tasks"] == 3
    again = _post(head, f"{API}/plans/{plan_id}/draw")
    assert again.status_code == 422 and "不能重新抽取" in again.json()["detail"]
    document = head.get(f"{API}/plans/{plan_id}/draw-file").json()
    assert draw.verify_draw_document(document) == []
    officer = _client("officer")
    mine = officer.get(f"{API}/tasks?mine=true").json()["items"]
    others = [t for t in head.get(f"{API}/tasks?plan_id={plan_id}").json()["items"]
              if iw.inspectors[0].certificate_number not in t["inspectors"]]
    if mine:
        url = f"{API}/tasks/{mine[0]['id']}"
        refused = _post(officer, f"{url}/result", {"result": TaskResult.NO_PROBLEM})
        assert refused.status_code == 422 and "音像记录" in refused.json()["detail"]
        uploaded = officer.post(f"{url}/recordings", {"file": SimpleUploadedFile("a.wav", samples.wav()),
                                                      "recorded_at": "2026-11-24T10:30:00+08:00", "place": "店内"})
        assert uploaded.status_code == 201 and uploaded.json()["media_kind"] == "audio", uploaded.content
        done = _post(officer, f"{url}/result", {"result": TaskResult.NO_PROBLEM})
        assert done.status_code == 200 and done.json()["result"] == "no_problem"
        assert [r["sha256"] for r in done.json()["recordings"]] == [uploaded.json()["sha256"]]
        bad = officer.post(f"{url}/recordings", {"file": SimpleUploadedFile("a.wav", samples.wav()),
                                                 "recorded_at": "2026-11-24T10:30:00+08:00", "place": "店内"})
        assert bad.status_code == 422 and "已经登记" in bad.json()["detail"]
    if others:
        assert _post(officer, f"{API}/tasks/{others[0]['id']}/result", {"result": "no_problem"}).status_code == 403
        upload = {"file": SimpleUploadedFile("a.wav", samples.wav()), "recorded_at": "2026-11-24T10:30:00+08:00",
                  "place": "店内"}
        assert officer.post(f"{API}/tasks/{others[0]['id']}/recordings", upload).status_code == 403
    assert mine or others
