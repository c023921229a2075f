"""Resumable uploads through the API: chunks at the server's offset, resume after a dropped
connection, the file ingested only when complete; and the persona × own/foreign matrix."""

import json

import pytest
from django.test import Client

from sanxiang.accounts import tokens
from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import samples as media
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.storage import default_store
from sanxiang.ledger.models import Entry

API = "/api/v1/evidence"


def bearer(user) -> dict[str, str]:
    key, _ = tokens.issue_token(user, "测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def start(client, cw, case, size: int, persona: str = "officer"):
    body = {"case_id": case.pk, "original_name": "执法记录仪.mp4", "size": size, "category": "audio_visual",
            "proves": "现场检查全过程", "recorded_at": "2026-11-20T09:00:00+08:00", "place": "当事人经营场所",
            "recorder_id": cw.officer.pk, "device": "执法记录仪 ZF-100"}
    return client.post(f"{API}/uploads", json.dumps(body), content_type="application/json", **bearer(cw.user(persona)))


def put(client, cw, upload_id, offset: int, data: bytes, persona: str = "officer"):
    return client.put(f"{API}/uploads/{upload_id}?offset={offset}", data, content_type="application/octet-stream",
                      **bearer(cw.user(persona)))


def test_chunked_upload_resumes_after_a_dropped_connection(client: Client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    data = media.mp4(30) + b"\x00" * 50_000
    existing = Evidence.objects.count()  # walk_to's own recordings
    started = start(client, cw, case, len(data))
    assert started.status_code == 201, started.content
    upload = started.json()["id"]
    assert put(client, cw, upload, 0, data[:20_000]).json()["received"] == 20_000
    evidence_entries = Entry.objects.filter(event_type__startswith="evidence.")
    before = evidence_entries.count()
    # the connection dropped during the second chunk: the client asks where to resume
    status = client.get(f"{API}/uploads/{upload}", **bearer(cw.user("officer"))).json()
    assert status["received"] == 20_000 and status["status"] == "open"
    wrong = put(client, cw, upload, 30_000, data[30_000:40_000])
    assert wrong.status_code == 409 and wrong.json()["received"] == 20_000 and "续传" in wrong.json()["detail"]
    assert Evidence.objects.count() == existing and evidence_entries.count() == before  # nothing before the end
    done = put(client, cw, upload, 20_000, data[20_000:])
    assert done.status_code == 200 and done.json()["status"] == "complete"
    evidence = Evidence.objects.get(pk=done.json()["evidence_id"])
    assert default_store().path(evidence.sha256).read_bytes() == data
    assert evidence.metadata["duration"] == 30 and evidence.size == len(data)
    listed = client.get(f"{API}/cases/{case.pk}", **bearer(cw.user("unit_head"))).json()
    assert [e["sha256"] for e in listed][-1] == evidence.sha256 and len(listed) == existing + 1
    assert not list(default_store().tmp_dir.iterdir())  # no part file left


def test_a_complete_upload_of_a_bad_file_fails_and_leaves_nothing(client: Client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    data = b"not a video " * 100
    existing = Evidence.objects.count()
    upload = start(client, cw, case, len(data)).json()["id"]
    refused = put(client, cw, upload, 0, data)
    assert refused.status_code == 422 and "无法识别的文件类型" in json.dumps(refused.json(), ensure_ascii=False)
    status = client.get(f"{API}/uploads/{upload}", **bearer(cw.user("officer"))).json()
    assert status["status"] == "failed" and "无法识别" in status["error"]
    assert Evidence.objects.count() == existing and not list(default_store().tmp_dir.iterdir())


def test_more_bytes_than_declared_are_refused(client: Client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    upload = start(client, cw, case, 100).json()["id"]
    response = put(client, cw, upload, 0, b"\x00" * 101)
    assert response.status_code == 422 and "超过声明的文件大小" in response.json()["detail"]


@pytest.mark.parametrize(("persona", "expected"), [
    ("officer", 201), ("unit_head", 201), ("agency_head", 201), ("reviewer", 403), ("publisher", 403),
    ("admin", 403), ("supervisor", 403), ("other_officer", 404)])
def test_who_may_start_an_upload(client: Client, cw, persona, expected) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    response = start(client, cw, case, 1000, persona)
    assert response.status_code == expected, response.content


def test_only_the_uploader_may_continue_and_foreign_cases_stay_hidden(client: Client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    upload = start(client, cw, case, 1000).json()["id"]
    for persona in ("unit_head", "other_officer"):
        assert put(client, cw, upload, 0, b"\x00" * 10, persona).status_code == 404
        assert client.get(f"{API}/uploads/{upload}", **bearer(cw.user(persona))).status_code == 404
    assert client.get(f"{API}/cases/{case.pk}", **bearer(cw.user("other_officer"))).status_code == 404
    assert client.get(f"{API}/cases/{case.pk}", **bearer(cw.user("supervisor"))).status_code == 200
    assert client.get(f"{API}/cases/{case.pk}").status_code == 401
