"""In headless Chromium, as a citizen: search the portal for a two-character word, open the
decision from the results, report an error on it from its 纠错 page, then open an officer's
credential verification URL (as the QR code on the card carries it) on a phone.

Screenshots go to ``<repo>/test-output/browser/portal/``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from sanxiang.cases.tests.test_browser import PHONE, fits_phone
from sanxiang.disclosure import credentials, services
from sanxiang.disclosure.models import ErrorReport
from sanxiang.disclosure.tests.portal_data import build
from sanxiang.registry.tests.test_browser import browser  # noqa: F401  (the Chromium fixture)
from sanxiang.testing import make_uscc

SHOTS = settings.BASE_DIR / "test-output" / "browser" / "portal"


@pytest.mark.browser
def test_search_open_report_and_verify(live_server, browser, world) -> None:  # noqa: F811
    data = build(world)
    publication = services.publish_inspection_result(
        world.agency, source="inspection_task:1:target:1", decided_on=dt.date(2026, 3, 2),
        party_name="甲市好味食品有限公司", party_uscc=make_uscc(), title="甲市好味食品有限公司随机抽查结果",
        content="冷藏柜内有超过保质期的牛奶，已当场责令改正。", outcome="发现问题已责令改正")
    services.publish(world.personas["publisher"], publication.pk)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{live_server.url}/gongshi/")
    page.click("nav >> text=事后公开")
    page.fill("input[name=q]", "保质")  # two characters: found through the jieba index, not trigrams
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("mark")
    assert "对某某食品有限公司的行政处罚决定" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "01-search.png"), full_page=True)

    page.click("text=甲市好味食品有限公司随机抽查结果")
    page.wait_for_selector("h1:has-text('甲市好味食品有限公司随机抽查结果')")
    assert "记录序号" in page.inner_text("main") or "回执" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "02-decision.png"), full_page=True)

    page.click("text=提交纠错意见")
    page.wait_for_selector("h1:has-text('纠错')")
    page.fill("textarea[name=text]", "当事人名称应为某某食品有限责任公司。")
    page.click("button:has-text('提交纠错')")
    page.wait_for_selector("text=已收到您的纠错意见")
    page.screenshot(path=str(SHOTS / "03-report-sent.png"), full_page=True)
    report = ErrorReport.objects.get()
    assert (report.publication_id, report.text) == (publication.pk, "当事人名称应为某某食品有限责任公司。")

    phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone.goto(live_server.url + f"/gongshi/decisions/{data.published.public_id}/")
    fits_phone(phone)
    phone.screenshot(path=str(SHOTS / "04-phone-decision.png"), full_page=True)
    url = live_server.url + credentials.verification_path(credentials.token_for(data.officer))
    phone.goto(url)
    assert phone.locator(".verdict-label").inner_text() == "执法证件有效"
    fits_phone(phone)
    phone.screenshot(path=str(SHOTS / "05-phone-verify.png"), full_page=True)
    phone.goto(live_server.url + credentials.verification_path(credentials.token_for(data.expired_officer)))
    assert "过期" in phone.locator(".verdict-label").inner_text()
    phone.close()
    page.close()
