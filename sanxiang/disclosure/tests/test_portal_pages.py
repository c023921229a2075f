"""The portal's pages one by one: flow chart from the lifecycle, officer search and certificate
status, decision filters, statistics, 纠错 and the ledger receipt of a real publication, and
bounded query counts on the list pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases.lifecycle import steps
from sanxiang.cases.testing import make_item, make_officer
from sanxiang.disclosure import services
from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import ErrorReport, PublicEntry, ServiceGuide
from sanxiang.disclosure.portal.flowchart import flow_svg
from sanxiang.disclosure.search.testing import make_entry
from sanxiang.disclosure.tests.portal_data import build, more_entries
from sanxiang.ledger.checkpoints import public_keys
from sanxiang.ledger.receipt import verify_receipt
from sanxiang.registry.choices import CredentialStatus
from sanxiang.registry.models import DiscretionBenchmark, RandomInspectionItem
from sanxiang.testing import make_uscc


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path) -> None:
    from django.core.cache import cache

    settings.LEDGER_KEYS_DIR = tmp_path / "keys"
    cache.clear()  # the 纠错 limit counts per address in the cache


def test_flow_chart_has_every_step_of_the_lifecycle(client) -> None:
    svg = flow_svg()
    labels = {t.label for _, _, t in steps()}
    states = {s.label for s, _, _ in steps()} | {s.label for _, s, _ in steps()}
    assert labels and all(label in svg for label in labels), [x for x in labels if x not in svg]
    assert all(f">{state}</text>" in svg for state in states)
    pairs = {(source, target) for source, target, _ in steps()}
    assert svg.count('<g class="step">') == len(pairs)  # steps with the same two ends share an arrow
    assert all(f"<title>{s.label} → {t.label}：" in svg for s, t in pairs)
    response = client.get(reverse("portal:flow_image"))
    assert response["Content-Type"].startswith("image/svg+xml") and response.content.decode() == svg
    page = client.get(reverse("portal:flow")).content.decode()
    assert all(label in page for label in labels) and "《行政处罚法》第五十八条" in page


def test_officer_search_by_name_and_certificate_and_status(client, world) -> None:
    valid = make_officer(world.agency, "李执法")
    expired = make_officer(world.agency, "王过期", expires=timezone.localdate() - dt.timedelta(days=1))
    suspended = make_officer(world.agency, "孙暂扣")
    suspended.status = CredentialStatus.SUSPENDED
    suspended.save()
    by_name = client.get(reverse("portal:officer_list"), {"q": "李执"}).content.decode()
    assert "李执法" in by_name and "王过期" not in by_name
    by_cert = client.get(reverse("portal:officer_list"), {"q": expired.certificate_number}).content.decode()
    assert "王过期" in by_cert and "李执法" not in by_cert
    for officer, label in ((valid, "有效"), (expired, "已过期"), (suspended, "暂扣")):
        body = client.get(reverse("portal:officer_detail", args=[officer.pk])).content.decode()
        assert f"执法证状态：<strong>{label}</strong>" in body
        assert world.agency.name in body and "行政处罚、行政检查" in body


def test_decision_filters(client, world) -> None:
    uscc = make_uscc()
    make_entry("甲公司处罚决定", party_name="甲贸易有限公司", party_uscc=uscc, agency_id=world.agency.pk,
               decided_on=dt.date(2026, 2, 1))
    make_entry("乙公司许可决定", party_name="乙贸易有限公司", category=Category.LICENSE,
               agency_id=world.other_agency.pk, decided_on=dt.date(2026, 5, 1))

    def titles(**params: str) -> set[str]:
        body = client.get(reverse("portal:decision_list"), params).content.decode()
        # Titles carry <mark> around matched words: look for the party's unmatched prefix.
        return {t for t in ("甲公司处罚决定", "乙公司许可决定") if f">{t[:3]}" in body}

    assert titles() == {"甲公司处罚决定", "乙公司许可决定"}
    assert titles(agency=str(world.other_agency.pk)) == {"乙公司许可决定"}
    assert titles(category="penalty") == {"甲公司处罚决定"}
    assert titles(date_from="2026-03-01") == {"乙公司许可决定"}
    assert titles(date_to="2026-03-01") == {"甲公司处罚决定"}
    assert titles(party=uscc) == {"甲公司处罚决定"}
    assert titles(party="乙贸易") == {"乙公司许可决定"}
    assert titles(q="许可") == {"乙公司许可决定"}
    assert titles(category="bogus", date_from="not-a-date") == {"甲公司处罚决定", "乙公司许可决定"}


def test_decision_list_paginates(client, world) -> None:
    more_entries(world.agency, 25)
    first = client.get(reverse("portal:decision_list"), {"order": "date"}).content.decode()
    second = client.get(reverse("portal:decision_list"), {"order": "date", "page": "2"}).content.decode()
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    assert first.count('class="result-title"') == 20 and second.count('class="result-title"') == 5


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


LISTS = ["home", "agency_list", "officer_list", "item_list", "inspection_item_list", "benchmark_list", "guide_list",
         "supervision", "catalogs", "decision_list", "inspection_result_list", "statistics"]


def _add_rows(world, n: int) -> None:
    more_entries(world.agency, n)
    for i in range(n):
        make_entry(f"抽查结果{i}", category=Category.INSPECTION_RESULT, agency_id=world.agency.pk)
        officer = make_officer(world.agency, f"人员{i}")
        item = make_item(world.agency)
        DiscretionBenchmark.objects.create(agency=world.agency, item=item, violation=f"行为{i}",
                                           circumstance="general", sanction="罚款")
        RandomInspectionItem.objects.create(agency=world.agency, item=item, name=f"抽查{i}", basis="依据",
                                            target_type="对象", content="内容", method="现场检查", ratio=1,
                                            frequency="每年1次")
        ServiceGuide.objects.create(agency=world.agency, name=f"指南{i}", basis="依据", accepting_office="窗口")
        assert officer.pk


def test_list_pages_make_a_fixed_number_of_queries(client, world) -> None:
    _add_rows(world, 2)
    few = {name: _count_queries(client, reverse(f"portal:{name}")) for name in LISTS}
    _add_rows(world, 8)
    many = {name: _count_queries(client, reverse(f"portal:{name}")) for name in LISTS}
    assert few == many
    assert max(many.values()) <= 8, many


def test_statistics_count_published_and_expired_not_withdrawn(client, world) -> None:
    published_at = timezone.make_aware(dt.datetime(2025, 4, 10, 10))
    for i in range(3):
        make_entry(f"处罚{i}", outcome="罚款", agency_id=world.agency.pk, agency_name="统计甲局", published_at=published_at)
    make_entry("许可", category=Category.LICENSE, outcome="准予许可", agency_id=world.agency.pk,
               agency_name="统计甲局", published_at=published_at, status=PublicationStatus.EXPIRED)
    make_entry("撤下", outcome="撤下的结果", agency_name="统计乙局", published_at=published_at,
               status=PublicationStatus.WITHDRAWN)
    body = client.get(reverse("portal:statistics"), {"year": "2025"}).content.decode()
    assert "<svg" in body and "<script" not in body
    assert "统计甲局：4" in body and "罚款：3" in body and "准予许可：1" in body and "4月：4" in body
    assert "行政处罚：3" in body and "行政许可：1" in body
    assert "统计乙局" not in body and "撤下的结果" not in body


def test_error_report_and_receipt_of_a_real_publication(client, world) -> None:
    publisher = world.personas["publisher"]
    publication = services.publish_inspection_result(
        world.agency, source="inspection_task:1:target:1", decided_on=dt.date(2026, 3, 2),
        party_name="甲市好味食品有限公司", party_uscc=make_uscc(), title="食品经营随机抽查结果",
        content="未发现问题。", outcome="未发现问题")
    services.publish(publisher, publication.pk)
    url = reverse("portal:decision_detail", args=[publication.public_id])
    page = client.get(url).content.decode()
    assert "食品经营随机抽查结果" in page and "记录序号" in page
    report_url = reverse("portal:report_error", args=[publication.public_id])
    assert report_url in page and "csrfmiddlewaretoken" not in page  # the form is on its own page
    assert 'name="text"' in client.get(report_url).content.decode()
    response = client.post(reverse("portal:report_error", args=[publication.public_id]),
                           {"text": "当事人名称有误", "contact": "13900000000"})
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    assert (report.publication_id, report.text, report.contact) == (publication.pk, "当事人名称有误", "13900000000")
    assert "已收到您的纠错意见" in client.get(response["Location"]).content.decode()
    empty = client.post(reverse("portal:report_error", args=[publication.public_id]), {"text": " "})
    assert empty.status_code == 400 and "请填写需要纠正的内容" in empty.content.decode()
    receipt = client.get(reverse("portal:decision_receipt", args=[publication.public_id]))
    assert receipt.status_code == 200
    document = json.loads(receipt.content)
    keys = public_keys()
    assert verify_receipt(document, [keys["platform"]]).ok
    assert "disclosure.publish" in document["entry"]
    services.withdraw(publisher, publication.pk, "当事人名称有误")
    withdrawn = client.get(url)  # the published page was cached above: its version is gone now
    assert withdrawn.status_code == 410 and "当事人名称有误" in withdrawn.content.decode()
    assert "未发现问题。" not in withdrawn.content.decode()
    assert client.get(reverse("portal:decision_receipt", args=[publication.public_id])).status_code == 404
    assert client.post(report_url, {"text": "x"}).status_code == 404
    assert client.get(report_url).status_code == 404


def test_walk_data_builds(world) -> None:
    data = build(world)
    assert data.published.status == PublicationStatus.PUBLISHED


def test_decision_page_is_one_query(client, world, settings) -> None:
    """The page whose throughput is benchmarked against an empty view: one indexed read of the
    entry's version, none while this process trusts the version it read."""
    entry = make_entry("对某某公司的行政处罚决定", agency_id=world.agency.pk)
    url = reverse("portal:decision_detail", args=[entry.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) == 0, [q["sql"] for q in captured.captured_queries]
    settings.PORTAL_FRESH_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) == 1, [q["sql"] for q in captured.captured_queries]


def test_a_change_made_elsewhere_is_seen_after_the_fresh_seconds(client, world, settings) -> None:
    """Another process changes the entry (here: an update that sends no signal to this one): this
    process keeps serving the version it read for PORTAL_FRESH_SECONDS, then the new one."""
    entry = make_entry("对某某公司的行政处罚决定", facts="第一版事实", agency_id=world.agency.pk)
    url = reverse("portal:decision_detail", args=[entry.public_id])
    settings.PORTAL_FRESH_SECONDS = 3600
    assert "第一版事实" in client.get(url).content.decode()
    PublicEntry.objects.filter(pk=entry.pk).update(status=PublicationStatus.WITHDRAWN, sequence=entry.sequence + 1,
                                                   withdrawal_notice="决定被撤销，已撤下", updated_at=timezone.now())
    assert client.get(url).status_code == 200  # within the window: the version this process read
    settings.PORTAL_FRESH_SECONDS = 0
    withdrawn = client.get(url)
    assert withdrawn.status_code == 410 and "第一版事实" not in withdrawn.content.decode()


def test_error_reports_are_limited_per_address(client, world) -> None:
    from django.core.cache import cache

    from sanxiang.disclosure.portal.throttle import REPORTS_PER_WINDOW

    cache.clear()
    publication = services.publish_inspection_result(
        world.agency, source="inspection_task:2:target:1", decided_on=dt.date(2026, 3, 2),
        party_name="甲市好味食品有限公司", party_uscc=make_uscc(), title="抽查结果", content="未发现问题。",
        outcome="未发现问题")
    services.publish(world.personas["publisher"], publication.pk)
    url = reverse("portal:report_error", args=[publication.public_id])
    codes = [client.post(url, {"text": f"第{i}次"}).status_code for i in range(REPORTS_PER_WINDOW + 1)]
    assert codes == [302] * REPORTS_PER_WINDOW + [429]
    assert ErrorReport.objects.count() == REPORTS_PER_WINDOW
    other = client.post(url, {"text": "另一地址"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    cache.clear()


def test_decision_page_is_rendered_once_per_version_of_the_entry(client, world, settings) -> None:
    """The page cache serves the body rendered for the entry's current version only: an edit of
    the entry (new sequence) shows at once; with the cache off every request renders."""
    from django.test.signals import template_rendered

    entry = make_entry("对某某公司的行政处罚决定", facts="第一版事实", agency_id=world.agency.pk)
    url = reverse("portal:decision_detail", args=[entry.public_id])
    rendered: list[str] = []

    def count(sender, template, context, **kwargs) -> None:
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        first, second = client.get(url), client.get(url)
        assert first.content == second.content and "第一版事实" in second.content.decode()
        assert rendered.count("disclosure/portal/decision_detail.html") == 1
        entry.facts, entry.sequence = "更正后的事实", entry.sequence + 1000
        entry.save()
        corrected = client.get(url).content.decode()
        assert "更正后的事实" in corrected and "第一版事实" not in corrected
        assert rendered.count("disclosure/portal/decision_detail.html") == 2
        settings.PORTAL_CACHE_ENTRIES = 0
        client.get(url), client.get(url)
        assert rendered.count("disclosure/portal/decision_detail.html") == 4
    finally:
        template_rendered.disconnect(count)


def test_portal_navigation_reaches_the_public_draws(client, db) -> None:
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("public_draws:list")}"' in home and f'href="{reverse("portal:decision_list")}"' in home
