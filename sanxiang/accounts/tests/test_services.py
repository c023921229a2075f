"""Account services: user creation rules, roles, jurisdiction tree."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxiang.accounts import services
from sanxiang.accounts.choices import JurisdictionLevel, Role
from sanxiang.accounts.models import User
from sanxiang.testing import PASSWORD


def test_admin_creates_user_in_own_agency_only(world) -> None:
    admin = world.personas["admin"]
    user = services.create_user(actor=admin, agency=world.agency, username="zhang3", password=PASSWORD,
                                full_name="张三", roles=[Role.OFFICER])
    assert user.agency == world.agency and user.role_codes == {Role.OFFICER}
    with pytest.raises(PermissionDenied):
        services.create_user(actor=admin, agency=world.other_agency, username="li4", password=PASSWORD,
                             full_name="李四", roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        services.create_user(actor=world.personas["officer"], agency=world.agency, username="w5",
                             password=PASSWORD, full_name="王五", roles=[Role.OFFICER])


def test_weak_password_and_duplicate_username_refused(world) -> None:
    admin = world.personas["admin"]
    with pytest.raises(ValidationError):
        services.create_user(actor=admin, agency=world.agency, username="weak", password="abc12345",
                             full_name="弱", roles=[])
    with pytest.raises(services.ServiceError, match="已被使用"):
        services.create_user(actor=admin, agency=world.agency, username="officer", password=PASSWORD,
                             full_name="重名", roles=[])
    assert not User.objects.filter(username="weak").exists()


def test_supervisor_role_only_inside_a_judicial_bureau(world) -> None:
    admin = world.personas["admin"]
    with pytest.raises(services.ServiceError, match="司法行政机关"):
        services.set_roles(actor=admin, user=world.personas["officer"], roles=[Role.SUPERVISOR])
    assert world.personas["officer"].role_grants.filter(role=Role.SUPERVISOR).count() == 0
    services.set_roles(actor=None, user=world.personas["supervisor"], roles=[Role.SUPERVISOR, Role.ADMIN])
    assert User.objects.get(username="supervisor").role_codes == {Role.SUPERVISOR, Role.ADMIN}


def test_admin_cannot_deactivate_self(world) -> None:
    admin = world.personas["admin"]
    with pytest.raises(services.ServiceError):
        services.update_user(actor=admin, user=admin, full_name="管理员", email="", is_active=False,
                             roles=[Role.ADMIN])


def test_jurisdiction_levels_must_nest(world) -> None:
    with pytest.raises(services.ServiceError):
        services.create_jurisdiction(name="错层", code="999999", level=JurisdictionLevel.TOWNSHIP,
                                     parent=world.city)
    county = services.create_jurisdiction(name="甲市西区", code="999998", level=JurisdictionLevel.COUNTY,
                                          parent=world.city)
    assert county.path.startswith(world.city.path) and county in world.province.subtree()
