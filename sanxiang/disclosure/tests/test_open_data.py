"""Open data at /api/v1/public/: anonymous JSON, change feed, search, 410 for withdrawn, exports."""

import csv
import io
import json
import uuid

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.search.testing import make_entry
from sanxiang.testing import make_uscc

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/decisions"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> Client:
    return Client()  # nobody signed in


def get(client: Client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content.decode()
    return response.json()


def withdraw(entry, notice: str = "该决定已被撤销") -> None:
    entry.status = PublicationStatus.WITHDRAWN
    entry.withdrawn_at = timezone.now()
    entry.withdrawal_notice = notice
    entry.sequence = entry.sequence + 1000
    entry.save()


def test_list_is_anonymous_newest_first_and_pages_by_cursor(client) -> None:
    entries = [make_entry(f"第{i}号处罚决定", facts="罚款。") for i in range(5)]
    make_entry("待审核稿", status=PublicationStatus.DRAFT)
    first = get(client, URL, limit=2)
    assert [d["title"] for d in first["items"]] == ["第4号处罚决定", "第3号处罚决定"]
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert [d["title"] for d in second["items"] + third["items"]] == ["第2号处罚决定", "第1号处罚决定", "第0号处罚决定"]
    assert third["next"] is None
    item = first["items"][0]
    assert item["public_id"] == str(entries[4].public_id) and item["category_label"] == "行政处罚"
    assert item["status"] == "published" and item["fine"] == "5000.00" and "search_text" not in item


def test_filters(client) -> None:
    uscc = make_uscc()
    make_entry("许可决定", category=Category.LICENSE, agency_id=7)
    make_entry("处罚决定", party_name="某某贸易有限公司", party_uscc=uscc)
    assert [d["title"] for d in get(client, URL, category="license")["items"]] == ["许可决定"]
    assert [d["title"] for d in get(client, URL, agency=7)["items"]] == ["许可决定"]
    assert [d["title"] for d in get(client, URL, party=uscc)["items"]] == ["处罚决定"]
    assert [d["title"] for d in get(client, URL, party="贸易")["items"]] == ["处罚决定"]
    assert client.get(URL, {"category": "nonsense"}).status_code == 422
    assert client.get(URL, {"cursor": "xyz"}).status_code == 422


def test_change_feed_follows_publication_withdrawal_and_expiry(client) -> None:
    a = make_entry("甲案", facts="罚款。")
    b = make_entry("乙案", facts="罚款。")
    feed = get(client, URL, since=0)
    assert [d["title"] for d in feed["items"]] == ["甲案", "乙案"] and feed["next"] is None
    mark = feed["next_since"]
    assert mark == b.sequence
    assert get(client, URL, since=mark)["items"] == []
    withdraw(a, "决定被撤销，撤下公示")
    b.status, b.sequence = PublicationStatus.EXPIRED, b.sequence + 2000
    b.save()
    changes = get(client, URL, since=mark)["items"]
    assert [(d["public_id"], d["status"]) for d in changes] == [(str(a.public_id), "withdrawn"),
                                                                 (str(b.public_id), "expired")]
    assert changes[0]["withdrawal_notice"] == "决定被撤销，撤下公示"
    assert changes[0]["facts"] is None and changes[0]["title"] is None and changes[1]["party_name"] is None


def test_change_feed_pages(client) -> None:
    for i in range(5):
        make_entry(f"第{i}案")
    page = get(client, URL, since=0, limit=3)
    assert len(page["items"]) == 3 and page["next"]
    rest = client.get(page["next"]).json()
    assert [d["title"] for d in rest["items"]] == ["第3案", "第4案"] and rest["next"] is None


def test_search_with_highlighting_and_pages(client) -> None:
    make_entry("张三销售过期食品案", party_name="张三", facts="当事人张三销售过期牛奶<b>。")
    make_entry("李四案", party_name="李四", facts="虚假宣传。")
    for i in range(3):
        make_entry(f"第{i}号牛奶案", facts="销售过期牛奶。")
    found = get(client, URL, q="张三")
    assert [d["title"] for d in found["items"]] == ["张三销售过期食品案"] and found["total"] == 1
    assert "<mark>张三</mark>" in found["items"][0]["highlight_snippet"]
    assert "&lt;b&gt;" in found["items"][0]["highlight_snippet"]
    page = get(client, URL, q="牛奶", limit=2, order="date")
    assert page["total"] == 4 and len(page["items"]) == 2
    rest = client.get(page["next"]).json()
    assert len(rest["items"]) == 2 and rest["next"] is None
    assert client.get(URL, {"q": "牛奶", "order": "random"}).status_code == 422


@override_settings(DISCLOSURE_SEARCH_RATE="3/m")
def test_search_is_rate_limited(client) -> None:
    make_entry("某案", facts="罚款。")
    codes = [client.get(URL, {"q": "罚款"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "频繁" in client.get(URL, {"q": "罚款"}).json()["detail"]
    assert client.get(URL).status_code == 200  # listing is not search


def test_detail_and_410_for_withdrawn(client) -> None:
    entry = make_entry("某某公司虚假宣传案", facts="虚假宣传。")
    gone = make_entry("撤下案")
    withdraw(gone, "该行政处罚决定已被复议机关撤销")
    draft = make_entry("草稿", status=PublicationStatus.DRAFT)
    assert get(client, f"{URL}/{entry.public_id}")["title"] == "某某公司虚假宣传案"
    response = client.get(f"{URL}/{gone.public_id}")
    assert response.status_code == 410
    body = response.json()
    assert body["withdrawal_notice"] == "该行政处罚决定已被复议机关撤销" and "撤下" in body["detail"]
    assert "title" not in body
    for missing in (draft.public_id, uuid.uuid4()):
        assert client.get(f"{URL}/{missing}").status_code == 404
    assert client.get(f"{URL}/not-a-uuid").status_code == 422


def test_jsonl_and_csv_exports_stream_published_entries(client, monkeypatch) -> None:
    from sanxiang.disclosure import api

    monkeypatch.setattr(api, "EXPORT_BATCH", 2)  # several keyset batches
    entries = [make_entry(f"第{i}案", facts=f"事实{i}，含逗号,和\"引号\"") for i in range(5)]
    withdraw(entries[1])
    make_entry("草稿", status=PublicationStatus.DRAFT)
    response = client.get(f"{URL}.jsonl")
    assert response.streaming and response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [r["title"] for r in lines] == ["第0案", "第2案", "第3案", "第4案"]
    assert lines[0]["public_id"] == str(entries[0].public_id) and lines[0]["fine"] == "5000.00"
    response = client.get(f"{URL}.csv")
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["第0案", "第2案", "第3案", "第4案"]
    assert rows[0]["facts"] == "事实0，含逗号,和\"引号\"" and rows[0]["agency_name"] == "示例市市场监督管理局"


def test_documented_in_the_openapi_schema_with_chinese_titles(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/public/decisions", "/api/v1/public/decisions/{public_id}",
                 "/api/v1/public/decisions.jsonl", "/api/v1/public/decisions.csv"):
        operation = schema["paths"][path]["get"]
        assert "security" not in operation or operation["security"] in ([], None), path
        assert operation["summary"] and any("\u4e00" <= ch <= "\u9fff" for ch in operation["summary"])
    props = schema["components"]["schemas"]["DecisionOut"]["properties"]
    assert props["public_id"]["title"] == "公开标识" and props["sequence"]["title"] == "变更序号"
    assert "410" in schema["paths"]["/api/v1/public/decisions/{public_id}"]["get"]["responses"]


def test_csv_export_neutralises_formula_like_text(client) -> None:
    """CSV injection: a cell beginning with = + - @ gets a leading apostrophe; JSON Lines keep it."""
    name = '=HYPERLINK("http://example.invalid","点此")'
    make_entry("某案", party_name=name, legal_representative="@SUM(1)")
    text = b"".join(client.get(f"{URL}.csv").streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["party_name"] == "'" + name and row["legal_representative"] == "'@SUM(1)"
    assert row["title"] == "某案" and row["fine"] == "5000.00"
    line = json.loads(b"".join(client.get(f"{URL}.jsonl").streaming_content).decode().splitlines()[0])
    assert line["party_name"] == name
