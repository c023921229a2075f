"""State changes of the registries. Pages, API, Excel import and commands all call these."""

import datetime
from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from sanxiang.accounts.access import Action, can, get_for_user, writable_agency
from sanxiang.accounts.models import User
from sanxiang.accounts.services import ServiceError
from sanxiang.ledger.services import record_change
from sanxiang.registry.models import Officer

__all__ = ["ServiceError", "check_enforceable", "create_object", "update_object"]


@transaction.atomic
def create_object(user: User, model: type[models.Model], fields: Mapping[str, object],
                  m2m: Mapping[str, Sequence[models.Model]] | None = None) -> models.Model:
    """Create a row of ``model`` in ``user``'s own agency after full validation.

    Raises PermissionDenied if ``user`` may not add rows, ValidationError on bad data.
    """
    if not can(user, Action.ADD, model):
        raise PermissionDenied("无权在基础库中新增记录")
    agency = writable_agency(user)
    obj = model(**fields)
    obj.agency = agency
    _save(obj, m2m)
    record_change(event_type=f"{obj._meta.label_lower}.created", actor=user, obj=obj, role="admin",
                  summary=f"新增{obj._meta.verbose_name}：{obj}")
    return obj


@transaction.atomic
def update_object(user: User, obj: models.Model, fields: Mapping[str, object],
                  m2m: Mapping[str, Sequence[models.Model]] | None = None) -> models.Model:
    """Change ``obj`` (which must be writable by ``user``); the agency never changes."""
    locked = get_for_user(type(obj).objects.select_for_update(), user, Action.CHANGE, pk=obj.pk)
    for name, value in fields.items():
        if name in {"agency", "agency_id", "id", "pk"}:
            continue
        setattr(locked, name, value)
    _save(locked, m2m)
    record_change(event_type=f"{locked._meta.label_lower}.updated", actor=user, obj=locked, role="admin",
                  summary=f"修改{locked._meta.verbose_name}：{locked}", changes={"fields": sorted(fields)})
    return locked


def _save(obj: models.Model, m2m: Mapping[str, Sequence[models.Model]] | None) -> models.Model:
    obj.full_clean()
    _check_same_agency(obj)
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


def _check_same_agency(obj: models.Model) -> None:
    """A row may only point at rows of its own agency (a benchmark at another agency's item,
    an officer record at another agency's account): the access layer alone would not stop an
    id typed into a form or an API call."""
    for field in obj._meta.concrete_fields:
        if not field.is_relation or field.name == "agency":
            continue
        related = getattr(obj, field.name)
        related_agency_id = getattr(related, "agency_id", None) if related is not None else None
        if related_agency_id is not None and related_agency_id != obj.agency_id:
            raise ValidationError({field.name: f"{field.verbose_name}必须属于本机关"})


def check_enforceable(officers: Sequence[Officer], on: datetime.date | None = None) -> None:
    """Raise ServiceError naming every officer who may not be assigned to enforcement on ``on``
    (certificate expired, suspended or revoked, or not yet issued: 行政处罚法 art. 42)."""
    on = on or timezone.localdate()
    refused = [f"{o.name}（执法证{o.status_label(on)}）" for o in officers if not o.can_enforce(on)]
    if refused:
        raise ServiceError("以下人员执法证不在有效状态，不能参与执法：" + "、".join(refused))
