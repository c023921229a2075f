"""In headless Chromium: an officer logs in, opens the officer registry, searches, logs out.

Screenshots go to ``<repo>/test-output/browser/``. Debian's ``/usr/bin/chromium`` is required:
without it this test fails rather than skips, so a machine set up without a browser is noticed.
"""

import datetime
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import Article, EnforcementItem, Law, Officer
from sanxiang.testing import PASSWORD, World, build_world

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-default-browser-check",
]
SHOTS = Path(settings.BASE_DIR) / "test-output" / "browser"


@pytest.fixture
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: install Debian's chromium package"
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test meanwhile would otherwise be refused as "async unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def seed_officers() -> World:
    world = build_world()
    today = timezone.localdate()
    people = [
        ("张三", 400, CredentialStatus.VALID),
        ("张三丰", -10, CredentialStatus.VALID),
        ("李四", 200, CredentialStatus.SUSPENDED),
        ("王五", 900, CredentialStatus.VALID),
    ]
    for i, (name, days, status) in enumerate(people):
        Officer.objects.create(
            name=name,
            agency=world.agency,
            position="执法队员",
            certificate_number=f"3310820{i:05d}",
            categories=["penalty", "inspection"],
            issued_on=today - datetime.timedelta(days=1000),
            expires_on=today + datetime.timedelta(days=days),
            status=status,
            user=world.personas["officer"] if name == "张三" else None,
        )
    Officer.objects.create(
        name="张三",
        agency=world.other_agency,
        certificate_number="33108299999",
        issued_on=today,
        expires_on=today + datetime.timedelta(days=30),
    )
    return world


@pytest.mark.browser
def test_officer_logs_in_searches_and_logs_out(live_server, browser) -> None:
    seed_officers()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", "officer")
    page.fill("input[name=password]", PASSWORD)
    page.screenshot(path=str(SHOTS / "01-login.png"), full_page=True)
    page.click("button[type=submit]")
    page.wait_for_selector("text=我的执法证")
    page.screenshot(path=str(SHOTS / "02-home.png"), full_page=True)

    page.click("nav >> text=执法人员")
    page.wait_for_selector("h1:has-text('执法人员')")
    assert page.locator("tbody tr").count() == 4  # own agency only; the other agency's 张三 is hidden
    page.fill("input[name=q]", "张三")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=*")
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert sorted(rows.locator("td:first-child").all_inner_texts()) == ["张三", "张三丰"]
    assert page.locator("tbody .badge-expired").inner_text() == "已过期"
    page.screenshot(path=str(SHOTS / "03-search.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    assert not phone.locator("nav.nav").is_visible()  # collapsed behind the menu button
    phone.screenshot(path=str(SHOTS / "04-phone-search.png"), full_page=True)
    phone.click("label.nav-toggle-label")
    assert phone.locator("nav.nav").is_visible()
    phone.screenshot(path=str(SHOTS / "05-phone-menu.png"), full_page=True)
    phone.close()

    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/")
    page.screenshot(path=str(SHOTS / "06-logged-out.png"), full_page=True)
    page.goto(f"{live_server.url}/registry/officers/")
    assert "/accounts/login/" in page.url


def seed_law_and_item(world: World) -> tuple[Law, EnforcementItem]:
    law = Law.objects.create(
        title="中华人民共和国行政处罚法", level="law", issuing_body="全国人民代表大会常务委员会"
    )
    for n, label in enumerate(["第一条", "第二条", "第三条"], start=1):
        Article.objects.create(law=law, number=n, label=label, chapter="第一章 总则", text=f"{label}的条文。")
    item = EnforcementItem.objects.create(
        agency=world.agency, code="330217001000", kind="penalty", name="对发布虚假广告行为的行政处罚"
    )
    item.legal_basis.set(law.articles.filter(number=2))
    return law, item


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.browser
def test_pages_fit_a_phone_screen(live_server, browser) -> None:
    """At 390 px no page is wider than the screen: wide tables scroll inside their own box."""
    world = seed_officers()
    law, item = seed_law_and_item(world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    pages = {
        "admin": [
            "/",
            "/registry/officers/new/",
            f"/registry/items/{item.pk}/edit/",
            f"/registry/laws/{law.pk}/",
            "/accounts/users/",
            "/accounts/users/new/",
            f"/accounts/agencies/{world.agency.pk}/edit/",
        ],
        "supervisor": ["/", "/registry/officers/?status=expired", "/accounts/agencies/"],
    }
    for username, paths in pages.items():
        log_in(page, live_server.url, username)
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} is {overflow}px wider than the phone screen"
            name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
            page.screenshot(path=str(SHOTS / f"phone-{username}-{name}.png"), full_page=True)
        page.context.clear_cookies()
