"""The access layer: who sees and changes which agency's rows."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sanxiang.accounts.access import Action, can, get_for_user, restrict, visible_agencies
from sanxiang.accounts.models import Agency
from sanxiang.registry.models import Article, Law, Officer
from sanxiang.testing import make_agency


def _officer(agency: Agency, cert: str) -> Officer:
    return Officer.objects.create(name="王某", agency=agency, certificate_number=cert,
                                  issued_on=datetime.date(2024, 1, 1), expires_on=datetime.date(2030, 1, 1))


@pytest.fixture
def rows(world):
    return {
        "own": _officer(world.agency, "A1"),
        "county": _officer(world.other_agency, "B1"),
        "far": _officer(world.far_agency, "C1"),
    }


def _visible(user) -> set[str]:
    return set(restrict(Officer.objects.all(), user).values_list("certificate_number", flat=True))


def test_agency_members_see_only_their_agency(world, rows) -> None:
    for name in ("officer", "unit_head", "reviewer", "agency_head", "publisher", "admin"):
        assert _visible(world.personas[name]) == {"A1"}, name
    assert _visible(world.personas["other_officer"]) == {"B1"}
    assert _visible(world.personas["far_admin"]) == {"C1"}


def test_supervisor_sees_the_jurisdiction_subtree_only(world, rows) -> None:
    supervisor = world.personas["supervisor"]
    assert _visible(supervisor) == {"A1", "B1"}
    assert set(visible_agencies(supervisor)) == {world.agency, world.other_agency, world.bureau}


def test_supervisor_is_read_only(world, rows) -> None:
    supervisor = world.personas["supervisor"]
    assert not restrict(Officer.objects.all(), supervisor, Action.CHANGE).exists()
    assert not can(supervisor, Action.ADD, Officer)
    with pytest.raises(PermissionDenied):
        get_for_user(Officer.objects.all(), supervisor, Action.CHANGE, pk=rows["own"].pk)


def test_foreign_object_is_404_visible_unwritable_is_403(world, rows) -> None:
    officer, admin = world.personas["officer"], world.personas["admin"]
    with pytest.raises(Http404):
        get_for_user(Officer.objects.all(), admin, Action.VIEW, pk=rows["county"].pk)
    with pytest.raises(Http404):
        get_for_user(Officer.objects.all(), admin, Action.CHANGE, pk=rows["far"].pk)
    with pytest.raises(PermissionDenied):
        get_for_user(Officer.objects.all(), officer, Action.CHANGE, pk=rows["own"].pk)
    assert get_for_user(Officer.objects.all(), admin, Action.CHANGE, pk=rows["own"].pk) == rows["own"]


def test_only_admins_write_and_only_in_their_agency(world) -> None:
    admin = world.personas["admin"]
    assert can(admin, Action.ADD, Officer)
    assert can(admin, Action.IMPORT, Officer)
    assert not can(admin, Action.ADD, Officer, agency=world.other_agency)
    for name in ("officer", "unit_head", "reviewer", "agency_head", "publisher", "supervisor"):
        assert not can(world.personas[name], Action.ADD, Officer), name


def test_laws_are_shared_but_national_laws_are_read_only(world) -> None:
    national = Law.objects.create(title="中华人民共和国行政处罚法", level="law")
    local = Law.objects.create(title="甲市市场监管办法", level="local_rule", agency=world.agency)
    Article.objects.create(law=national, number=1, label="第一条", text="……")
    far_admin, admin = world.personas["far_admin"], world.personas["admin"]
    assert set(restrict(Law.objects.all(), far_admin)) == {national, local}
    assert restrict(Article.objects.all(), far_admin).count() == 1
    assert set(restrict(Law.objects.all(), admin, Action.CHANGE)) == {local}
    assert not restrict(Law.objects.all(), far_admin, Action.CHANGE).exists()


def test_inactive_or_agencyless_users_see_nothing(world, rows) -> None:
    admin = world.personas["admin"]
    admin.is_active = False
    assert _visible(admin) == set()
    officer = world.personas["officer"]
    officer.agency = None
    assert _visible(officer) == set()


def test_new_agency_in_subtree_becomes_visible_to_supervisor(world) -> None:
    township_agency = make_agency("甲市东区某街道综合行政执法队", world.other_agency.jurisdiction)
    assert township_agency in visible_agencies(world.personas["supervisor"])
    assert township_agency not in visible_agencies(world.personas["far_admin"])
