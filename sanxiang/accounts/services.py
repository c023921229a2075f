"""State changes of the accounts app. Views, API and commands call these; nothing else writes."""

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction

from sanxiang.accounts.access import is_active_member
from sanxiang.accounts.choices import JURISDICTION_PARENT_LEVEL, AgencyKind, Role
from sanxiang.accounts.models import Agency, Jurisdiction, User, UserRole
from sanxiang.ledger.services import record_change


class ServiceError(ValueError):
    """A business rule refused the change; the message is Chinese and shown to the user."""


@transaction.atomic
def create_jurisdiction(*, name: str, code: str, level: str, parent: Jurisdiction | None = None) -> Jurisdiction:
    expected_parent = JURISDICTION_PARENT_LEVEL[level]
    if (parent.level if parent else None) != expected_parent:
        raise ServiceError(f"{name}的上级区划层级不正确")
    node = Jurisdiction.objects.create(name=name, code=code, level=level, parent=parent)
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    node.save(update_fields=["path"])
    record_change(event_type="account.jurisdiction.created", actor=None, obj=node, agency=None,
                  summary=f"新增行政区划 {name}（{code}）")
    return node


@transaction.atomic
def create_agency(*, actor: User | None = None, **fields: object) -> Agency:
    """Register an agency (执法主体); run by the operator's commands (``actor`` None)."""
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    record_change(event_type="account.agency.created", actor=actor, obj=agency, agency=agency,
                  summary=f"新增执法主体 {agency.name}")
    return agency


def _check_admin_of(actor: User | None, agency: Agency) -> None:
    """``actor`` None means a trusted caller (a management command run by the operator)."""
    if actor is None:
        return
    if not (is_active_member(actor) and actor.has_role(Role.ADMIN) and actor.agency_id == agency.pk):
        raise PermissionDenied("只有本机关的系统管理员可以管理用户")


@transaction.atomic
def create_user(*, actor: User | None, agency: Agency, username: str, password: str, full_name: str,
                roles: Iterable[str], email: str = "") -> User:
    """Create an account of ``agency`` with ``roles``; the password must pass the policy."""
    _check_admin_of(actor, agency)
    if User.objects.filter(username=username).exists():
        raise ServiceError(f"用户名“{username}”已被使用")
    user = User(username=username, full_name=full_name, agency=agency, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    set_roles(actor=actor, user=user, roles=roles)
    record_change(event_type="account.user.created", actor=actor, obj=user, agency=agency,
                  summary=f"新增用户 {username}（{full_name}），角色：{_role_text(user)}")
    return user


def _role_text(user: User) -> str:
    return "、".join(user.role_labels()) or "无"


@transaction.atomic
def set_roles(*, actor: User | None, user: User, roles: Iterable[str]) -> None:
    _check_admin_of(actor, user.agency)
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise ServiceError("未知角色：" + "、".join(sorted(unknown)))
    if Role.SUPERVISOR in wanted and user.agency.kind != AgencyKind.JUDICIAL_BUREAU:
        # A supervisor reads every agency of the jurisdiction; only the 司法行政机关 holds that
        # power, so an agency admin cannot grant it to their own staff.
        raise ServiceError("监督人员角色只能授予司法行政机关（司法局）的用户")
    UserRole.objects.filter(user=user).exclude(role__in=wanted).delete()
    for role in wanted:
        UserRole.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("role_codes", None)


@transaction.atomic
def update_user(*, actor: User | None, user: User, full_name: str, email: str, is_active: bool,
                roles: Iterable[str]) -> User:
    _check_admin_of(actor, user.agency)
    if actor is not None and actor.pk == user.pk and not is_active:
        raise ServiceError("不能停用自己的账户")
    user.full_name, user.email, user.is_active = full_name, email, is_active
    user.save(update_fields=["full_name", "email", "is_active"])
    set_roles(actor=actor, user=user, roles=roles)
    state = "启用" if is_active else "停用"
    record_change(event_type="account.user.updated", actor=actor, obj=user, agency=user.agency,
                  summary=f"修改用户 {user.username}：{state}，角色：{_role_text(user)}")
    return user


@transaction.atomic
def unlock_user(*, actor: User | None, user: User) -> None:
    _check_admin_of(actor, user.agency)
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    record_change(event_type="account.user.unlocked", actor=actor, obj=user, agency=user.agency,
                  summary=f"解除用户 {user.username} 的登录锁定")
