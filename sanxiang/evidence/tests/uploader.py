"""A separate uploading process for the fault tests in ``test_killed_upload.py``.

``python -m sanxiang.evidence.tests.uploader MODE CASE USER RECORDER [SESSION]`` uploads
:func:`content` to the case against the database and data folder its environment names, prints
where it has got to, then waits on its standard input — for the test to kill it there:

* ``stream``: through :func:`sanxiang.evidence.services.ingest`, stopped half-way through the bytes;
* ``record``: the same, stopped after the complete file was published into the store and before
  its row and ledger entry are written;
* ``resume``: through the resumable upload API (:func:`sanxiang.evidence.uploads.append`) into the
  open session SESSION, stopped half-way through its one chunk.
"""

from __future__ import annotations

import random
import sys

SIZE = 16 * 1024 * 1024
CHUNK = 1024 * 1024


def content() -> bytes:
    """The same 16 MiB every time: an MP4 header, then bytes from a seeded generator."""
    from sanxiang.evidence import samples

    header = samples.mp4(30)
    return header + random.Random(5).randbytes(SIZE - len(header))


def _stop_here(label: str) -> None:
    print(label, flush=True)
    sys.stdin.readline()  # the test never writes: it kills this process here
    raise SystemExit("not killed")


def _halves(data: bytes):
    half = len(data) // 2
    for start in range(0, half, CHUNK):
        yield data[start:start + CHUNK]
    _stop_here("HALF")


def main(mode: str, case_pk: int, user_pk: int, recorder_pk: int, session: str = "") -> None:
    import django

    django.setup()
    from django.utils import timezone

    from sanxiang.accounts.models import User
    from sanxiang.evidence import services, uploads
    from sanxiang.registry.models import Officer

    user, data = User.objects.get(pk=user_pk), content()
    if mode == "resume":
        uploads.append(user, session, 0, _halves(data))
        return
    description = services.Description("audio_visual", "执法记录仪全过程录像", timezone.now(), "当事人经营场所",
                                       Officer.objects.get(pk=recorder_pk), "执法记录仪")
    if mode == "record":
        services._save = lambda *args, **kwargs: _stop_here("PUBLISHED")
        chunks = (data[start:start + CHUNK] for start in range(0, len(data), CHUNK))
    else:
        chunks = _halves(data)
    services.ingest(user, case_pk, chunks, original_name="全过程录像.mp4", description=description)


if __name__ == "__main__":
    main(sys.argv[1], *map(int, sys.argv[2:5]), *sys.argv[5:])
