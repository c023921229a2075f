"""State changes of the registries. Pages, API, Excel import and commands all call these."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from sanxiang.accounts.access import Action, can, get_for_user, writable_agency
from sanxiang.accounts.models import User


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
    return _save(obj, m2m)


@transaction.atomic
def update_object(user: User, obj: models.Model, fields: Mapping[str, object],
                  m2m: Mapping[str, Sequence[models.Model]] | None = None) -> models.Model:
    """Change ``obj`` (which must be writable by ``user``); the agency never changes."""
    locked = get_for_user(type(obj).objects.select_for_update(), user, Action.CHANGE, pk=obj.pk)
    for name, value in fields.items():
        if name in {"agency", "agency_id", "id", "pk"}:
            continue
        setattr(locked, name, value)
    return _save(locked, m2m)


def _save(obj: models.Model, m2m: Mapping[str, Sequence[models.Model]] | None) -> models.Model:
    obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj
