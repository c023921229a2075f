"""Ingesting evidence: streamed, hashed, typed by content, described, recorded in the ledger —
and on any failure nothing left behind."""

import datetime as dt
import os
import stat

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import timezone

from sanxiang.accounts.services import ServiceError
from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import samples as media
from sanxiang.evidence import services
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.services import Description
from sanxiang.evidence.storage import default_store
from sanxiang.ledger.models import Entry


def describe(cw, **overrides) -> Description:
    values = {"category": "audio_visual", "proves": "当事人店内货架陈列过期牛奶", "place": "甲市东区幸福路18号店内",
              "recorded_at": timezone.now() - dt.timedelta(hours=2), "recorder": cw.officer, "device": "执法记录仪 ZF-100"}
    return Description(**{**values, **overrides})


def chunks(data: bytes, size: int = 1000):
    for start in range(0, len(data), size):
        yield data[start:start + size]


def stored_files() -> list[str]:
    root = default_store().root
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def state() -> tuple[list[str], int, int]:
    """Stored files, evidence rows and ledger entries (walk_to has already made its recordings)."""
    return stored_files(), Evidence.objects.count(), Entry.objects.count()


def test_photo_is_stored_read_only_with_its_exif_and_recorded(cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    data = media.jpeg_with_exif()
    files_before, _, before = state()
    evidence = services.ingest(cw.user("officer"), case, chunks(data), original_name="现场.txt",
                               description=describe(cw, category="physical"))
    assert evidence.mime == "image/jpeg" and evidence.media_kind == "photo"  # by content, not by name
    assert evidence.size == len(data) and evidence.step == CaseState.INVESTIGATION
    meta = evidence.metadata
    assert meta["width"] == 64 and meta["taken_at"] == "2026-11-20T09:15:30" and meta["camera"] == "SanxiangCam ZF-100"
    assert meta["gps"] == {"lat": 28.858333, "lon": 121.12}
    path = default_store().path(evidence.sha256)
    assert path.read_bytes() == data and not os.stat(path).st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    (entry,) = Entry.objects.filter(index__gte=before)
    assert entry.event_type == "evidence.added" and evidence.sha256 in entry.body.decode()
    assert stored_files() == sorted([*files_before, str(path.relative_to(default_store().root))])  # no temp file


def test_audio_and_video_metadata(cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    officer = cw.user("officer")
    sound = services.ingest(officer, case, chunks(media.wav(1.5)), original_name="询问.wav", description=describe(cw))
    assert sound.mime == "audio/wav" and sound.metadata["duration"] == 1.5
    video = services.ingest(officer, case, chunks(media.mp4(12)), original_name="检查.mp4", description=describe(cw))
    assert video.mime == "video/mp4" and video.media_kind == "video"
    assert video.metadata["duration"] == 12 and (video.metadata["width"], video.metadata["height"]) == (1280, 720)
    assert video.metadata["codecs"] == ["avc1"]


def _nothing_left(before: tuple[list[str], int, int]) -> None:
    assert state() == before


def test_a_file_of_an_unknown_type_is_refused_and_leaves_nothing(cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    before = state()
    with pytest.raises(ValidationError, match="无法识别的文件类型"):
        services.ingest(cw.user("officer"), case, chunks("这不是照片".encode() * 50), original_name="照片.jpg",
                        description=describe(cw))
    _nothing_left(before)


def test_a_dropped_connection_leaves_nothing(cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    before = state()

    def dropped():
        yield from chunks(media.mp4()[:1500])
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        services.ingest(cw.user("officer"), case, dropped(), original_name="检查.mp4", description=describe(cw))
    _nothing_left(before)


def test_too_large_is_refused_and_leaves_nothing(cw, settings) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    settings.EVIDENCE_MAX_BYTES = 2000
    before = state()
    with pytest.raises(ServiceError, match="大小上限"):
        services.ingest(cw.user("officer"), case, chunks(media.wav(1.0)), original_name="a.wav",
                        description=describe(cw))
    _nothing_left(before)


def test_a_failure_after_the_file_is_published_removes_it(cw, monkeypatch) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    before = state()

    def broken_ledger(**kwargs):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(services, "record", broken_ledger)  # fault injection at the last step
    with pytest.raises(RuntimeError):
        services.ingest(cw.user("officer"), case, chunks(media.wav()), original_name="a.wav", description=describe(cw))
    _nothing_left(before)


def test_the_same_content_twice_is_stored_once_and_kept_when_a_later_upload_fails(cw, monkeypatch) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    officer, data = cw.user("officer"), media.wav()
    first = services.ingest(officer, case, chunks(data), original_name="a.wav", description=describe(cw))
    count = Evidence.objects.count()
    monkeypatch.setattr(services, "record", lambda **kwargs: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        services.ingest(officer, case, chunks(data), original_name="b.wav", description=describe(cw))
    assert default_store().exists(first.sha256) and Evidence.objects.count() == count


def test_description_is_required_and_checked(cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    from sanxiang.cases.testing import make_officer

    stranger = make_officer(cw.world.other_agency, "外单位")
    before = state()
    with pytest.raises(ValidationError) as refused:
        services.ingest(cw.user("officer"), case, chunks(media.wav()), original_name="a.wav",
                        description=describe(cw, proves=" ", recorder=stranger, category="rumour"))
    assert set(refused.value.message_dict) == {"proves", "recorder", "category"}
    assert state() == before


@pytest.mark.parametrize(("persona", "error"), [("other_officer", Http404), ("publisher", PermissionDenied),
                                                ("supervisor", PermissionDenied), ("admin", PermissionDenied)])
def test_who_may_upload(cw, persona, error) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    with pytest.raises(error):
        services.ingest(cw.user(persona), case, chunks(media.wav()), original_name="a.wav", description=describe(cw))
    for persona in ("officer", "unit_head", "agency_head"):
        services.ingest(cw.user(persona), case, chunks(media.wav()), original_name="a.wav", description=describe(cw))


def test_no_upload_after_the_case_is_closed(cw) -> None:
    case = walk_to(cw, CaseState.CLOSED)
    with pytest.raises(ServiceError, match="不能再上传证据"):
        services.ingest(cw.user("unit_head"), case, chunks(media.wav()), original_name="a.wav",
                        description=describe(cw))


def test_verify_evidence_names_changed_missing_and_unrecorded_files(cw, capsys) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    officer = cw.user("officer")
    photo = services.ingest(officer, case, chunks(media.jpeg_with_exif()), original_name="照片.jpg",
                            description=describe(cw))
    sound = services.ingest(officer, case, chunks(media.wav()), original_name="录音.wav", description=describe(cw))
    video = services.ingest(officer, case, chunks(media.mp4()), original_name="录像.mp4", description=describe(cw))
    call_command("verify_evidence")
    assert "全部与全过程记录一致" in capsys.readouterr().out

    path = default_store().path(photo.sha256)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))  # a byte flipped behind the platform's back
    missing = default_store().path(sound.sha256)
    os.chmod(missing, 0o644)
    missing.unlink()
    Evidence.objects.filter(pk=video.pk).update(sha256="0" * 64)  # the row rewritten to point elsewhere
    with pytest.raises(CommandError, match="3 处问题|4 处问题"):
        call_command("verify_evidence")
    report = capsys.readouterr().err
    assert f"证据 #{photo.pk}" in report and "照片.jpg" in report and "已被改动" in report
    assert f"证据 #{sound.pk}" in report and "缺失" in report
    assert f"证据 #{video.pk}" in report and "全过程记录不符" in report


def test_verify_evidence_names_a_recorded_row_that_is_gone(cw, capsys) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    sound = services.ingest(cw.user("officer"), case, chunks(media.wav(0.7)), original_name="录音.wav",
                            description=describe(cw))
    Evidence.objects.filter(pk=sound.pk).delete()  # behind the platform's back: it has no delete
    with pytest.raises(CommandError, match="1 处问题"):
        call_command("verify_evidence")
    assert f"证据 #{sound.pk}（{case.case_number}）的记录已不存在" in capsys.readouterr().err


def test_only_stale_temporary_upload_files_are_swept(cw) -> None:
    import time

    from sanxiang.evidence import sweep, uploads

    case = walk_to(cw, CaseState.INVESTIGATION)
    officer, d = cw.user("officer"), describe(cw)
    fields = {"category": d.category, "proves": d.proves, "recorded_at": d.recorded_at, "place": d.place,
              "recorder": d.recorder}
    open_session = uploads.start(officer, case.pk, original_name="a.wav", size=10_000, **fields)
    failed = uploads.start(officer, case.pk, original_name="b.bin", size=600, **fields)
    with pytest.raises(ValidationError):
        uploads.append(officer, failed.pk, 0, [b"x" * 600])  # refused at completion: the part file goes
    store = default_store()
    evidence = services.ingest(officer, case, chunks(media.wav()), original_name="a.wav", description=describe(cw))
    leftovers = {name: store.tmp_dir / name for name in
                 ("up-killed", f"session-{failed.pk}", "session-not-a-uuid", f"session-{open_session.pk}")}
    for path in leftovers.values():
        path.touch()
    old = time.time() - 25 * 3600
    for path in [*leftovers.values(), store.path(evidence.sha256)]:
        os.utime(path, (old, old))
    fresh = store.tmp_dir / "up-now"
    fresh.touch()
    removed = {p.name for p in sweep.remove_stale_temp_files(store.tmp_dir, hours=24)}
    # the resumable upload still open keeps its bytes; a fresh upload and the evidence are untouched
    assert removed == {"up-killed", f"session-{failed.pk}", "session-not-a-uuid"}
    assert leftovers[f"session-{open_session.pk}"].is_file() and fresh.is_file()
    assert store.path(evidence.sha256).read_bytes() == media.wav()
