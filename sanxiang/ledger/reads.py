"""Reads that matter are recorded too (调阅: DOMAIN.md, supervision).

A supervisor looking into the records of an agency other than their own leaves an entry, so the
supervised agency (and anyone auditing the supervisor) can see who looked at what and when.
Later issues add their own reads here (a case file opened, evidence downloaded).
"""

from django.db import models, transaction

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.ledger.models import Entry
from sanxiang.ledger.services import Subject, record


def owning_agency_id(obj: models.Model) -> int | None:
    return obj.pk if obj._meta.label_lower == "accounts.agency" else getattr(obj, "agency_id", None)


def is_supervisory_read(user: User, obj: models.Model) -> bool:
    """Whether ``user`` opening ``obj`` is a supervisor's read of another agency's record."""
    owner = owning_agency_id(obj)
    return user.has_role(Role.SUPERVISOR) and owner is not None and owner != user.agency_id


@transaction.atomic
def record_supervisory_read(user: User, obj: models.Model) -> Entry | None:
    """Record ``user``'s read of ``obj`` when it is a supervisory read; otherwise do nothing."""
    if not is_supervisory_read(user, obj):
        return None
    subject = Subject.of(obj, snapshot=False)
    return record(event_type=f"read.{subject.object_type}", actor=user, agency=getattr(obj, "agency", None)
                  if subject.object_type != "accounts.agency" else obj, role=Role.SUPERVISOR,
                  subject=subject, summary=f"监督调阅{obj._meta.verbose_name}：{subject.label}")
