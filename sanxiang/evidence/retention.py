"""How long an evidence file must stay locked (保存期限) in storage that enforces it (S3 Object Lock).

Each evidence row records its category's retention period in years (``retention_years``, from
:data:`sanxiang.evidence.choices.RETENTION_YEARS`), counted from the case's archiving (归档) — or
its closing, or, while the case is still open, from the upload: the date is pushed later as the
case moves on (``verify_evidence`` extends the lock once the case is archived). The lock lasts at
least ``SANXIANG_EVIDENCE_S3_RETENTION_DAYS`` days from the upload, a deployment-wide minimum.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sanxiang.evidence.models import Evidence


def add_years(moment: dt.datetime, years: int) -> dt.datetime:
    """``moment`` plus whole calendar years; 29 February becomes 1 March (never earlier)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, month=3, day=1)


def _start(evidence: Evidence) -> dt.datetime:
    """When the period starts: the case's archiving or closing date if later than the upload."""
    start = evidence.uploaded_at
    case = evidence.case
    ended = case.archived_on or case.closed_on
    if ended is not None:
        start = max(start, dt.datetime.combine(ended, dt.time.min, tzinfo=timezone.get_current_timezone()))
    return start


def retain_until(evidence: Evidence) -> dt.datetime:
    """The earliest moment the file of ``evidence`` may leave locked storage (UTC, whole seconds)."""
    by_category = add_years(_start(evidence), evidence.retention_years)
    minimum = evidence.uploaded_at + dt.timedelta(days=settings.EVIDENCE_S3_RETENTION_DAYS)
    return max(by_category, minimum).astimezone(dt.UTC).replace(microsecond=0)
