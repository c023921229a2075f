"""In headless Chromium: the agency admin opens the card page and downloads a card; the
verification URL read back from the card's PDF is opened on a phone, before and after the
certificate is suspended, and a forged code is shown as not genuine.

Screenshots (and the card rendered to PNG) go to ``<repo>/test-output/browser/credentials/``.
"""

from __future__ import annotations

import subprocess

import pytest
from django.conf import settings

from sanxiang.disclosure import credentials
from sanxiang.disclosure.tests.credential_data import pdf_cards, seed
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.tests.test_browser import browser  # noqa: F401  (the Chromium fixture)
from sanxiang.testing import PASSWORD

SHOTS = settings.BASE_DIR / "test-output" / "browser" / "credentials"


@pytest.mark.browser
def test_card_qr_opens_the_verification_page(live_server, browser, world) -> None:  # noqa: F811
    officers = seed(world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/?next=/registry/credentials/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('执法证件卡片')")
    assert page.locator("tbody tr").count() == 5
    page.screenshot(path=str(SHOTS / "01-card-list.png"), full_page=True)

    link = page.locator("tr:has-text('张三') >> text=下载卡片（PDF）")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    (SHOTS / "card.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-singlefile", str(SHOTS / "card.pdf"),
                    str(SHOTS / "02-card")], check=True)

    [url], [matrix] = pdf_cards(pdf)
    assert matrix == credentials.qr_matrix(url)  # what a scanner reads is the link's URL
    assert url.startswith(f"{live_server.url}/gongshi/verify/")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    phone.goto(url)
    verdict = phone.locator(".verdict-label")
    assert verdict.inner_text() == "执法证件有效"
    assert phone.locator(".verdict").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(227, 244, 232)"
    assert "33108200001" in phone.inner_text("dl.fields")
    phone.screenshot(path=str(SHOTS / "03-phone-valid.png"), full_page=True)

    officers.valid.status = CredentialStatus.SUSPENDED
    officers.valid.save()
    phone.reload()
    assert verdict.inner_text() == "执法证件暂停执法"
    phone.screenshot(path=str(SHOTS / "04-phone-suspended.png"), full_page=True)

    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    phone.goto(url.replace(token, forged))
    assert verdict.inner_text() == "不是本平台签发的执法证件二维码"
    assert phone.locator("dl.fields").count() == 0
    phone.screenshot(path=str(SHOTS / "05-phone-forged.png"), full_page=True)
    phone.close()
    page.close()
