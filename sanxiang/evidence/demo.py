"""Demo evidence: the open demo cases get a photo with EXIF, a short audio clip and a PDF made on
the spot (nothing downloaded), uploaded through the ingest service by a handling officer or the
unit head. Idempotent: a case that has evidence is left alone."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import Agency, User
from sanxiang.cases.models import Case
from sanxiang.evidence import samples, services
from sanxiang.evidence.models import Evidence

PER_AGENCY = 6


def _uploader(case: Case) -> tuple[User, object] | None:
    handlers = list(case.handlers.select_related("officer__user").order_by("role", "id"))
    for handler in handlers:
        if handler.officer.user_id and handler.officer.user.is_active:
            return handler.officer.user, handler.officer
    head = User.objects.filter(agency=case.agency, role_grants__role=Role.UNIT_HEAD).first()
    return (head, handlers[0].officer) if head and handlers else None


def _files(case: Case, rng: random.Random) -> list[tuple[str, str, str, bytes]]:
    """(name, category, what it proves, bytes) for one case."""
    title = case.title
    return [
        ("现场照片.jpg", "physical", f"{title}：现场物品与场所状况", samples.jpeg_with_exif()),
        ("询问录音.wav", "audio_visual", f"{title}：询问当事人的过程", samples.wav(2.0 + rng.random())),
        ("当事人提供的材料.pdf", "documentary", f"{title}：当事人提交的书面材料",
         samples.pdf(f"Sanxiang demo material for case {case.pk}")),
    ]


def seed_evidence(step: object, agencies: dict[str, Agency]) -> None:
    rng = random.Random(2026)
    for agency in agencies.values():
        cases = Case.objects.filter(agency=agency, state__in=services.UPLOAD_STATES).order_by("id")[:PER_AGENCY]
        for case in cases:
            if Evidence.objects.filter(case=case).exists():
                step.existing += 1  # type: ignore[attr-defined]
                continue
            found = _uploader(case)
            if found is None:
                continue
            user, officer = found
            when = timezone.now() - dt.timedelta(days=1, hours=rng.randrange(1, 12))
            party = case.parties.first()
            place = party.address if party and party.address else "当事人经营场所"
            for name, category, proves, data in _files(case, rng):
                description = services.Description(category, proves, when, place, officer,
                                                   f"执法记录仪 QJ-{rng.randrange(10, 99)}")
                services.ingest(user, case, [data], original_name=name, description=description)
            step.created += 1  # type: ignore[attr-defined]
