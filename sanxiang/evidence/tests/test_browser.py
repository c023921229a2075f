"""In headless Chromium: an officer uploads a photo and a recording to a case through the upload
page (with its progress bar); the case page shows the thumbnail, the player, the metadata and the
hash. Screenshots in test-output/browser/evidence-*.png."""

import pytest

from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import build_case_world, walk_to
from sanxiang.cases.tests.test_browser import PHONE, fits_phone, log_in
from sanxiang.evidence import samples
from sanxiang.evidence.models import Evidence
from sanxiang.registry.tests.test_browser import SHOTS, browser  # noqa: F401 - the fixture
from sanxiang.testing import build_world


def upload(page, base: str, case_pk: int, name: str, data: bytes, mime: str, proves: str) -> None:
    page.goto(f"{base}/evidence/cases/{case_pk}/upload/")
    page.set_input_files("input[name=file]", {"name": name, "mimeType": mime, "buffer": data})
    page.select_option("select[name=category]", "audio_visual")
    page.fill("input[name=proves]", proves)
    page.fill("input[name=place]", "甲市东区幸福路18号店内")
    page.click("button:has-text('上传')")
    page.wait_for_url(f"{base}/cases/{case_pk}/**")


@pytest.mark.browser
def test_officer_uploads_evidence_and_sees_it_on_the_case_page(live_server, browser, settings, tmp_path) -> None:  # noqa: F811
    settings.CASES_DOCUMENT_RENDERING = "deferred"
    settings.FILE_STORE_DIR = tmp_path / "files"
    cw = build_case_world(build_world())
    case = walk_to(cw, CaseState.INVESTIGATION)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    base = live_server.url
    log_in(page, base, "officer")
    upload(page, base, case.pk, "现场照片.jpg", samples.jpeg_with_exif(), "image/jpeg", "货架上陈列的过期牛奶")
    upload(page, base, case.pk, "询问录音.wav", samples.wav(2.0), "audio/wav", "当事人承认销售过期牛奶")
    assert Evidence.objects.filter(case=case, original_name__in=["现场照片.jpg", "询问录音.wav"]).count() == 2
    section = page.inner_text("#evidence")
    assert "货架上陈列的过期牛奶" in section and "2026-11-20 09:15:30" in section and "SanxiangCam ZF-100" in section
    assert "时长 2.0 秒" in section and "北纬/东经 28.858333, 121.12" in section
    assert page.locator("#evidence img").count() == 1 and page.locator("#evidence audio").count() == 2
    thumb = page.locator("#evidence img.evidence-thumb")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert "/thumbnail/" in thumb.get_attribute("src") and thumb.evaluate("img => img.naturalWidth") <= 320
    page.locator("#evidence").screenshot(path=str(SHOTS / "evidence-01-case-section.png"))
    page.set_viewport_size(PHONE)
    page.reload()
    fits_phone(page)
    page.locator("#evidence").screenshot(path=str(SHOTS / "evidence-02-phone.png"))
