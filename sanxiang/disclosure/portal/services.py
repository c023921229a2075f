"""Changes the publisher makes to the portal's own content: service guides (服务指南).

Each save is checked (the publisher role, own agency, an item of the own agency), recorded in the
ledger and copied to the published read model (the sync signal) in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sanxiang.accounts.access import Action, can, get_for_user, writable_agency
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.disclosure.models import ServiceGuide
from sanxiang.ledger.services import record_change

PROTECTED = {"id", "pk", "agency", "agency_id", "updated_by", "updated_by_id", "updated_at"}


def may_edit_guides(user: User) -> bool:
    return can(user, Action.ADD, ServiceGuide)


@transaction.atomic
def create_guide(user: User, fields: Mapping[str, object]) -> ServiceGuide:
    """A new guide of the publisher's own agency. PermissionDenied without the role;
    ValidationError on bad data."""
    if not may_edit_guides(user):
        raise PermissionDenied("只有公示管理员可以编辑服务指南")
    guide = ServiceGuide(agency=writable_agency(user))
    _save(user, guide, fields)
    record_change(event_type="disclosure.guide_created", actor=user, obj=guide, role=Role.PUBLISHER,
                  summary=f"新增服务指南：{guide.name}")
    return guide


@transaction.atomic
def update_guide(user: User, pk: int, fields: Mapping[str, object]) -> ServiceGuide:
    """Change a guide (404 for another agency's, 403 without the role)."""
    guide = get_for_user(ServiceGuide.objects.select_for_update(), user, Action.CHANGE, pk=pk)
    _save(user, guide, fields)
    record_change(event_type="disclosure.guide_updated", actor=user, obj=guide, role=Role.PUBLISHER,
                  summary=f"修改服务指南：{guide.name}", changes={"fields": sorted(fields)})
    return guide


def _save(user: User, guide: ServiceGuide, fields: Mapping[str, object]) -> None:
    for name, value in fields.items():
        if name not in PROTECTED:
            setattr(guide, name, value)
    if guide.item is not None and guide.item.agency_id != guide.agency_id:
        raise ValidationError({"item": "对应执法事项必须属于本机关"})
    guide.updated_by = user
    guide.full_clean()
    guide.save()
