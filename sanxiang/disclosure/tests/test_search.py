"""Search over published decisions: the same tests run on SQLite FTS5 and PostgreSQL full text."""

import datetime as dt

import pytest
from django.db import connection

from sanxiang.disclosure.choices import Category, PublicationStatus
from sanxiang.disclosure.models import PublicEntry
from sanxiang.disclosure.search import SearchError, search
from sanxiang.disclosure.search.segment import index_words, query_words
from sanxiang.disclosure.search.testing import make_entry
from sanxiang.testing import make_uscc

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [hit.entry.title for hit in results.hits]


@pytest.fixture
def decisions() -> dict[str, PublicEntry]:
    uscc = make_uscc()
    return {
        "zhang": make_entry("张三销售过期食品案", party_name="张三",
                            facts="当事人张三在其经营场所销售超过保质期的牛奶12盒，货值金额96元。"),
        "ad": make_entry("某某科技有限公司虚假宣传案", party_name="某某科技有限公司", party_uscc=uscc,
                         facts="当事人在网站上对其产品作虚假宣传，没收违法所得3000元。",
                         content="责令改正，罚款人民币二万元。", decided_on=dt.date(2026, 1, 15)),
        "license": make_entry("食品经营许可证核发", category=Category.LICENSE, party_name="某某餐饮店",
                              facts="申请人提交的材料齐全，符合法定形式。", content="准予行政许可。", outcome="准予许可", fine=None,
                              agency_id=2, agency_name="示例市行政审批局", decided_on=dt.date(2026, 4, 1)),
        "withdrawn": make_entry("张三无证经营案（已撤下）", party_name="张三", facts="张三无证经营，罚款。",
                                status=PublicationStatus.WITHDRAWN),
        "expired": make_entry("张三占道经营案（期满）", party_name="张三", facts="张三占道经营，罚款。",
                              status=PublicationStatus.EXPIRED),
        "draft": make_entry("张三未公示稿", party_name="张三", facts="罚款", status=PublicationStatus.DRAFT),
    }


def test_two_character_queries_find_their_matches(decisions) -> None:
    # FTS5's trigram tokenizer returns nothing under 3 characters; jieba words do.
    assert titles(search("张三")) == ["张三销售过期食品案"]
    assert set(titles(search("罚款"))) == {"张三销售过期食品案", "某某科技有限公司虚假宣传案"}
    assert titles(search("牛奶")) == ["张三销售过期食品案"]


def test_name_glued_to_the_next_character_is_still_found() -> None:
    # jieba reads 张三在 as one unknown word; its two-character pieces are indexed too.
    assert "张三" in index_words("当事人张三在其经营场所")
    make_entry("某案", party_name="某某", facts="经查，当事人张三在其经营场所销售过期食品。")
    assert titles(search("张三")) == ["某案"]


def test_legal_terms_and_their_parts(decisions) -> None:
    assert query_words("虚假宣传") == ["虚假宣传"]
    for query in ("虚假宣传", "虚假", "宣传", "违法所得", "没收违法所得", "责令改正"):
        assert titles(search(query)) == ["某某科技有限公司虚假宣传案"], query


def test_every_word_of_a_query_must_match(decisions) -> None:
    assert titles(search("张三 牛奶")) == ["张三销售过期食品案"]
    assert titles(search("张三 虚假宣传")) == []
    assert titles(search("销售过期牛奶")) == ["张三销售过期食品案"]


def test_only_published_entries_are_found(decisions) -> None:
    found = titles(search("张三", order="date"))
    assert found == ["张三销售过期食品案"]
    assert search("占道").total == 0 and search("无证经营").total == 0 and search("未公示稿").total == 0


def test_filters(decisions) -> None:
    assert titles(search("", category=Category.LICENSE)) == ["食品经营许可证核发"]
    assert titles(search("食品", agency=2)) == ["食品经营许可证核发"]
    assert titles(search("食品", agency=1)) == ["张三销售过期食品案"]
    assert set(titles(search("", date_from=dt.date(2026, 3, 1)))) == {"张三销售过期食品案", "食品经营许可证核发"}
    assert titles(search("", date_to=dt.date(2026, 2, 1))) == ["某某科技有限公司虚假宣传案"]
    uscc = decisions["ad"].party_uscc
    assert titles(search("", party=uscc)) == ["某某科技有限公司虚假宣传案"]
    assert titles(search("", party=uscc.lower())) == ["某某科技有限公司虚假宣传案"]
    assert titles(search("", party="科技")) == ["某某科技有限公司虚假宣传案"]
    assert titles(search("罚款", party="张三")) == ["张三销售过期食品案"]
    assert titles(search("", party="100%_")) == []


def test_relevance_and_date_order() -> None:
    once = make_entry("甲公司案", facts="销售假冒产品。")
    many = make_entry("乙公司案", facts="多次销售假冒产品，假冒注册商标，假冒伪劣，假冒他人厂名。")
    newest = make_entry("丙公司案", facts="经营假冒产品。")
    assert titles(search("假冒", order="relevance"))[0] == many.title
    assert titles(search("假冒", order="date")) == [newest.title, many.title, once.title]
    results = search("假冒")
    assert results.hits[0].score > results.hits[-1].score
    assert once.title in titles(search("假冒"))


def test_highlighting_marks_the_words_and_escapes_the_rest() -> None:
    make_entry("<script>alert(1)</script>张三案", facts="当事人张三 & 李四销售<b>过期</b>食品，罚款。")
    hit = search("张三 罚款").hits[0]
    assert hit.title == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>张三</mark>案"
    assert "<mark>张三</mark> &amp; 李四销售&lt;b&gt;过期&lt;/b&gt;食品，<mark>罚款</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "<script>" not in hit.title


def test_snippet_is_cut_around_the_first_match() -> None:
    facts = "经查明，" + "当事人经营场所位于示例市。" * 20 + "当事人销售过期牛奶。" + "其他情况。" * 20
    make_entry("长文书", facts=facts)
    snippet = search("牛奶").hits[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…") and "<mark>牛奶</mark>" in snippet
    assert len(snippet) < 140


def test_pagination_and_totals() -> None:
    for i in range(7):
        make_entry(f"第{i}号抽查结果", category=Category.INSPECTION_RESULT, facts="随机抽查未发现问题。")
    first = search("抽查", per_page=3, order="date")
    assert (first.total, first.pages, first.page, first.total_capped) == (7, 3, 1, False)
    assert titles(first) == ["第6号抽查结果", "第5号抽查结果", "第4号抽查结果"]
    assert titles(search("抽查", per_page=3, page=3, order="date")) == ["第0号抽查结果"]
    seen = [t for page in (1, 2, 3) for t in titles(search("抽查", per_page=3, page=page))]
    assert sorted(seen) == sorted(f"第{i}号抽查结果" for i in range(7))
    assert search("抽查", per_page=1000).per_page == 100


def test_bad_requests_are_refused_in_chinese() -> None:
    with pytest.raises(SearchError, match="排序方式"):
        search("罚款", order="random")
    with pytest.raises(SearchError, match="最多查看前"):
        search("罚款", page=10_000)


def test_query_syntax_is_not_interpreted() -> None:
    make_entry("某案", facts="罚款 OR 警告")
    for query in ('"', "罚款 OR", "NEAR(罚款", "*", "罚款 -警告", "a:b", "'"):
        search(query)  # no error from the FTS query parser
    assert titles(search("罚款 OR")) == ["某案"]


def test_index_follows_changes_and_deletes() -> None:
    entry = make_entry("某案", facts="销售过期食品。")
    entry.search_text = "无证 经营"
    entry.save()
    assert search("过期").total == 0 and search("无证").total == 1
    entry.delete()
    assert search("无证").total == 0


def test_backend_objects_exist() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'disclosure_search'")
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'disclosure_publicentry_search_gin'")
        row = cursor.fetchone()
    assert row is not None
    if connection.vendor == "postgresql":
        assert "gin" in row[0].lower()


def test_plans_for_a_guessed_window_fall_back_to_every_match(monkeypatch) -> None:
    # PostgreSQL chooses its plan from the matches among the newest rows; with a tiny probe the
    # guessed window of ids misses the oldest match, and the search must still find it.
    from sanxiang.disclosure.search import backends

    monkeypatch.setattr(backends, "PROBE_ROWS", 4)
    monkeypatch.setattr(backends, "WALK_ROWS", 1)
    oldest = make_entry("最早的牛奶案", facts="销售过期牛奶。")
    for i in range(28):
        make_entry(f"第{i}号其他案", facts="未按规定公示年度报告。")
    newest = make_entry("最新的牛奶案", facts="销售过期牛奶。")
    assert titles(search("牛奶", order="date", per_page=1)) == [newest.title]
    assert titles(search("牛奶", order="date", per_page=1, page=2)) == [oldest.title]
    results = search("牛奶")
    assert results.total == 2 and set(titles(results)) == {oldest.title, newest.title}
