"""The registry pages: lists (search, filters, pagination, badges), details, create and edit, per persona."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sanxiang.accounts.models import Agency, User
from sanxiang.registry.choices import CredentialStatus, EnforcementKind, LawLevel
from sanxiang.registry.models import Article, EnforcementItem, Law, Officer
from sanxiang.registry.registries import REGISTRIES
from sanxiang.testing import World

pytestmark = pytest.mark.django_db
_numbers = iter(range(10_000, 99_999))


def make_officer(
    agency: Agency, name: str, *, expires_in_days: int = 365, status: str = CredentialStatus.VALID
) -> Officer:
    today = timezone.localdate()
    return Officer.objects.create(
        name=name,
        agency=agency,
        position="科员",
        certificate_number=f"33100{next(_numbers)}",
        categories=["penalty"],
        issued_on=today - datetime.timedelta(days=700),
        expires_on=today + datetime.timedelta(days=expires_in_days),
        status=status,
    )


def make_item(
    agency: Agency, code: str = "330217001000", name: str = "对虚假宣传行为的行政处罚"
) -> EnforcementItem:
    return EnforcementItem.objects.create(agency=agency, code=code, name=name, kind=EnforcementKind.PENALTY)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------- lists


def test_anonymous_is_sent_to_login(client: Client, world: World) -> None:
    response = client.get(reverse("registry:officers_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("key", list(REGISTRIES))
def test_every_registry_list_and_create_page_renders_for_admin(world: World, key: str) -> None:
    admin = client_for(world.personas["admin"])
    listing = admin.get(reverse(f"registry:{key}_list"))
    assert listing.status_code == 200
    assert REGISTRIES[key].title in page_text(listing)
    assert reverse(f"registry:{key}_create") in page_text(listing)
    assert admin.get(reverse(f"registry:{key}_create")).status_code == 200


def test_list_shows_only_visible_agencies(world: World) -> None:
    make_officer(world.agency, "张三")
    make_officer(world.other_agency, "李四")
    make_officer(world.far_agency, "王五")
    officer_page = page_text(client_for(world.personas["officer"]).get(reverse("registry:officers_list")))
    assert "张三" in officer_page and "李四" not in officer_page and "王五" not in officer_page
    supervisor_page = page_text(
        client_for(world.personas["supervisor"]).get(reverse("registry:officers_list"))
    )
    assert "张三" in supervisor_page and "李四" in supervisor_page and "王五" not in supervisor_page


def test_agency_filter_offers_only_visible_agencies(world: World) -> None:
    response = client_for(world.personas["supervisor"]).get(reverse("registry:officers_list"))
    names = [label for value, label in response.context["filters"][0].choices]
    assert world.agency.name in names and world.other_agency.name in names
    assert world.far_agency.name not in names


def test_agency_filter_narrows_the_list(world: World) -> None:
    make_officer(world.agency, "张三")
    make_officer(world.other_agency, "李四")
    response = client_for(world.personas["supervisor"]).get(
        reverse("registry:officers_list"), {"agency": world.other_agency.pk}
    )
    assert [obj.name for obj, cells in response.context["rows"]] == ["李四"]


def test_search_with_two_chinese_characters(world: World) -> None:
    make_officer(world.agency, "张三")
    make_officer(world.agency, "张三丰")
    make_officer(world.agency, "李四")
    response = client_for(world.personas["officer"]).get(reverse("registry:officers_list"), {"q": "张三"})
    names = sorted(obj.name for obj, cells in response.context["rows"])
    assert names == ["张三", "张三丰"]
    assert 'value="张三"' in page_text(response)


def test_pagination_fifty_per_page_with_page_links(world: World) -> None:
    for i in range(120):
        make_officer(world.agency, f"执法员{i:03d}")
    client = client_for(world.personas["officer"])
    first = client.get(reverse("registry:officers_list"), {"q": "执法员"})
    assert len(first.context["rows"]) == 50
    assert "page=3" in page_text(first) and "q=%E6%89%A7%E6%B3%95%E5%91%98&amp;page=2" in page_text(first)
    last = client.get(reverse("registry:officers_list"), {"q": "执法员", "page": 3})
    assert len(last.context["rows"]) == 20
    assert "共 120 条" in page_text(last)


def test_officer_status_badges_and_expired_filter(world: World) -> None:
    make_officer(world.agency, "有效甲")
    make_officer(world.agency, "过期乙", expires_in_days=-1)
    make_officer(world.agency, "暂扣丙", status=CredentialStatus.SUSPENDED)
    make_officer(world.agency, "注销丁", status=CredentialStatus.REVOKED)
    client = client_for(world.personas["officer"])
    html = page_text(client.get(reverse("registry:officers_list")))
    for badge, label in [
        ("valid", "有效"),
        ("expired", "已过期"),
        ("suspended", "暂扣"),
        ("revoked", "注销"),
    ]:
        assert f'<span class="badge badge-{badge}">{label}</span>' in html
    expired = client.get(reverse("registry:officers_list"), {"status": "expired"})
    assert [o.name for o, c in expired.context["rows"]] == ["过期乙"]
    valid = client.get(reverse("registry:officers_list"), {"status": "valid"})
    assert [o.name for o, c in valid.context["rows"]] == ["有效甲"]


def test_create_button_only_for_those_who_may_add(world: World) -> None:
    url = reverse("registry:officers_list")
    create = reverse("registry:officers_create")
    assert create in page_text(client_for(world.personas["admin"]).get(url))
    for persona in ["officer", "unit_head", "supervisor", "publisher"]:
        assert create not in page_text(client_for(world.personas[persona]).get(url)), persona


# ---------------------------------------------------------------- details


def test_detail_is_404_for_other_agencies_and_shows_verbose_names(world: World) -> None:
    officer = make_officer(world.agency, "张三", expires_in_days=-3)
    url = reverse("registry:officers_detail", args=[officer.pk])
    own = client_for(world.personas["officer"]).get(url)
    assert own.status_code == 200
    html = page_text(own)
    assert "执法证号" in html and officer.certificate_number in html and "已过期" in html
    assert "行政处罚" in html  # categories shown with labels, not codes
    assert client_for(world.personas["supervisor"]).get(url).status_code == 200
    assert client_for(world.personas["other_officer"]).get(url).status_code == 404
    assert client_for(world.personas["far_admin"]).get(url).status_code == 404


def test_edit_button_only_when_allowed(world: World) -> None:
    officer = make_officer(world.agency, "张三")
    url = reverse("registry:officers_detail", args=[officer.pk])
    edit = reverse("registry:officers_edit", args=[officer.pk])
    assert edit in page_text(client_for(world.personas["admin"]).get(url))
    assert edit not in page_text(client_for(world.personas["officer"]).get(url))
    assert edit not in page_text(client_for(world.personas["supervisor"]).get(url))


def make_law_with_articles(count: int) -> Law:
    law = Law.objects.create(
        title="中华人民共和国行政处罚法", level=LawLevel.LAW, issuing_body="全国人民代表大会常务委员会"
    )
    Article.objects.bulk_create(
        Article(
            law=law,
            number=n,
            label=f"第{n}条",
            chapter="第一章 总则" if n < 10 else "第二章 行政处罚的种类和设定",
            text=f"第{n}条的条文。",
        )
        for n in range(1, count + 1)
    )
    return law


def test_law_detail_pages_through_its_articles(world: World) -> None:
    law = make_law_with_articles(86)
    client = client_for(world.personas["other_officer"])  # laws are shared by everyone
    url = reverse("registry:laws_detail", args=[law.pk])
    first = page_text(client.get(url))
    assert "条文（共 86 条）" in first and "第1条的条文。" in first and "第31条的条文。" not in first
    assert "第一章 总则" in first
    last = page_text(client.get(url, {"page": 3}))
    assert "第86条的条文。" in last and "第1条的条文。" not in last
    # A shipped national law (no agency) is read-only even for an administrator.
    assert reverse("registry:laws_edit", args=[law.pk]) not in page_text(
        client_for(world.personas["admin"]).get(url)
    )


def test_item_detail_links_its_legal_basis(world: World) -> None:
    law = make_law_with_articles(3)
    item = make_item(world.agency)
    item.legal_basis.set([law.articles.get(number=2)])
    html = page_text(
        client_for(world.personas["officer"]).get(reverse("registry:items_detail", args=[item.pk]))
    )
    article = law.articles.get(number=2)
    assert reverse("registry:article_detail", args=[article.pk]) in html
    assert "《中华人民共和国行政处罚法》第2条" in html
    article_page = page_text(
        client_for(world.personas["officer"]).get(reverse("registry:article_detail", args=[article.pk]))
    )
    assert item.name in article_page
    # Another agency reads the article but not our item that cites it.
    other = page_text(
        client_for(world.personas["other_officer"]).get(reverse("registry:article_detail", args=[article.pk]))
    )
    assert "第2条的条文。" in other and item.name not in other


# ---------------------------------------------------------------- create and edit


def officer_form(name: str, number: str, **extra: object) -> dict[str, object]:
    return {
        "name": name,
        "position": "科员",
        "certificate_number": number,
        "categories": ["penalty", "inspection"],
        "issued_on": "2024-01-01",
        "expires_on": "2029-12-31",
        "status": "valid",
        **extra,
    }


def test_admin_creates_an_officer_in_own_agency(world: World) -> None:
    response = client_for(world.personas["admin"]).post(
        reverse("registry:officers_create"), officer_form("赵六", "33100000001")
    )
    officer = Officer.objects.get(certificate_number="33100000001")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:officers_detail", args=[officer.pk])
    assert officer.agency == world.agency and officer.categories == ["penalty", "inspection"]


def test_create_denied_for_non_admins(world: World) -> None:
    for persona in ["officer", "supervisor", "agency_head"]:
        client = client_for(world.personas[persona])
        assert client.get(reverse("registry:officers_create")).status_code == 403, persona
        assert (
            client.post(reverse("registry:officers_create"), officer_form("赵六", "33100000002")).status_code
            == 403
        ), persona
    assert not Officer.objects.filter(certificate_number="33100000002").exists()


def test_duplicate_certificate_number_is_shown_on_the_form(world: World) -> None:
    existing = make_officer(world.other_agency, "李四")
    response = client_for(world.personas["admin"]).post(
        reverse("registry:officers_create"), officer_form("赵六", existing.certificate_number)
    )
    assert response.status_code == 200
    assert "执法证号" in page_text(response) and "已存在" in page_text(response)


def test_duplicate_item_code_from_the_service_is_shown_in_chinese(world: World) -> None:
    make_item(world.agency, code="A001")
    response = client_for(world.personas["admin"]).post(
        reverse("registry:items_create"), {"code": "A001", "name": "另一个事项", "kind": "penalty"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "事项编码" in page_text(response) and "已经存在" in page_text(response)
    assert EnforcementItem.objects.filter(code="A001").count() == 1


def test_item_created_with_legal_basis(world: World) -> None:
    law = make_law_with_articles(5)
    chosen = [law.articles.get(number=n).pk for n in (2, 4)]
    response = client_for(world.personas["admin"]).post(
        reverse("registry:items_create"),
        {"code": "B001", "name": "对无照经营的处罚", "kind": "penalty", "legal_basis": chosen},
    )
    assert response.status_code == 302
    item = EnforcementItem.objects.get(code="B001")
    assert sorted(item.legal_basis.values_list("pk", flat=True)) == sorted(chosen)


def test_benchmark_fine_range_checked(world: World) -> None:
    item = make_item(world.agency)
    response = client_for(world.personas["admin"]).post(
        reverse("registry:benchmarks_create"),
        {
            "item": item.pk,
            "violation": "发布虚假广告",
            "circumstance": "general",
            "sanction": "罚款",
            "fine_min": "10000",
            "fine_max": "5000",
        },
    )
    assert response.status_code == 200
    assert "罚款下限不得高于罚款上限" in page_text(response)


def test_benchmark_item_choices_are_own_agency_items(world: World) -> None:
    own = make_item(world.agency, code="C1")
    other = make_item(world.other_agency, code="C2")
    response = client_for(world.personas["admin"]).get(reverse("registry:benchmarks_create"))
    choices = list(response.context["form"].fields["item"].queryset)
    assert own in choices and other not in choices


def test_edit_allowed_and_denied(world: World) -> None:
    officer = make_officer(world.agency, "张三")
    url = reverse("registry:officers_edit", args=[officer.pk])
    admin = client_for(world.personas["admin"])
    assert admin.get(url).status_code == 200
    response = admin.post(url, officer_form("张三", officer.certificate_number, status="suspended"))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.status == CredentialStatus.SUSPENDED and officer.agency == world.agency
    assert client_for(world.personas["officer"]).get(url).status_code == 403
    assert client_for(world.personas["supervisor"]).post(url, officer_form("改名", "1")).status_code == 403
    assert client_for(world.personas["other_admin"]).get(url).status_code == 404
    assert client_for(world.personas["far_admin"]).post(url, officer_form("改名", "1")).status_code == 404
    officer.refresh_from_db()
    assert officer.name == "张三"


def test_denied_and_missing_pages_explain_in_chinese(world: World) -> None:
    officer = make_officer(world.agency, "张三")
    forbidden = client_for(world.personas["officer"]).get(reverse("registry:officers_edit", args=[officer.pk]))
    assert forbidden.status_code == 403 and "无权执行该操作" in page_text(forbidden)
    missing = client_for(world.personas["far_admin"]).get(reverse("registry:officers_detail", args=[officer.pk]))
    assert missing.status_code == 404 and "页面不存在" in page_text(missing)
