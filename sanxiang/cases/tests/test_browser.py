"""In headless Chromium: an officer registers a case with a party and two officers, issues the
立案审批表 and requests filing; the unit head approves; the case is in 调查取证 with a case number.

Screenshots go to ``<repo>/test-output/browser/cases-*.png`` (including the case page at phone
width, 390 px). Debian's ``/usr/bin/chromium`` is required, as for the registry's browser test.
"""

from __future__ import annotations

import re

import pytest

from sanxiang.cases.choices import CaseState
from sanxiang.cases.models import Case
from sanxiang.cases.testing import build_case_world, walk_to
from sanxiang.registry.tests.test_browser import SHOTS, browser, log_in  # noqa: F401 - browser: the fixture
from sanxiang.testing import build_world, make_uscc

PHONE = {"width": 390, "height": 844}


def log_out(page) -> None:
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/")


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"cases-{name}.png"), full_page=True)


def fits_phone(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone screen"


def register_case(page, base_url: str) -> None:
    page.click("nav >> text=执法办案")
    page.wait_for_selector("h1:has-text('执法办案')")
    shot(page, "01-list-empty")
    page.click("text=登记案件线索")
    page.wait_for_selector("h1:has-text('登记案件线索')")
    page.fill("input[name=title]", "甲市好味食品有限公司销售过期食品案")
    page.select_option("select[name=source]", "complaint")
    page.fill("input[name=source_note]", "12315 举报 No.20261120")
    page.select_option("select[name=item]", index=1)
    page.fill("textarea[name=facts]", "当事人在其经营场所销售超过保质期的牛奶12盒。")
    page.check("input[name=party-kind][value=legal_person]")
    page.fill("input[name=party-name]", "甲市好味食品有限公司")
    page.fill("input[name=party-uscc]", make_uscc())
    page.fill("input[name=party-legal_representative]", "赵大海")
    page.fill("input[name=party-address]", "甲市经开区创业大道88号")
    page.fill("input[name=party-phone]", "0576-88001234")
    page.check("label:has-text('李协办') >> input")
    assert page.is_checked("label:has-text('王执法') >> input")  # the officer's own record, preselected
    page.select_option("select[name=lead]", label="王执法")
    shot(page, "02-register-form")
    page.click("button:has-text('登记')")
    page.wait_for_selector("#case-state")


@pytest.mark.browser
def test_officer_files_and_unit_head_approves(live_server, browser, settings) -> None:  # noqa: F811
    settings.CASES_DOCUMENT_RENDERING = "deferred"  # the page flow, not the PDF engine, is tested here
    cw = build_case_world(build_world())
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    log_in(page, base, "officer")
    register_case(page, base)
    assert page.inner_text("#case-state") == "线索登记"
    assert "未立案" in page.inner_text("header.case-head")
    assert "赵大海" in page.inner_text("#parties")
    assert "王执法（主办" in page.inner_text("#handlers") and "李协办（协办" in page.inner_text("#handlers")
    # 提请立案 waits for the 立案审批表: the button is disabled and says why.
    assert page.is_disabled("#steps button:has-text('提请立案')")
    assert "须先制作《立案审批表》" in page.inner_text("#steps")
    shot(page, "03-case-clue")

    page.click("button:has-text('制作《立案审批表》')")
    page.wait_for_selector("text=已制作《立案审批表》")
    assert "立案审批表" in page.inner_text("#documents table")
    page.click("#steps button:has-text('提请立案')")
    page.wait_for_selector("text=已办理：提请立案")
    assert page.inner_text("#case-state") == "立案审批"
    shot(page, "04-filing-requested")
    case_url = page.url.split("#")[0]
    log_out(page)

    log_in(page, base, "unit_head")
    page.goto(case_url)
    assert "提请立案" in page.inner_text("#timeline")
    page.click("#steps a:has-text('批准立案')")
    page.wait_for_selector("h1:has-text('批准立案')")
    page.fill("textarea[name=note]", "同意立案，由王执法主办。")
    shot(page, "05-approve-form")
    page.click("form.form-card button[type=submit]")
    page.wait_for_selector("text=已办理：批准立案")
    case = Case.objects.get(pk=int(case_url.rstrip("/").rsplit("/", 1)[1]))
    assert page.inner_text("#case-state") == "调查取证"
    assert case.case_number and case.case_number in page.inner_text("header.case-head")
    assert re.search(r"〔\d{4}〕\d+号", case.case_number)
    assert "作出处理决定" in page.inner_text("#deadlines")
    shot(page, "06-approved")

    phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    for path, name in ((case_url, "07-phone-case"), (f"{base}/cases/", "08-phone-list"),
                       (f"{base}/cases/new/", "09-phone-register"),
                       (f"{case_url}steps/end_investigation/", "10-phone-step"), (f"{case_url}edit/", "11-phone-edit")):
        phone.goto(path)
        fits_phone(phone)
        shot(phone, name)
    # The proposal editor of a case under examination: penalty check boxes and the article picker.
    examined = walk_to(cw, CaseState.EXAMINATION)
    phone.goto(f"{base}/cases/{examined.pk}/edit/")
    phone.fill("#article-q", "第124条")
    assert phone.locator("select[name=proposed_basis] option:not([hidden])").count() == 1
    fits_phone(phone)
    shot(phone, "12-phone-proposal")
    phone.close()
