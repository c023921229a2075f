"""The 法制审核目录清单 pages: every member reads their agency's catalog with its sources, a
supervisor those of the jurisdiction; the agency's admin changes it (the first change copies the
defaults), cannot loosen a rule from the law (Chinese error), adds and deletes own rules and
switches 全覆盖 — each change in the ledger; anyone reads the public page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from sanxiang.ledger.models import Entry
from sanxiang.review import catalog
from sanxiang.review.models import CatalogRule, ReviewSettings
from sanxiang.testing import PASSWORD
from sanxiang.tests.matrix import PERSONAS

pytestmark = pytest.mark.django_db
URL = reverse("review_catalog:index")


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path) -> None:
    settings.LEDGER_KEYS_DIR = tmp_path / "keys"


def logged_in(persona: str) -> Client:
    client = Client()
    assert client.login(username=persona, password=PASSWORD)
    return client


def change(client: Client, code: str, **fields: object):
    data = {"action": "change", "code": code, "enabled": "on", **fields}
    return client.post(URL, data)


def events(kind: str) -> list[Entry]:
    return list(Entry.objects.filter(event_type=kind).order_by("index"))


READERS = {"officer", "unit_head", "reviewer", "agency_head", "publisher", "admin", "supervisor"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_matrix(persona: str, world) -> None:
    client = Client() if persona == "anonymous" else logged_in(persona)
    own = client.get(f"{URL}?agency={world.agency.pk}")
    post = client.post(f"{URL}?agency={world.agency.pk}", {"action": "coverage", "full_coverage": "on"})
    staffing = client.get(reverse("review_catalog:staffing"))
    public = client.get(reverse("review_catalog:public", args=[world.agency.pk]))
    if persona == "anonymous":
        assert own.status_code == post.status_code == staffing.status_code == 302
        assert reverse("accounts:login") in own["Location"]
    elif persona in READERS:
        assert own.status_code == 200 and "第五十八条" in own.content.decode()
        assert post.status_code == (302 if persona == "admin" else 403)
        assert staffing.status_code == 200
    else:  # another agency's member
        assert own.status_code == 404 and post.status_code == 404 and staffing.status_code == 200
    assert public.status_code == 200
    assert ReviewSettings.objects.filter(agency=world.agency, full_coverage=True).exists() == (persona == "admin")


def test_members_read_their_catalog_and_only_the_admin_sees_forms(world) -> None:
    page = logged_in("officer").get(URL).content.decode()
    for rule in catalog.DEFAULTS:
        assert rule.label in page
    assert "《行政处罚法》第五十八条第一款第三项" in page and "平台默认目录" in page
    assert 'name="action"' not in page
    admin_page = logged_in("admin").get(URL).content.decode()
    assert 'value="change"' in admin_page and 'value="add"' in admin_page
    # A supervisor reads another agency of the jurisdiction, read-only; another city's is 404.
    supervisor = logged_in("supervisor")
    other = supervisor.get(f"{URL}?agency={world.other_agency.pk}")
    assert other.status_code == 200 and 'value="change"' not in other.content.decode()
    assert supervisor.get(f"{URL}?agency={world.far_agency.pk}").status_code == 404


def test_first_change_copies_the_defaults_and_is_ledgered(world) -> None:
    admin = logged_in("admin")
    assert not CatalogRule.objects.filter(agency=world.agency).exists()
    response = change(admin, "fine_person", amount="5000")
    assert response.status_code == 302
    rows = {r.code: r for r in CatalogRule.objects.filter(agency=world.agency)}
    assert set(rows) == catalog.DEFAULT_CODES
    assert rows["fine_person"].amount == Decimal("5000") and rows["fine_organisation"].amount == Decimal("100000")
    [entry] = events("review.catalog_changed")
    assert entry.detail["changes"]["copied_defaults"] is True and entry.agency_id == world.agency.pk
    assert entry.detail["changes"]["after"]["amount"] == "5000"
    # The page now shows the agency's own value; another agency still uses the defaults.
    assert "达到 5,000 元" in admin.get(URL).content.decode()
    assert catalog.rules_for(world.other_agency.pk) == list(catalog.DEFAULTS)
    # Adding a penalty kind to a rule from the law is stricter: allowed.
    assert change(admin, "licence", values=["downgrade", "revoke_license", "suspend_license"]).status_code == 302
    assert CatalogRule.objects.get(agency=world.agency, code="licence").values == [
        "downgrade", "revoke_license", "suspend_license"]


@pytest.mark.parametrize(("code", "fields", "message"), [
    ("fine_person", {"amount": "20000"}, "只能调低"),
    ("hearing", {"enabled": ""}, "不能停用"),
    ("licence", {"values": ["downgrade"]}, "不能去掉法定的处罚种类"),
])
def test_rules_from_the_law_cannot_be_loosened(world, code: str, fields: dict, message: str) -> None:
    admin = logged_in("admin")
    response = change(admin, code, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not events("review.catalog_changed")
    assert not CatalogRule.objects.filter(agency=world.agency).exists()  # the copy rolled back too


def test_non_mandatory_default_may_be_disabled(world) -> None:
    admin = logged_in("admin")
    assert change(admin, "coercion", enabled="", values=["coercion"]).status_code == 302
    assert not CatalogRule.objects.get(agency=world.agency, code="coercion").enabled


def test_own_rule_added_used_and_deleted(world) -> None:
    admin = logged_in("admin")
    added = admin.post(URL, {"action": "add", "label": "对学校周边经营者责令停产停业", "kind": "items",
                             "values_text": "CF-1、CF-2", "source": "本机关〔2026〕3号文"})
    assert added.status_code == 302
    own = CatalogRule.objects.get(agency=world.agency, label="对学校周边经营者责令停产停业")
    assert own.values == ["CF-1", "CF-2"] and not own.mandatory
    assert own.code in [r.code for r in catalog.rules_for(world.agency.pk)]
    assert len(events("review.catalog_added")) == 1
    refused = admin.post(URL, {"action": "delete", "code": "hearing"})
    assert refused.status_code == 422 and "不能删除" in refused.content.decode()
    assert admin.post(URL, {"action": "delete", "code": own.code}).status_code == 302
    assert not CatalogRule.objects.filter(pk=own.pk).exists()
    [deleted] = events("review.catalog_deleted")
    assert deleted.detail["changes"]["label"] == "对学校周边经营者责令停产停业"
    missing = admin.post(URL, {"action": "add", "label": "无依据", "kind": "fine_person", "amount": "1000", "source": ""})
    assert missing.status_code == 422 and "依据" in missing.content.decode()


def test_full_coverage_switch_is_ledgered(world) -> None:
    admin = logged_in("admin")
    assert admin.post(URL, {"action": "coverage", "full_coverage": "on"}).status_code == 302
    assert catalog.full_coverage(world.agency.pk)
    assert admin.post(URL, {"action": "coverage"}).status_code == 302
    assert not catalog.full_coverage(world.agency.pk)
    assert [e.detail["changes"]["full_coverage"] for e in events("review.full_coverage_set")] == [True, False]


def test_public_page_needs_no_login_and_shows_enabled_rules(world) -> None:
    admin = logged_in("admin")
    change(admin, "coercion", enabled="", values=["coercion"])
    admin.post(URL, {"action": "coverage", "full_coverage": "on"})
    page = Client().get(reverse("review_catalog:public", args=[world.agency.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and world.agency.name in text and "公示平台" in text
    assert "经过听证程序作出的决定" in text and "《行政处罚法》第五十八条第一款第三项" in text
    assert "行政强制措施和行政强制执行" not in text  # disabled
    assert 'id="full-coverage"' in text and "<form" not in text.split("<main")[-1]
    assert Client().get(reverse("review_catalog:public", args=[999999])).status_code == 404
