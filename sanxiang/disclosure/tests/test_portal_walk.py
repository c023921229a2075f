"""Every portal URL, walked with data in every state: published data answers 200, a withdrawn
entry 410 with its notice, an expired one 404 with the archive note, and no response ever holds
an unpublished value; no portal query touches an internal table."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse

from sanxiang.disclosure.tests.portal_data import SECRETS, PortalData, build

# Tables the portal may read: its read models, and Django's own session/message machinery.
PUBLIC_TABLES = ("disclosure_publicentry", "disclosure_publicofficer", "disclosure_publicagency",
                 "disclosure_publicitem", "disclosure_publicinspectionitem", "disclosure_publicbenchmark",
                 "disclosure_publicserviceguide", "disclosure_publicentry_fts", "django_session")
# Reads the ledger (whose publication entries hold only public data) to build the receipt.
LEDGER_READERS = {"decision_receipt"}


@pytest.fixture
def data(world) -> PortalData:
    return build(world)


def portal_patterns() -> list[URLPattern]:
    namespace = get_resolver().namespace_dict["portal"][1]
    return [p for p in namespace.url_patterns if isinstance(p, URLPattern)]


def _kwargs_for(pattern: URLPattern, data: PortalData) -> list[dict[str, object]]:
    """Every object of ``data`` the pattern can address (and an unknown one for each)."""
    keys = set(pattern.pattern.converters)
    if not keys:
        return [{}]
    if keys == {"public_id"}:
        return [{"public_id": e.public_id} for e in
                (data.published, data.inspection_result, data.withdrawn, data.expired)] + [
                    {"public_id": data.draft.public_id}, {"public_id": uuid.uuid4()}]
    if keys == {"agency_id"}:
        return [{"agency_id": data.world.agency.pk}, {"agency_id": data.world.bureau.pk}]
    if keys == {"officer_id"}:
        return [{"officer_id": o.pk} for o in (data.officer, data.expired_officer)]
    if keys == {"guide_id"}:
        return [{"guide_id": data.guide.pk}, {"guide_id": data.hidden_guide.pk}]
    # A page added later (credential verification…): walked with placeholder values, so it is at
    # least checked for leaks and server errors until its own objects are added here.
    placeholders = {"int": 0, "uuid": uuid.UUID(int=0), "str": "x", "slug": "x", "path": "x"}
    converters = pattern.pattern.converters
    return [{key: placeholders.get(type(conv).__name__.replace("Converter", "").lower(), "x")
             for key, conv in converters.items()}]


def _walk(client, data: PortalData) -> list[tuple[str, int, str, list[str]]]:
    pages = []
    queries = {"q": "", "page": "1"}
    for pattern in portal_patterns():
        for kwargs in _kwargs_for(pattern, data):
            url = reverse(f"portal:{pattern.name}", kwargs=kwargs)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, queries if not kwargs else {})
            body = response.content.decode()
            tables = [q["sql"] for q in captured.captured_queries]
            pages.append((f"{pattern.name} {url}", response.status_code, body, tables))
    return pages


def test_no_portal_response_holds_an_unpublished_value(client, data) -> None:
    leaks = [f"{name}: {key}" for name, _, body, _ in _walk(client, data)
             for key, secret in SECRETS.items() if secret in body]
    assert not leaks, leaks


def test_statuses_of_every_portal_url(client, data) -> None:
    statuses = {name: status for name, status, _, _ in _walk(client, data)}
    d = data
    expect = {
        reverse("portal:decision_detail", args=[d.published.public_id]): 200,
        reverse("portal:decision_detail", args=[d.inspection_result.public_id]): 200,
        reverse("portal:decision_detail", args=[d.withdrawn.public_id]): 410,
        reverse("portal:decision_detail", args=[d.expired.public_id]): 404,
        reverse("portal:decision_detail", args=[d.draft.public_id]): 404,
        reverse("portal:agency_detail", args=[d.world.agency.pk]): 200,
        reverse("portal:agency_detail", args=[d.world.bureau.pk]): 404,  # 司法局: supervises, not listed
        reverse("portal:officer_detail", args=[d.officer.pk]): 200,
        reverse("portal:guide_detail", args=[d.guide.pk]): 200,
        reverse("portal:guide_detail", args=[d.hidden_guide.pk]): 404,
        reverse("portal:report_error", args=[d.published.public_id]): 200,
        reverse("portal:report_error", args=[d.withdrawn.public_id]): 404,
    }
    by_url = {name.split(" ", 1)[1]: status for name, status in statuses.items()}
    assert {url: by_url[url] for url in expect} == expect
    unexpected = {name: s for name, s in statuses.items() if s not in {200, 400, 404, 405, 410}}
    assert not unexpected
    lists = [name for name in statuses if name.split(" ")[0] in
             {"home", "agency_list", "officer_list", "item_list", "inspection_item_list", "benchmark_list",
              "guide_list", "flow", "flow_image", "supervision", "catalogs", "decision_list",
              "inspection_result_list", "statistics"}]
    assert len(lists) == 14 and all(statuses[name] == 200 for name in lists), lists


def test_portal_queries_read_only_the_published_read_models(client, data) -> None:
    import re

    offenders = []
    for name, _, _, queries in _walk(client, data):
        if name.split(" ")[0] in LEDGER_READERS:
            continue
        for sql in queries:
            tables = set(re.findall(r'(?:FROM|JOIN)\s+"?([a-z_0-9]+)"?', sql, flags=re.IGNORECASE))
            bad = [t for t in tables if t not in PUBLIC_TABLES and not t.startswith("disclosure_publicentry")]
            if bad:
                offenders.append(f"{name}: {bad}")
    assert not offenders, offenders


def test_withdrawn_entry_keeps_its_address_with_the_notice_only(client, data) -> None:
    response = client.get(reverse("portal:decision_detail", args=[data.withdrawn.public_id]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "复议决定撤销原处罚" in body and "该公示信息已撤下" in body
    assert SECRETS["withdrawn_facts"] not in body and SECRETS["withdrawn_title"] not in body


def test_expired_entry_is_404_with_the_archive_note(client, data) -> None:
    response = client.get(reverse("portal:decision_detail", args=[data.expired.public_id]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "公示期已满" in body and "存档" in body and SECRETS["expired_facts"] not in body


def test_every_portal_page_fits_a_phone(client, data) -> None:
    """The viewport meta on every HTML page, and no fixed page width in the stylesheet."""
    for name, status, body, _ in _walk(client, data):
        if status in {200, 404, 410} and "<html" in body:
            assert 'name="viewport" content="width=device-width, initial-scale=1"' in body, name
            assert 'lang="zh-Hans"' in body, name
    from django.contrib.staticfiles import finders

    css = open(finders.find("disclosure/portal.css"), encoding="utf-8").read()
    assert "max-width:1080px" in css and "width:1080px" not in css.replace("max-width:1080px", "")
    assert "@media(min-width:760px)" in css  # three parts side by side only on wide screens


def test_published_entries_are_listed_and_others_are_not(client, data) -> None:
    body = client.get(reverse("portal:decision_list")).content.decode()
    assert data.published.title in body and data.inspection_result.title in body
    penalties = client.get(reverse("portal:decision_list"), {"category": "penalty"}).content.decode()
    assert data.published.title in penalties and data.inspection_result.title not in penalties
    results = client.get(reverse("portal:inspection_result_list")).content.decode()
    assert data.inspection_result.title in results and data.published.title not in results
