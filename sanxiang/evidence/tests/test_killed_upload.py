"""Fault tests: a real uploading process (``uploader.py``, sharing the test database and data
folder) is killed with SIGKILL mid-upload — no clean-up code of its own runs. Afterwards no
evidence is visible in the store, no row and no ledger entry exist, the same content uploads
fine, and ``verify_evidence`` clears the stale temporary file the dead process left (never
evidence). Works on SQLite (the test database is a file, ``SANXIANG_TEST_SQLITE``, as ``bin/test``
sets) and on PostgreSQL (the process gets the test database's name)."""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import services, sweep, uploads
from sanxiang.evidence.models import Evidence, UploadSession
from sanxiang.evidence.storage import default_store
from sanxiang.evidence.tests import uploader
from sanxiang.evidence.tests.test_ingest import chunks, describe
from sanxiang.ledger.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)  # the uploading process sees committed rows only
ROOT = Path(__file__).resolve().parents[3]
DATA = uploader.content()
KEY = hashlib.sha256(DATA).hexdigest()


def _database_url() -> str:
    found = connection.settings_dict
    if connection.vendor == "sqlite":
        if not Path(str(found["NAME"])).is_file():
            pytest.skip("SQLite test database in memory: run through bin/test (SANXIANG_TEST_SQLITE) to share it")
        return f"sqlite:///{found['NAME']}"
    password = f":{quote(found['PASSWORD'])}" if found["PASSWORD"] else ""
    return (f"postgres://{quote(found['USER'])}{password}@{found['HOST'] or '127.0.0.1'}:{found['PORT'] or 5432}"
            f"/{found['NAME']}")


def _start(settings, mode: str, cw, case, *extra: str) -> subprocess.Popen:
    """The uploading process, once it says it has reached the point where it is to be killed."""
    data_dir = Path(settings.FILE_STORE_DIR).parent
    assert Path(settings.FILE_STORE_DIR) == data_dir / "files"  # the layout settings derive from the folder
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sanxiang.settings", "DATABASE_URL": _database_url(),
           "SANXIANG_DATA_DIR": str(data_dir), "SANXIANG_DOCUMENT_RENDERING": "deferred"}
    arguments = [mode, str(case.pk), str(cw.user("officer").pk), str(cw.officer.pk), *extra]
    process = subprocess.Popen([sys.executable, "-m", "sanxiang.evidence.tests.uploader", *arguments], cwd=ROOT,
                               env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    watchdog = threading.Timer(120, process.kill)
    watchdog.start()
    said = process.stdout.readline().strip()
    watchdog.cancel()
    if said not in ("HALF", "PUBLISHED"):
        process.kill()
        pytest.fail(f"the uploading process did not get there: {said!r}\n{process.communicate()[1][-3000:]}")
    return process


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stdin.close()
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def _evidence_files() -> list[str]:
    root = default_store().root
    return sorted(p.name for p in root.glob("??/??/*") if p.is_file())


def _temp_files() -> list[Path]:
    return sorted(p for p in default_store().tmp_dir.iterdir() if p.is_file())


def _state() -> tuple[list[str], int, int]:
    return _evidence_files(), Evidence.objects.count(), Entry.objects.count()


def _upload_again(cw, case) -> Evidence:
    return services.ingest(cw.user("officer"), case, chunks(DATA, 1024 * 1024), original_name="全过程录像.mp4",
                           description=describe(cw))


def test_killed_while_streaming_leaves_no_evidence_and_its_temp_file_is_swept(cw, settings, capsys) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    before = _state()
    process = _start(settings, "stream", cw, case)
    (partial,) = [p for p in _temp_files() if p.name.startswith("up-")]
    assert 0 < partial.stat().st_size < len(DATA)  # really mid-upload
    _kill(process)

    assert _state() == before and not default_store().exists(KEY)  # no file, no row, no entry
    assert partial.is_file()  # the dead process could not clean up after itself
    live = default_store().writer(len(DATA))  # an upload under way right now: never swept
    try:
        call_command("verify_evidence")  # the partial file is fresh: kept (its upload might be alive)
        assert partial.is_file()
        old = time.time() - (sweep.DEFAULT_HOURS + 1) * 3600
        os.utime(partial, (old, old))
        call_command("verify_evidence")
        assert f"已清理过期临时上传文件：{partial.name}" in capsys.readouterr().out
        assert not partial.exists() and live.temp_path.is_file() and _evidence_files() == before[0]
    finally:
        live.abort()

    evidence = _upload_again(cw, case)  # the same content again, in one piece this time
    assert evidence.sha256 == KEY and default_store().path(KEY).read_bytes() == DATA
    call_command("verify_evidence")


def test_killed_between_storing_the_file_and_recording_it(cw, settings, capsys) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    files, rows, entries = _state()
    _kill(_start(settings, "record", cw, case))

    # The complete file was published; no row and no entry make it evidence.
    assert default_store().exists(KEY) and _evidence_files() == sorted([*files, KEY])
    assert (Evidence.objects.count(), Entry.objects.count()) == (rows, entries)
    assert not [p for p in _temp_files() if p.name.startswith("up-")]  # published by one link
    call_command("verify_evidence")
    assert f"未被任何证据记录引用的文件（上传在写入记录前中断；同一内容再次上传时将被采用）：{KEY}" in capsys.readouterr().out

    evidence = _upload_again(cw, case)  # the same content: the stored file is adopted and recorded
    assert evidence.sha256 == KEY and Entry.objects.filter(event_type="evidence.added", object_id=str(evidence.pk))
    call_command("verify_evidence")
    assert KEY not in capsys.readouterr().out


def test_killed_during_a_resumable_chunk_then_resumed(cw, settings) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    officer = cw.user("officer")
    session = uploads.start(officer, case.pk, original_name="全过程录像.mp4", size=len(DATA), **_fields(cw))
    before = _state()
    process = _start(settings, "resume", cw, case, str(session.pk))
    part = default_store().tmp_dir / f"session-{session.pk}"
    assert 0 < part.stat().st_size < len(DATA)
    _kill(process)

    session.refresh_from_db()  # the chunk's transaction died with the process: nothing was received
    assert (session.status, session.received) == (UploadSession.Status.OPEN, 0)
    assert _state() == before and not default_store().exists(KEY)
    # The client asks where to resume (offset 0) and sends the file again from there.
    with pytest.raises(uploads.OffsetConflict):
        uploads.append(officer, session.pk, len(DATA) // 2, [DATA[len(DATA) // 2:]])
    done = uploads.append(officer, session.pk, 0, chunks(DATA, 1024 * 1024))
    assert done.status == UploadSession.Status.COMPLETE and done.evidence.sha256 == KEY
    assert not part.exists() and default_store().path(KEY).read_bytes() == DATA


def _fields(cw) -> dict:
    description = describe(cw)
    return {"category": description.category, "proves": description.proves, "recorded_at": description.recorded_at,
            "place": description.place, "recorder": description.recorder, "device": description.device}
