"""Helpers shared by the case services: locking the case for a change and checking the role."""

from django.core.exceptions import PermissionDenied

from sanxiang.accounts.access import Action, acting_roles, get_for_user
from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.cases.models import Case
from sanxiang.ledger.services import record_change

ROLE_LABELS = dict(Role.choices)


def lock_case(user: User, case: Case | int) -> Case:
    """The case row, locked for this transaction: 404 if ``user`` cannot see it, 403 if they may
    not change it."""
    pk = case.pk if isinstance(case, Case) else case
    return get_for_user(Case.objects.select_for_update(of=("self",)).select_related("agency", "item"), user,
                        Action.CHANGE, pk=pk)


def require_role(user: User, case: Case, roles: frozenset[str] | set[str], what: str) -> str:
    """The role ``user`` acts with for ``what`` on a case taken with :func:`lock_case`;
    PermissionDenied naming who may do it otherwise."""
    mine = acting_roles(user, case, writable=True) & set(roles)
    if not mine:
        who = "、".join(str(ROLE_LABELS[r]) for r in Role.values if r in roles)
        suffix = "（执法人员须为本案承办人）" if Role.OFFICER in roles else ""
        raise PermissionDenied(f"无权{what}：须由{who}办理{suffix}")
    return sorted(mine)[0]


def record_case(user: User, case: Case, event: str, summary: str, role: str, **changes: object) -> None:
    record_change(event_type=f"case.{event}", actor=user, obj=case, summary=summary, role=role,
                  agency=case.agency, changes=changes or None)
