"""The publisher's service-guide editor (/portal-admin/guides/): persona × own/other/far matrix,
a save through the page reaches the portal and the ledger, items of another agency refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.cases.testing import make_item
from sanxiang.disclosure.models import PublicServiceGuide, ServiceGuide
from sanxiang.ledger.models import Entry
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import LOGIN, PERSONAS

OWN_AGENCY = {"other_officer": "other", "other_admin": "other", "far_admin": "far", "supervisor": "bureau"}


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path) -> None:
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def _guide(agency, name: str = "食品经营许可办理指南") -> ServiceGuide:
    return ServiceGuide.objects.create(agency=agency, name=name, basis="《食品安全法》第三十五条", accepting_office="窗口")


def _client(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        assert client.login(username=world.personas[persona].username, password=PASSWORD)
    return client


def _expected(persona: str, action: str, owner: str = "own") -> object:
    if persona == "anonymous":
        return LOGIN
    if action == "list":
        return 200
    if action == "add":
        return 200 if persona == "publisher" else 403
    member = OWN_AGENCY.get(persona, "own")
    visible = owner == member or (persona == "supervisor" and owner in {"own", "other"})
    if not visible:
        return 404
    return 200 if persona == "publisher" else 403


def _status(response) -> object:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_guide_editor_matrix(world, persona: str) -> None:
    guides = {"own": _guide(world.agency), "other": _guide(world.other_agency), "far": _guide(world.far_agency)}
    client = _client(world, persona)
    got = {"list": _status(client.get(reverse("portal_admin:guide_list"))),
           "add": _status(client.get(reverse("portal_admin:guide_create")))}
    for owner, guide in guides.items():
        got[owner] = _status(client.get(reverse("portal_admin:guide_edit", args=[guide.pk])))
    expected = {"list": _expected(persona, "list"), "add": _expected(persona, "add"),
                **{owner: _expected(persona, "change", owner) for owner in guides}}
    assert got == expected


def _form(**overrides: str) -> dict[str, str]:
    return {"name": "食品经营许可办理指南", "basis": "《食品安全法》第三十五条", "accepting_office": "政务服务中心",
            "materials": "申请书\n营业执照", "process": "申请\n受理\n决定", "time_limit": "20个工作日",
            "fees": "不收费", "remedies": "行政复议60日；行政诉讼6个月", "hours": "工作日9:00-17:00",
            "address": "示例路1号", "phone": "0576-85000001", "is_public": "on", **overrides}


def test_publisher_creates_and_edits_a_guide_that_reaches_the_portal(world) -> None:
    client = _client(world, "publisher")
    response = client.post(reverse("portal_admin:guide_create"), _form())
    assert response.status_code == 302
    guide = ServiceGuide.objects.get()
    assert (guide.agency, guide.updated_by) == (world.agency, world.personas["publisher"])
    public = PublicServiceGuide.objects.get(guide_id=guide.pk)
    assert (public.time_limit, public.agency_name) == ("20个工作日", world.agency.name)
    page = Client().get(reverse("portal:guide_detail", args=[guide.pk])).content.decode()
    assert "<li>营业执照</li>" in page and "政务服务中心" in page and "行政诉讼6个月" in page
    assert Entry.objects.filter(event_type="disclosure.guide_created", object_id=str(guide.pk)).exists()
    client.post(reverse("portal_admin:guide_edit", args=[guide.pk]), _form(time_limit="15个工作日", is_public=""))
    guide.refresh_from_db()
    assert guide.time_limit == "15个工作日" and not guide.is_public
    assert not PublicServiceGuide.objects.filter(guide_id=guide.pk).exists()
    assert Client().get(reverse("portal:guide_detail", args=[guide.pk])).status_code == 404
    assert Entry.objects.filter(event_type="disclosure.guide_updated").count() == 1


def test_an_item_of_another_agency_is_refused(world) -> None:
    foreign = make_item(world.other_agency)
    client = _client(world, "publisher")
    response = client.post(reverse("portal_admin:guide_create"), _form(item=str(foreign.pk)))
    assert response.status_code == 200 and not ServiceGuide.objects.exists()
    own = make_item(world.agency)
    assert client.post(reverse("portal_admin:guide_create"), _form(item=str(own.pk))).status_code == 302
    assert ServiceGuide.objects.get().item == own


def test_an_officer_posting_to_the_editor_changes_nothing(world) -> None:
    guide = _guide(world.agency)
    client = _client(world, "officer")
    assert client.post(reverse("portal_admin:guide_edit", args=[guide.pk]), _form(name="改")).status_code == 403
    assert client.post(reverse("portal_admin:guide_create"), _form()).status_code == 403
    guide.refresh_from_db()
    assert guide.name == "食品经营许可办理指南" and ServiceGuide.objects.count() == 1
