"""The registry API (/api/v1/registry/): every registry × list/detail/create/patch × persona."""

import datetime
from decimal import Decimal

import pytest
from django.db import models
from django.test import Client
from django.utils import timezone

from sanxiang.accounts.models import Agency, User
from sanxiang.accounts.tokens import issue_token
from sanxiang.api import api_endpoints
from sanxiang.registry.choices import CredentialStatus, LawLevel
from sanxiang.registry.models import (
    Article,
    DiscretionBenchmark,
    EnforcementItem,
    InspectionTarget,
    Law,
    Officer,
    RandomInspectionItem,
)
from sanxiang.registry.registries import REGISTRIES
from sanxiang.testing import World, make_uscc

BASE = "/api/v1/registry"
KEYS = list(REGISTRIES)
SHARED_READ = {"laws"}  # every signed-in user reads every law (access.py); others are per agency


def build_rows(agency: Agency, tag: str = "") -> dict[str, models.Model]:
    """One row of every registry for ``agency``, built directly with the ORM (no API, no services)."""
    today = timezone.localdate()
    law = Law.objects.create(title=f"甲市广告管理条例{tag}", level=LawLevel.LOCAL_REGULATION,
                             issuing_body="甲市人民代表大会常务委员会", agency=agency)
    article = Article.objects.create(law=law, number=1, label="第一条", text="为了规范广告活动，制定本条例。")
    item = EnforcementItem.objects.create(agency=agency, code=f"CF-{agency.pk}{tag}-001",
                                          name="对发布虚假广告的行政处罚", kind="penalty")
    item.legal_basis.add(article)
    officer = Officer.objects.create(
        agency=agency, name=f"王建国{tag}", position="科员", certificate_number=f"3310{agency.pk:04d}{tag}01",
        categories=["penalty"], issued_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=700),
    )
    benchmark = DiscretionBenchmark.objects.create(
        agency=agency, item=item, violation="发布虚假广告", circumstance="general",
        sanction="责令停止发布，并处广告费用三倍以上五倍以下罚款",
        fine_min=Decimal("1000"), fine_max=Decimal("5000"),
    )
    target = InspectionTarget.objects.create(
        agency=agency, name=f"甲市示例贸易有限公司{tag}", uscc=make_uscc(), kind="enterprise",
        industry="批发业", region=agency.jurisdiction,
    )
    random_item = RandomInspectionItem.objects.create(
        agency=agency, item=item, name="广告发布行为抽查", basis="《中华人民共和国广告法》第四十九条",
        target_type="广告发布者", content="广告内容是否真实合法", method="现场检查", ratio=Decimal("5"),
        frequency="每年1次",
    )
    return {"officers": officer, "items": item, "laws": law, "benchmarks": benchmark, "targets": target,
            "random_items": random_item}


def bearer(user: User) -> dict[str, str]:
    key, _ = issue_token(user, "测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client: Client, user: User, method: str, path: str, data: dict | None = None):
    send = getattr(client, method.lower())
    if data is None:
        return send(path, **bearer(user))
    return send(path, data, content_type="application/json", **bearer(user))


def new_payload(key: str, rows: dict[str, models.Model]) -> dict:
    """A valid body for POST /registry/<key>/ in the agency that owns ``rows``."""
    today = timezone.localdate()
    return {
        "officers": {"name": "李晓梅", "certificate_number": "33109999000077",
                     "categories": ["penalty", "inspection"], "issued_on": str(today),
                     "expires_on": str(today + datetime.timedelta(days=1000))},
        "items": {"code": "JC-009", "name": "对广告经营者的行政检查", "kind": "inspection",
                  "legal_basis": [rows["laws"].articles.get().pk]},
        "laws": {"title": "甲市市场监督管理规定", "level": "local_rule", "promulgated_on": "2023-05-01"},
        "benchmarks": {"item": rows["items"].pk, "violation": "发布虚假广告", "circumstance": "serious",
                       "sanction": "处广告费用五倍以上十倍以下罚款", "fine_min": "5000", "fine_max": "20000"},
        "targets": {"name": "甲市新华书店有限公司", "uscc": make_uscc(), "kind": "enterprise",
                    "risk_level": "medium"},
        "random_items": {"item": rows["items"].pk, "name": "食品经营抽查", "basis": "《食品安全法》",
                         "target_type": "食品经营者", "content": "许可证照是否齐全", "method": "现场检查",
                         "ratio": "3.5", "frequency": "每年2次"},
    }[key]


PATCHES = {
    "officers": ("position", "大队长"),
    "items": ("description", "依据广告法实施的处罚"),
    "laws": ("issuing_body", "甲市人民政府"),
    "benchmarks": ("conditions", "首次违法且及时改正"),
    "targets": ("industry", "零售业"),
    "random_items": ("frequency", "每半年1次"),
}


@pytest.fixture
def rows(world: World) -> dict[str, models.Model]:
    return build_rows(world.agency)


@pytest.fixture
def other_rows(world: World) -> dict[str, models.Model]:
    return build_rows(world.other_agency, "乙")


@pytest.fixture
def far_rows(world: World) -> dict[str, models.Model]:
    return build_rows(world.far_agency, "丙")


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["items"]}


# --- admin: full access to the own agency ------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_admin_lists_and_reads(client, world, rows, key):
    admin = world.personas["admin"]
    listing = call(client, admin, "GET", f"{BASE}/{key}/")
    assert listing.status_code == 200
    assert rows[key].pk in ids(listing)
    assert listing.json()["count"] >= 1
    detail = call(client, admin, "GET", f"{BASE}/{key}/{rows[key].pk}")
    assert detail.status_code == 200
    assert detail.json()["id"] == rows[key].pk


@pytest.mark.parametrize("key", KEYS)
def test_admin_creates_and_patches(client, world, rows, key):
    admin = world.personas["admin"]
    created = call(client, admin, "POST", f"{BASE}/{key}/", new_payload(key, rows))
    assert created.status_code == 201, created.json()
    obj = REGISTRIES[key].model.objects.get(pk=created.json()["id"])
    assert obj.agency_id == world.agency.pk
    field, value = PATCHES[key]
    patched = call(client, admin, "PATCH", f"{BASE}/{key}/{obj.pk}", {field: value})
    assert patched.status_code == 200, patched.json()
    assert patched.json()[field] == value
    obj.refresh_from_db()
    assert getattr(obj, field) == value


def test_created_item_links_articles(client, world, rows):
    response = call(client, world.personas["admin"], "POST", f"{BASE}/items/", new_payload("items", rows))
    article = rows["laws"].articles.get()
    assert [a["id"] for a in response.json()["legal_basis"]] == [article.pk]
    assert list(EnforcementItem.objects.get(pk=response.json()["id"]).legal_basis.all()) == [article]


def test_patch_leaves_unsent_fields_alone(client, world, rows):
    officer = rows["officers"]
    call(client, world.personas["admin"], "PATCH", f"{BASE}/officers/{officer.pk}", {"position": "副大队长"})
    officer.refresh_from_db()
    assert (officer.position, officer.name, officer.status) == ("副大队长", "王建国", CredentialStatus.VALID)


# --- officer: read only -------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_officer_reads_but_may_not_write(client, world, rows, key):
    officer = world.personas["officer"]
    assert call(client, officer, "GET", f"{BASE}/{key}/").status_code == 200
    assert call(client, officer, "GET", f"{BASE}/{key}/{rows[key].pk}").status_code == 200
    created = call(client, officer, "POST", f"{BASE}/{key}/", new_payload(key, rows))
    assert created.status_code == 403
    assert "无权" in created.json()["detail"]
    field, value = PATCHES[key]
    patched = call(client, officer, "PATCH", f"{BASE}/{key}/{rows[key].pk}", {field: value})
    assert patched.status_code == 403
    assert "无权" in patched.json()["detail"]


# --- other agencies ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_other_agency_object_is_hidden(client, world, rows, key):
    other_admin = world.personas["other_admin"]
    detail = call(client, other_admin, "GET", f"{BASE}/{key}/{rows[key].pk}")
    field, value = PATCHES[key]
    patched = call(client, other_admin, "PATCH", f"{BASE}/{key}/{rows[key].pk}", {field: value})
    if key in SHARED_READ:
        assert detail.status_code == 200
        assert patched.status_code == 403
    else:
        assert detail.status_code == 404
        assert detail.json()["detail"] == "对象不存在或无权查看"
        assert patched.status_code == 404
        assert rows[key].pk not in ids(call(client, other_admin, "GET", f"{BASE}/{key}/"))
    rows[key].refresh_from_db()
    assert getattr(rows[key], field) != value


@pytest.mark.parametrize("key", KEYS)
def test_supervisor_reads_city_subtree_only(client, world, rows, other_rows, far_rows, key):
    supervisor = world.personas["supervisor"]
    listed = ids(call(client, supervisor, "GET", f"{BASE}/{key}/?limit=100"))
    assert {rows[key].pk, other_rows[key].pk} <= listed
    assert (far_rows[key].pk in listed) == (key in SHARED_READ)
    assert call(client, supervisor, "GET", f"{BASE}/{key}/{other_rows[key].pk}").status_code == 200
    field, value = PATCHES[key]
    patched = call(client, supervisor, "PATCH", f"{BASE}/{key}/{rows[key].pk}", {field: value})
    assert patched.status_code == 403
    assert call(client, supervisor, "POST", f"{BASE}/{key}/", new_payload(key, rows)).status_code == 403


@pytest.mark.parametrize("key", sorted(set(KEYS) - SHARED_READ))
def test_far_admin_sees_nothing_of_world_agency(client, world, rows, key):
    far_admin = world.personas["far_admin"]
    assert rows[key].pk not in ids(call(client, far_admin, "GET", f"{BASE}/{key}/?limit=100"))
    assert call(client, far_admin, "GET", f"{BASE}/{key}/{rows[key].pk}").status_code == 404


def test_write_may_not_link_another_agencys_item(client, world, rows, other_rows):
    payload = new_payload("benchmarks", rows) | {"item": other_rows["items"].pk}
    response = call(client, world.personas["admin"], "POST", f"{BASE}/benchmarks/", payload)
    assert response.status_code == 422
    assert response.json()["errors"]["item"] == ["执法事项不存在或不属于本机关"]
    assert not DiscretionBenchmark.objects.filter(circumstance="serious").exists()


def test_agency_cannot_be_chosen(client, world, rows):
    payload = new_payload("targets", rows) | {"agency": world.other_agency.pk}
    response = call(client, world.personas["admin"], "POST", f"{BASE}/targets/", payload)
    assert response.status_code == 422
    assert "不支持该字段" in response.json()["errors"]["agency"][0]


# --- validation --------------------------------------------------------------------------------


def test_bad_uscc_is_422_with_chinese_field_error(client, world, rows):
    good = make_uscc()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    payload = new_payload("targets", rows) | {"uscc": bad}
    response = call(client, world.personas["admin"], "POST", f"{BASE}/targets/", payload)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "提交的数据未通过校验"
    assert "校验位错误" in body["errors"]["uscc"][0]
    assert not InspectionTarget.objects.filter(uscc=bad).exists()


def test_duplicate_certificate_number_is_422(client, world, rows, other_rows):
    taken = other_rows["officers"].certificate_number
    payload = new_payload("officers", rows) | {"certificate_number": taken}
    response = call(client, world.personas["admin"], "POST", f"{BASE}/officers/", payload)
    assert response.status_code == 422
    assert "已存在" in response.json()["errors"]["certificate_number"][0]


def test_request_shape_errors_are_chinese(client, world, rows):
    payload = {"name": "缺少日期的人员", "certificate_number": "331099990001", "status": "lost"}
    response = call(client, world.personas["admin"], "POST", f"{BASE}/officers/", payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["issued_on"] == ["此字段为必填项"]
    assert errors["status"][0].startswith("取值无效")


# --- lists: filters, search, pagination ---------------------------------------------------------


@pytest.fixture
def officers(world: World) -> dict[str, Officer]:
    today = timezone.localdate()
    specs = [("张三", CredentialStatus.VALID, True, 400), ("张三丰", CredentialStatus.SUSPENDED, False, 400),
             ("李四", CredentialStatus.VALID, False, -3), ("王五", CredentialStatus.REVOKED, False, 400)]
    made = {}
    for n, (name, status, reviewer, days_left) in enumerate(specs):
        made[name] = Officer.objects.create(
            agency=world.agency, name=name, certificate_number=f"33108800{n:04d}", status=status,
            is_legal_reviewer=reviewer, issued_on=today - datetime.timedelta(days=1000),
            expires_on=today + datetime.timedelta(days=days_left),
        )
    return made


def test_two_character_chinese_query(client, world, officers):
    response = call(client, world.personas["officer"], "GET", f"{BASE}/officers/?q=张三")
    assert {row["name"] for row in response.json()["items"]} == {"张三", "张三丰"}
    assert response.json()["count"] == 2


def test_whitelisted_filters(client, world, officers):
    officer = world.personas["officer"]
    suspended = call(client, officer, "GET", f"{BASE}/officers/?status=suspended").json()
    assert [row["name"] for row in suspended["items"]] == ["张三丰"]
    reviewers = call(client, officer, "GET", f"{BASE}/officers/?is_legal_reviewer=true").json()
    assert [row["name"] for row in reviewers["items"]] == ["张三"]
    both = call(client, officer, "GET", f"{BASE}/officers/?q=张&is_legal_reviewer=false").json()
    assert [row["name"] for row in both["items"]] == ["张三丰"]
    other = call(client, officer, "GET", f"{BASE}/officers/?agency={world.other_agency.pk}").json()
    assert other["count"] == 0


def test_unknown_filter_value_is_422(client, world, officers):
    response = call(client, world.personas["officer"], "GET", f"{BASE}/officers/?status=丢失")
    assert response.status_code == 422
    assert response.json()["errors"]["status"][0].startswith("取值无效")


def test_officer_status_label_and_can_enforce(client, world, officers):
    listing = call(client, world.personas["officer"], "GET", f"{BASE}/officers/").json()
    by_name = {row["name"]: row for row in listing["items"]}
    assert (by_name["张三"]["status_label"], by_name["张三"]["can_enforce"]) == ("有效", True)
    assert (by_name["张三丰"]["status_label"], by_name["张三丰"]["can_enforce"]) == ("暂扣", False)
    assert (by_name["李四"]["status_label"], by_name["李四"]["can_enforce"]) == ("已过期", False)
    assert (by_name["王五"]["status_label"], by_name["王五"]["can_enforce"]) == ("注销", False)


def test_page_size_is_capped_and_pages_do_not_overlap(client, world):
    InspectionTarget.objects.bulk_create(
        InspectionTarget(agency=world.agency, name="甲市同名商行", kind="individual_business")
        for _ in range(105)
    )
    officer = world.personas["officer"]
    first = call(client, officer, "GET", f"{BASE}/targets/?limit=500").json()
    assert (first["count"], first["limit"], len(first["items"])) == (105, 100, 100)
    rest = call(client, officer, "GET", f"{BASE}/targets/?limit=100&offset=100").json()
    assert len(rest["items"]) == 5
    assert not ids_of(first) & ids_of(rest)
    assert ids_of(first) | ids_of(rest) == set(InspectionTarget.objects.values_list("pk", flat=True))


def ids_of(page: dict) -> set[int]:
    return {row["id"] for row in page["items"]}


def test_law_articles_are_paginated(client, world, rows):
    law = rows["laws"]
    Article.objects.bulk_create(
        Article(law=law, number=n, label=f"第{n}条", text=f"第{n}条的条文，涉及罚款。") for n in range(2, 31)
    )
    officer = world.personas["officer"]
    page = call(client, officer, "GET", f"{BASE}/laws/{law.pk}/articles?limit=10&offset=10").json()
    assert page["count"] == 30
    assert [a["number"] for a in page["items"]] == list(range(11, 21))
    found = call(client, officer, "GET", f"{BASE}/laws/{law.pk}/articles?q=规范广告").json()
    assert [a["number"] for a in found["items"]] == [1]


def test_law_articles_of_unknown_law_is_404(client, world):
    response = call(client, world.personas["officer"], "GET", f"{BASE}/laws/999999/articles")
    assert response.status_code == 404


# --- the schema ----------------------------------------------------------------------------------


def test_openapi_lists_every_endpoint_and_both_auth_schemes(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    listed = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert set(api_endpoints()) == listed
    for key in KEYS:
        assert {("GET", f"{BASE}/{key}/"), ("POST", f"{BASE}/{key}/"),
                ("GET", f"{BASE}/{key}/{{obj_id}}"), ("PATCH", f"{BASE}/{key}/{{obj_id}}")} <= listed
    assert ("GET", f"{BASE}/laws/{{obj_id}}/articles") in listed
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    officer_out = schema["components"]["schemas"]["OfficerOut"]["properties"]
    assert officer_out["certificate_number"]["title"] == "执法证号"
    assert "全国唯一" in officer_out["certificate_number"]["description"]
