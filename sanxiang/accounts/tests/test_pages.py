"""Login, home page per role, navigation, agency pages and user administration pages."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.choices import Role
from sanxiang.accounts.models import User
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Officer
from sanxiang.testing import PASSWORD, World

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def add_officers(agency, count: int, *, reviewers: int = 0, expired: int = 0, start: int = 0) -> None:
    today = timezone.localdate()
    for i in range(count):
        Officer.objects.create(
            name=f"人员{start + i}",
            agency=agency,
            certificate_number=f"C{agency.pk}-{start + i}",
            issued_on=today - datetime.timedelta(days=800),
            is_legal_reviewer=i < reviewers,
            expires_on=today + datetime.timedelta(days=-5 if i >= count - expired else 300),
        )


# ---------------------------------------------------------------- login and logout


def test_login_page_and_successful_login(client: Client, world: World) -> None:
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200 and "登录" in text(page)
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_is_reported(client: Client, world: World) -> None:
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": "wrong"})
    assert response.status_code == 200
    assert "密码" in text(response) and "锁定至" not in text(response)


def test_lockout_message_is_shown(client: Client, world: World) -> None:
    for _ in range(settings.LOCKOUT_MAX_FAILURES):
        response = client.post(reverse("accounts:login"), {"username": "officer", "password": "wrong"})
    assert "账户已锁定至" in text(response)
    # Even the right password is refused while locked, with the same message.
    response = client.post(reverse("accounts:login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 200 and "账户已锁定至" in text(response)
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_form(world: World) -> None:
    client = client_for(world.personas["officer"])
    home = text(client.get(reverse("home")))
    assert f'action="{reverse("accounts:logout")}"' in home and "退出登录" in home
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


# ---------------------------------------------------------------- home and navigation


def test_header_shows_name_agency_and_roles(world: World) -> None:
    html = text(client_for(world.personas["unit_head"]).get(reverse("home")))
    assert "unit_head" in html and world.agency.name in html and "承办机构负责人" in html


def test_officer_home_shows_own_certificate(world: World) -> None:
    user = world.personas["officer"]
    today = timezone.localdate()
    Officer.objects.create(
        name="张三",
        agency=world.agency,
        user=user,
        certificate_number="33100012345",
        issued_on=today - datetime.timedelta(days=900),
        expires_on=today - datetime.timedelta(days=1),
        status=CredentialStatus.VALID,
    )
    html = text(client_for(user).get(reverse("home")))
    assert "我的执法证" in html and "33100012345" in html
    assert '<span class="badge badge-expired">已过期</span>' in html and "不可用于执法活动" in html


def test_home_without_officer_record_has_no_certificate_card(world: World) -> None:
    assert "我的执法证" not in text(client_for(world.personas["reviewer"]).get(reverse("home")))


def test_admin_home_counts_own_agency_rows(world: World) -> None:
    add_officers(world.agency, 3)
    add_officers(world.other_agency, 4)
    response = client_for(world.personas["admin"]).get(reverse("home"))
    counts = {c["title"]: c["count"] for c in response.context["admin_counts"]}
    assert counts["执法人员"] == 3
    assert response.context["user_count"] == world.agency.users.count()
    assert "本机关数据" in text(response)


def test_supervisor_home_shows_jurisdiction_staffing(world: World) -> None:
    add_officers(world.agency, 40, reviewers=2, expired=3)
    add_officers(world.other_agency, 21, reviewers=1)
    response = client_for(world.personas["supervisor"]).get(reverse("home"))
    rows = {row.name: row for row in response.context["staffing"]}
    assert set(rows) == {world.agency.name, world.other_agency.name, world.bureau.name}
    assert (rows[world.agency.name].officers, rows[world.agency.name].expired) == (40, 3)
    assert rows[world.agency.name].meets_reviewer_rule  # 2 of 40 = 5 %
    assert not rows[world.other_agency.name].meets_reviewer_rule  # 1 of 21 < 5 %: 2 needed
    html = text(response)
    assert "达标" in html and "不足（至少 2 人）" in html and world.far_agency.name not in html


def test_navigation_follows_roles(world: World) -> None:
    admin_nav = [
        i["label"] for i in client_for(world.personas["admin"]).get(reverse("home")).context["nav_items"]
    ]
    officer_nav = [
        i["label"] for i in client_for(world.personas["officer"]).get(reverse("home")).context["nav_items"]
    ]
    assert "用户管理" in admin_nav and "用户管理" not in officer_nav
    assert "执法人员" in officer_nav and "执法主体" in officer_nav
    assert "双随机抽查" in officer_nav and "双随机抽查" not in admin_nav


# ---------------------------------------------------------------- agencies


def test_agency_list_is_limited_to_visible_agencies(world: World) -> None:
    officer_page = text(client_for(world.personas["officer"]).get(reverse("accounts:agency_list")))
    assert world.agency.name in officer_page and world.other_agency.name not in officer_page
    supervisor_page = text(client_for(world.personas["supervisor"]).get(reverse("accounts:agency_list")))
    assert world.other_agency.name in supervisor_page and world.far_agency.name not in supervisor_page


def test_agency_detail_and_edit_permissions(world: World) -> None:
    own = reverse("accounts:agency_detail", args=[world.agency.pk])
    edit = reverse("accounts:agency_edit", args=[world.agency.pk])
    assert client_for(world.personas["officer"]).get(own).status_code == 200
    assert edit not in text(client_for(world.personas["officer"]).get(own))
    assert edit in text(client_for(world.personas["admin"]).get(own))
    assert client_for(world.personas["far_admin"]).get(own).status_code == 404
    assert client_for(world.personas["other_admin"]).get(edit).status_code == 404
    assert client_for(world.personas["officer"]).get(edit).status_code == 403
    assert client_for(world.personas["supervisor"]).get(edit).status_code == 403


def test_admin_edits_own_agency(world: World) -> None:
    agency = world.agency
    response = client_for(world.personas["admin"]).post(
        reverse("accounts:agency_edit", args=[agency.pk]),
        {
            "name": agency.name,
            "short_name": "甲市监",
            "uscc": agency.uscc,
            "legal_basis": "三定方案",
            "address": "人民路8号",
            "phone": "0576-85111111",
            "enforcement_kinds": ["license", "penalty"],
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.short_name, agency.address, agency.enforcement_kinds) == (
        "甲市监",
        "人民路8号",
        ["license", "penalty"],
    )


def test_agency_edit_rejects_bad_uscc_in_chinese(world: World) -> None:
    agency = world.agency
    bad = agency.uscc[:17] + ("0" if agency.uscc[17] != "0" else "1")
    response = client_for(world.personas["admin"]).post(
        reverse("accounts:agency_edit", args=[agency.pk]), {"name": agency.name, "uscc": bad}
    )
    assert response.status_code == 200 and "校验位错误" in text(response)


# ---------------------------------------------------------------- users


def test_user_pages_only_for_admins(world: World) -> None:
    for persona in ["officer", "supervisor", "agency_head"]:
        client = client_for(world.personas[persona])
        assert client.get(reverse("accounts:user_list")).status_code == 403, persona
        assert client.get(reverse("accounts:user_create")).status_code == 403, persona
    response = client_for(world.personas["admin"]).get(reverse("accounts:user_list"))
    names = [u.username for u, roles in response.context["rows"]]
    assert "officer" in names and "other_officer" not in names
    assert "执法人员" in text(response)


def test_admin_creates_user_with_policy_and_roles(world: World) -> None:
    client = client_for(world.personas["admin"])
    form = {
        "username": "newbie",
        "full_name": "钱七",
        "password1": "short",
        "password2": "short",
        "roles": [Role.OFFICER, Role.REVIEWER],
    }
    weak = client.post(reverse("accounts:user_create"), form)
    assert (
        weak.status_code == 200
        and "密码" in text(weak)
        and not User.objects.filter(username="newbie").exists()
    )
    strong = dict(form, password1="Qian-Qi-2024!", password2="Qian-Qi-2024!")
    assert client.post(reverse("accounts:user_create"), strong).status_code == 302
    user = User.objects.get(username="newbie")
    assert user.agency == world.agency and user.role_codes == {Role.OFFICER, Role.REVIEWER}
    duplicate = client.post(reverse("accounts:user_create"), strong)
    assert "已被使用" in text(duplicate)


def test_admin_edits_roles_and_other_agencies_cannot(world: World) -> None:
    target = world.personas["publisher"]
    url = reverse("accounts:user_edit", args=[target.pk])
    form = {"full_name": "孙八", "email": "", "is_active": "on", "roles": [Role.PUBLISHER, Role.UNIT_HEAD]}
    assert client_for(world.personas["other_admin"]).post(url, form).status_code == 404
    assert client_for(world.personas["supervisor"]).post(url, form).status_code == 403
    assert client_for(world.personas["admin"]).post(url, form).status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.full_name == "孙八" and target.role_codes == {Role.PUBLISHER, Role.UNIT_HEAD}


def test_admin_cannot_deactivate_self(world: World) -> None:
    admin = world.personas["admin"]
    response = client_for(admin).post(
        reverse("accounts:user_edit", args=[admin.pk]), {"full_name": "管理员", "roles": [Role.ADMIN]}
    )
    assert response.status_code == 200 and "不能停用自己的账户" in text(response)


def test_locked_user_is_shown_and_unlocked(world: World) -> None:
    target = world.personas["officer"]
    User.objects.filter(pk=target.pk).update(locked_until=timezone.now() + datetime.timedelta(minutes=10))
    admin = client_for(world.personas["admin"])
    assert "已锁定" in text(admin.get(reverse("accounts:user_list")))
    unlock = reverse("accounts:user_unlock", args=[target.pk])
    assert unlock in text(admin.get(reverse("accounts:user_edit", args=[target.pk])))
    assert admin.get(unlock).status_code == 405
    assert client_for(world.personas["other_admin"]).post(unlock).status_code == 404
    assert admin.post(unlock).status_code == 302
    assert not User.objects.get(pk=target.pk).is_locked()
