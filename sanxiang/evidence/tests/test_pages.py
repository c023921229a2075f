"""The evidence pages: upload through the form, playback with range requests, downloads, every
read recorded, and the persona × own/foreign matrix."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import samples as media
from sanxiang.evidence import services
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.tests.test_ingest import chunks, describe
from sanxiang.ledger.models import Entry
from sanxiang.testing import PASSWORD


def login(client, cw, persona: str):
    assert client.login(username=cw.user(persona).username, password=PASSWORD)
    return client


@pytest.fixture
def stored(cw):
    case = walk_to(cw, CaseState.INVESTIGATION)
    video = services.ingest(cw.user("officer"), case, chunks(media.mp4(5)), original_name="检查录像.mp4",
                            description=describe(cw))
    return case, video


def test_upload_through_the_form_and_see_it_on_the_case_page(client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    login(client, cw, "officer")
    url = reverse("evidence:upload", args=[case.pk])
    assert "上传证据" in client.get(url).content.decode()
    recorded = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"file": SimpleUploadedFile("现场照片.jpg", media.jpeg_with_exif()),
                                 "category": "physical", "proves": "货架上的过期牛奶", "recorded_at": recorded,
                                 "place": "店内货架", "recorder": cw.officer.pk, "device": "相机"})
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    evidence = Evidence.objects.filter(case=case).latest("id")
    assert evidence.mime == "image/jpeg" and evidence.metadata["camera"] == "SanxiangCam ZF-100"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "证据与音像记录" in page and "货架上的过期牛奶" in page and evidence.sha256 in page


def test_a_bad_file_shows_a_chinese_error_in_the_form(client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    login(client, cw, "officer")
    response = client.post(reverse("evidence:upload", args=[case.pk]), {
        "file": SimpleUploadedFile("a.jpg", b"plain text" * 20), "category": "physical", "proves": "x",
        "recorded_at": "2026-11-20T10:00", "place": "店内", "recorder": cw.officer.pk})
    assert response.status_code == 200 and "无法识别的文件类型" in response.content.decode()
    assert not Evidence.objects.filter(original_name="a.jpg").exists()


def test_range_requests_return_the_right_bytes_and_reads_are_recorded(client, cw, stored) -> None:
    _, video = stored
    data = media.mp4(5)
    login(client, cw, "unit_head")
    url = reverse("evidence:file", args=[video.pk])
    before = Entry.objects.filter(event_type="evidence.viewed").count()
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == data
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert b"".join(tail.streaming_content) == data[-50:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(data)}-").status_code == 416
    # the whole read and nothing for the seeks (ranges not starting at 0)
    assert Entry.objects.filter(event_type="evidence.viewed").count() == before + 1
    download = client.get(reverse("evidence:download", args=[video.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert Entry.objects.filter(event_type="evidence.downloaded", object_id=str(video.pk)).count() == 1


def test_supervisors_see_who_read_the_evidence(client, cw, stored) -> None:
    case, video = stored
    login(client, cw, "officer").get(reverse("evidence:file", args=[video.pk]))
    client.logout()
    login(client, cw, "supervisor")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "调阅记录" in page and "查看证据：检查录像.mp4" in page


READERS = ["officer", "unit_head", "reviewer", "agency_head", "publisher", "admin", "supervisor"]
UPLOADERS = {"officer", "unit_head", "agency_head"}


@pytest.mark.parametrize("persona", [*READERS, "other_officer", "far_admin", "anonymous"])
def test_page_matrix(client, cw, stored, persona) -> None:
    case, video = stored
    if persona != "anonymous":
        login(client, cw, persona)
    pages = {"file": reverse("evidence:file", args=[video.pk]), "download": reverse("evidence:download", args=[video.pk]),
             "upload": reverse("evidence:upload", args=[case.pk]),
             "dossier": reverse("evidence:dossier", args=[case.pk])}
    for name, url in pages.items():
        status = client.get(url).status_code
        if persona == "anonymous":
            expected = 302
        elif persona in ("other_officer", "far_admin"):
            expected = 404
        elif name == "upload":
            expected = 200 if persona in UPLOADERS else 403
        else:
            expected = 200
        assert status == expected, (persona, name, status)


def test_the_dossier_button_downloads_a_verifiable_archive(client, cw, stored, tmp_path) -> None:
    from sanxiang.dossier.verify import verify

    case, _ = stored
    login(client, cw, "supervisor")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("evidence:dossier", args=[case.pk]) in page
    response = client.get(reverse("evidence:dossier", args=[case.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    archive = tmp_path / "d.zip"
    archive.write_bytes(b"".join(response.streaming_content))
    report = verify(str(archive))
    assert report.ok, report.problems
    assert Entry.objects.filter(event_type="evidence.dossier_exported", object_id=str(case.pk)).exists()
