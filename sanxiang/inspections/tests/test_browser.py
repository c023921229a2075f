"""In headless Chromium, as an inspector: open a drawn task from 我的检查任务, try to record the
result (refused: 随机抽查 needs an A/V record), upload the 执法记录仪 recording through the form,
record the result; the plan and public draw pages at phone width.

Screenshots go to ``<repo>/test-output/browser/inspections/``.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from sanxiang.cases.tests.test_browser import PHONE, fits_phone
from sanxiang.evidence import samples
from sanxiang.inspections.choices import TaskResult
from sanxiang.inspections.testing import build_inspection_world, drawn_plan
from sanxiang.registry.tests.test_browser import browser, log_in  # noqa: F401  (browser: the Chromium fixture)

SHOTS = settings.BASE_DIR / "test-output" / "browser" / "inspections"


@pytest.mark.browser
def test_inspector_uploads_the_recording_and_records_the_result(live_server, browser, world, tmp_path) -> None:  # noqa: F811
    iw = build_inspection_world(world, targets=12)
    plan = drawn_plan(iw)
    task = plan.tasks.filter(inspectors=iw.inspectors[0]).order_by("sequence").first()
    SHOTS.mkdir(parents=True, exist_ok=True)
    video = tmp_path / "执法记录仪-0001.mp4"
    video.write_bytes(samples.mp4(seconds=20))

    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    log_in(page, live_server.url, "officer")
    page.click("nav >> text=双随机抽查")
    page.click("text=我的检查任务")
    page.click(f"#task-list >> text={task.target.name}")
    page.wait_for_selector(f"h1:has-text('{task.target.name}')")
    assert "尚未上传" in page.inner_text("main")
    page.select_option("select[name=result]", TaskResult.NO_PROBLEM)
    page.click("button:has-text('登记结果')")
    page.wait_for_selector("text=须进行音像记录")
    page.set_input_files("#recording-form input[name=file]", str(video))
    page.fill("#recording-form input[name=place]", task.target.address)
    page.fill("#recording-form input[name=device]", "DSJ-QJ-012")
    page.click("#recording-form button[type=submit]")
    page.wait_for_selector("#recording-list >> text=执法记录仪-0001.mp4")
    assert "已记录" in page.inner_text("main")
    page.screenshot(path=str(SHOTS / "01-task-recorded.png"), full_page=True)
    page.select_option("select[name=result]", TaskResult.NO_PROBLEM)
    page.click("button:has-text('登记结果')")
    page.wait_for_selector("text=检查结果已登记")
    task.refresh_from_db()
    assert task.result == TaskResult.NO_PROBLEM and task.recordings.get().media_kind == "video"
    page.screenshot(path=str(SHOTS / "02-task-done.png"), full_page=True)

    phone = browser.new_page(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/inspections/tasks/{task.pk}/")
    fits_phone(phone)
    phone.screenshot(path=str(SHOTS / "03-phone-task.png"), full_page=True)
    phone.goto(f"{live_server.url}/gongshi/draws/{plan.pk}/")
    assert "一致" in phone.inner_text("main")
    fits_phone(phone)
    phone.screenshot(path=str(SHOTS / "04-phone-public-draw.png"), full_page=True)
    phone.close()
    page.close()
