"""The one place where access is decided. Deny by default.

Every view, API endpoint, export and command asks here; none checks roles itself.

* Anonymous users see nothing here (the public portal reads a separate published model).
* A user sees the rows of their own agency. A ``supervisor`` sees the rows of every agency in
  their agency's jurisdiction subtree, read-only.
* Changing master data (add, change, import) takes the ``admin`` role and only ever touches the
  admin's own agency.
* Laws are a shared library: every signed-in user reads all of them; an admin changes only the
  laws their own agency entered (national laws shipped with the platform change by command).

Another agency's object is 404 (its existence is not revealed); a visible object the user may
not change is 403 — see :func:`get_for_user`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from sanxiang.accounts.choices import AgencyKind, Role
from sanxiang.accounts.models import Agency, User


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    IMPORT = "import"
    EXPORT = "export"


WRITE_ACTIONS = {Action.ADD, Action.CHANGE, Action.IMPORT}


@dataclass(frozen=True)
class Scope:
    """How a model's rows belong to agencies.

    ``agency_field`` is the lookup from the model to its Agency ("" for Agency itself).
    ``shared_read`` rows are readable by every signed-in user (laws); rows whose agency is
    NULL are then read-only for everybody.
    ``editor_roles`` may add/change/import rows of their own agency.
    ``role_conditions`` narrow a role to some rows: e.g. an officer acts only on the cases they
    handle (a predicate of the user and the row).
    """

    agency_field: str
    shared_read: bool = False
    editor_roles: frozenset[str] = frozenset({Role.ADMIN})
    role_conditions: dict[str, Callable[[User, models.Model], bool]] = field(default_factory=dict)


_SCOPES: dict[type[models.Model], Scope] = {}


def register(model: type[models.Model], scope: Scope) -> None:
    _SCOPES[model] = scope


def scope_of(model: type[models.Model]) -> Scope:
    try:
        return _SCOPES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no access scope registered") from None


def is_active_member(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id)


def visible_agencies(user: User) -> models.QuerySet[Agency]:
    """Agencies whose data ``user`` may read."""
    if not is_active_member(user):
        return Agency.objects.none()
    if user.has_role(Role.SUPERVISOR):
        return Agency.objects.filter(jurisdiction__path__startswith=user.agency.jurisdiction.path)
    return Agency.objects.filter(pk=user.agency_id)


def _agency_q(scope: Scope, agencies: models.QuerySet[Agency] | list[int]) -> Q:
    field = scope.agency_field or "pk"
    lookup = f"{field}__in" if scope.agency_field else "pk__in"
    return Q(**{lookup: agencies})


def may_write(user: User, model: type[models.Model]) -> bool:
    """Whether ``user`` holds a role that may change rows of ``model`` (in their own agency)."""
    if not is_active_member(user):
        return False
    return bool(scope_of(model).editor_roles & user.role_codes)


def restrict(queryset: models.QuerySet, user: User, action: Action = Action.VIEW) -> models.QuerySet:
    """Narrow ``queryset`` to the rows ``user`` may perform ``action`` on."""
    scope = scope_of(queryset.model)
    if not is_active_member(user):
        return queryset.none()
    if action in WRITE_ACTIONS:
        if not may_write(user, queryset.model):
            return queryset.none()
        return queryset.filter(_agency_q(scope, [user.agency_id]))
    if scope.shared_read:
        return queryset
    return queryset.filter(_agency_q(scope, visible_agencies(user)))


def can(user: User, action: Action, model: type[models.Model], agency: Agency | None = None) -> bool:
    """Whether ``user`` may perform a model-level ``action`` (add/import/export/view lists).

    ``agency`` is the agency the new rows would belong to (defaults to the user's own).
    """
    if not is_active_member(user):
        return False
    if action in WRITE_ACTIONS:
        target = agency.pk if agency else user.agency_id
        return may_write(user, model) and target == user.agency_id
    return True


def get_for_user(queryset: models.QuerySet, user: User, action: Action = Action.VIEW, **lookup: object):
    """Fetch one object for ``action``: 404 if not visible at all, 403 if visible but not allowed."""
    if action != Action.VIEW:
        # The usual case first: one query when the action is allowed; the 404/403 answer only
        # when it is not.
        try:
            return restrict(queryset, user, action).get(**lookup)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            pass
    visible = restrict(queryset, user, Action.VIEW)
    try:
        obj = visible.get(**lookup)
    except (visible.model.DoesNotExist, ValueError, TypeError):
        raise Http404("对象不存在或无权查看") from None
    if action != Action.VIEW:
        raise PermissionDenied("无权执行该操作")
    return obj


def acting_roles(user: User, obj: models.Model, *, writable: bool = False) -> set[str]:
    """The roles ``user`` may act with on ``obj``: none unless the row is writable by them (own
    agency, an editor role), and a role with a condition only where the condition holds.
    ``writable=True``: the caller already fetched ``obj`` with :func:`get_for_user` for CHANGE."""
    model = type(obj)
    if not writable and not restrict(model.objects.all(), user, Action.CHANGE).filter(pk=obj.pk).exists():
        return set()
    scope = scope_of(model)
    roles = set(scope.editor_roles & user.role_codes)
    return {r for r in roles if r not in scope.role_conditions or scope.role_conditions[r](user, obj)}


def may_manage_platform(user: User | None) -> bool:
    """Whether ``user`` may change platform-wide settings that no agency owns (the State Council
    holiday schedule for a year the calendar package lacks): an administrator of a 司法局."""
    return bool(is_active_member(user) and user.has_role(Role.ADMIN)
                and user.agency.kind == AgencyKind.JUDICIAL_BUREAU)


def writable_agency(user: User) -> Agency:
    """The agency new rows created by ``user`` belong to (always their own)."""
    if not is_active_member(user):
        raise PermissionDenied("无权执行该操作")
    return user.agency
