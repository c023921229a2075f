"""In headless Chromium, the whole legal review of a major case: the unit head proposes a fine on
a company large enough to be major by the catalog, the officer submits it with the materials; the
reviewer finds a problem in the discretion (存在问题); the officer lowers the fine and resubmits
(the review page shows the change); the reviewer agrees (同意); the agency head, after notice and
集体讨论, issues the 行政处罚决定书 and decides.

Screenshots go to ``<repo>/test-output/browser/review-*.png`` (the review page also at phone width).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sanxiang.cases import services as case_services
from sanxiang.cases.choices import CaseState, DecisionType, DocumentKind
from sanxiang.cases.models import Case
from sanxiang.cases.testing import build_case_world, walk_to
from sanxiang.cases.tests.test_browser import PHONE, fits_phone, log_out
from sanxiang.registry.tests.test_browser import SHOTS, browser, log_in  # noqa: F401 - browser: the fixture
from sanxiang.review.choices import REVIEW_POINTS, ReviewStatus
from sanxiang.review.models import LegalReview
from sanxiang.testing import build_world

S = CaseState


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"review-{name}.png"), full_page=True)


def propose(page, case_url: str, fine: str) -> None:
    page.goto(f"{case_url}edit/")
    page.select_option("select[name=proposed_type]", DecisionType.PENALTY)
    for kind in ("warning", "fine"):
        page.check(f"input[name=proposed_penalties][value={kind}]")
    page.fill("input[name=proposed_fine]", fine)
    page.select_option("select[name=proposed_basis]", index=0)
    page.fill("textarea[name=proposal_text]", "警告，并处罚款")
    page.click("form.form-card button:has-text('保存')")
    page.wait_for_selector("#case-state")


def submit(page, case_url: str, name: str) -> None:
    page.goto(case_url)
    page.click("#legal-review a:has-text('送')")
    page.wait_for_selector("h1:has-text('送法制审核')")
    assert "✗" in page.inner_text("#materials li[data-code=investigation_report]")
    page.fill("textarea[name=investigation_report]", "经调查，当事人销售超过保质期的牛奶，事实清楚，证据确凿。")
    page.fill("textarea[name=discretion_note]", "当事人货值较大，按裁量基准“较重”档次确定罚款数额。")
    assert "✓" in page.inner_text("#materials li[data-code=investigation_report]")  # the checklist follows
    page.select_option("select[name=reviewer]", index=1)
    shot(page, name)
    page.click("#submit-form button[type=submit]")
    page.wait_for_selector("text=已送法制审核")


def give_opinion(page, outcome: str, problem: str = "") -> None:
    for code, _ in REVIEW_POINTS:
        page.check(f"#point-{code} input[value={'problem' if code == problem else 'ok'}]")
    if problem:
        page.fill(f"#point-{problem} input[name=note_{problem}]", "罚款数额与违法情节不相当")
        page.fill("textarea[name=problems]", "裁量基准适用不当：当事人系初次违法且货值较小，罚款数额偏高。")
        page.fill("textarea[name=suggestions]", "按“一般”档次重新确定罚款数额。")
    page.check(f"#form-opinion input[name=outcome][value={outcome}]")
    page.fill("#form-opinion textarea[name=text]", "经审核，提出审核意见如下。" if problem else
              "经审核，执法主体合法，事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟处理意见。")


@pytest.mark.browser
def test_major_case_review_path(live_server, browser, settings) -> None:  # noqa: F811
    settings.CASES_DOCUMENT_RENDERING = "deferred"  # the page flow, not the PDF engine, is tested here
    cw = build_case_world(build_world())
    case = walk_to(cw, S.EXAMINATION)
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    case_url = f"{base}/cases/{case.pk}/"
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    # Propose: a fine of 150,000 元 on a company is major by the catalog; the case page says why.
    log_in(page, base, "unit_head")
    propose(page, case_url, "150000")
    section = page.inner_text("#legal-review")
    assert "对法人或其他组织处以较大数额罚款" in section and "尚未送审" in section and "不得作出决定" in section
    shot(page, "01-case-major")
    log_out(page)

    # Submit (the officer handles the case).
    log_in(page, base, "officer")
    submit(page, case_url, "02-submit")
    assert "待审核" in page.inner_text("#review-status")
    log_out(page)

    # The reviewer's queue → the review page → 存在问题.
    log_in(page, base, "reviewer")
    page.click("nav >> text=法制审核")
    page.wait_for_selector("#review-queue")
    shot(page, "03-queue")
    page.click(f"#review-queue a:has-text('{case.title}')")
    page.wait_for_selector("#form-opinion")
    page.check("#form-opinion input[name=outcome][value=problems]")
    page.fill("#form-opinion textarea[name=text]", "存在问题。")
    page.click("#form-opinion button[type=submit]")  # no finding given: refused, in Chinese
    page.wait_for_selector("text=须逐项给出审核结论")
    give_opinion(page, "problems", problem="discretion")
    shot(page, "04-opinion-form")
    page.click("#form-opinion button[type=submit]")
    page.wait_for_selector("text=已出具审核意见：存在问题")
    assert "存在问题" in page.inner_text("#review-status")
    shot(page, "05-problems")
    log_out(page)

    # The handler reads the opinion, lowers the fine (unit head) and resubmits.
    log_in(page, base, "officer")
    page.goto(case_url)
    page.click("#legal-review a:has-text('查看审核')")
    page.wait_for_selector("#opinion")
    assert "罚款数额偏高" in page.inner_text("#opinion") and page.is_visible("#form-object")
    log_out(page)
    log_in(page, base, "unit_head")
    page.goto(f"{case_url}edit/")
    page.fill("input[name=proposed_fine]", "120000")
    page.click("form.form-card button:has-text('保存')")
    page.wait_for_selector("#case-state")
    submit(page, case_url, "06-resubmit")
    versions = page.inner_text("#versions")
    assert "与第1次送审相比" in versions and "150,000.00" in versions and "120,000.00" in versions
    shot(page, "07-version-2")
    log_out(page)

    # 同意.
    log_in(page, base, "reviewer")
    page.click("nav >> text=法制审核")
    page.click(f"#review-queue a:has-text('{case.title}')")
    page.wait_for_selector("#form-opinion")
    give_opinion(page, "agree")
    page.click("#form-opinion button[type=submit]")
    page.wait_for_selector("text=已出具审核意见：同意")
    shot(page, "08-agreed")
    review_url = page.url
    phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    for url, name in ((review_url, "09-phone-review"), (f"{base}/review/?status=all", "09-phone-queue")):
        phone.goto(url)
        fits_phone(phone)
        shot(phone, name)
    phone.close()
    log_out(page)

    # Notice and 集体讨论 (a major decision) through the services, then the decision on the page.
    officer, head, boss = (cw.user(p) for p in ("officer", "unit_head", "agency_head"))
    case_services.issue_document(head, case.pk, DocumentKind.PRIOR_NOTICE)
    case_services.perform(head, case.pk, "issue_notice")
    case_services.perform(officer, case.pk, "conclude_notice", waived=True)
    case_services.perform(head, case.pk, "request_collective")
    case_services.perform(boss, case.pk, "conclude_collective", minutes="经集体讨论，同意法制审核通过的处罚意见。")
    case_services.update_case(boss, case.pk, {
        "decision_type": DecisionType.PENALTY, "decision_penalties": ["warning", "fine"],
        "decision_fine": Decimal("120000"), "decision_basis": [cw.article.pk], "decision_text": "警告，并处罚款"})
    log_in(page, base, "agency_head")
    page.goto(case_url)
    assert "法制审核已通过" in page.inner_text("#legal-review")
    page.click("button:has-text('制作《行政处罚决定书》')")
    page.wait_for_selector("text=已制作《行政处罚决定书》")
    page.click("#steps button:has-text('作出处罚决定')")
    page.wait_for_selector("text=已办理：作出处罚决定")
    assert page.inner_text("#case-state") == "送达"
    shot(page, "10-decided")
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.SERVICE and case.decision_fine == Decimal("120000")
    assert list(LegalReview.objects.filter(case=case).order_by("version").values_list("status", flat=True)) == [
        ReviewStatus.SUPERSEDED, ReviewStatus.PASSED]
