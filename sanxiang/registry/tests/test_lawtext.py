"""The law library: Chinese numerals, dates, the article splitter and ``manage.py load_law``."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanxiang.registry.choices import LawLevel, LawStatus
from sanxiang.registry.laws import SHIPPED_DIR, LawMeta, import_law_text, load_law_text, shipped_laws
from sanxiang.registry.lawtext import (
    LawTextError,
    NumeralError,
    article_label,
    cn_to_int,
    infer_dates,
    int_to_cn,
    parse_cn_date,
    parse_law,
)
from sanxiang.registry.models import Article, EnforcementItem, Law

PENALTY_LAW = SHIPPED_DIR / "行政处罚法(2021-01-22).md"


@pytest.fixture(scope="module")
def penalty_law():
    return parse_law(PENALTY_LAW.read_text(encoding="utf-8"))


# --- numerals -------------------------------------------------------------------------------


@pytest.mark.parametrize(("numeral", "value"), [
    ("一", 1), ("十", 10), ("十五", 15), ("二十", 20), ("一百", 100), ("一百零五", 105),
    ("一百一十", 110), ("一百二十二", 122), ("一千", 1000), ("一千零一", 1001), ("一千零一十", 1010),
    ("一千二百", 1200), ("两百", 200), ("二〇二一", 2021), ("九千九百九十九", 9999),
])
def test_numerals_parse(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


@pytest.mark.parametrize(("value", "numeral"), [
    (1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (101, "一百零一"), (110, "一百一十"),
    (1001, "一千零一"), (1010, "一千零一十"), (1100, "一千一百"),
])
def test_numerals_write_as_statutes_do(value: int, numeral: str) -> None:
    assert int_to_cn(value) == numeral


def test_numerals_round_trip_to_1200() -> None:
    for number in range(1, 1201):
        assert cn_to_int(int_to_cn(number)) == number
        assert article_label(number) == f"第{int_to_cn(number)}条"


@pytest.mark.parametrize("bad", ["", "十十", "百一", "一百五", "一二百", "一百零", "零五", "五a", "第一"])
def test_bad_numerals_are_refused(bad: str) -> None:
    with pytest.raises(NumeralError):
        cn_to_int(bad)


def test_dates() -> None:
    assert parse_cn_date("2021年1月22日 第十三届全国人民代表大会常务委员会") == datetime.date(2021, 1, 22)
    assert parse_cn_date("二〇二一年一月二十二日") == datetime.date(2021, 1, 22)
    assert parse_cn_date("自2019年12月1日起施行") == datetime.date(2019, 12, 1)
    with pytest.raises(ValueError):
        parse_cn_date("没有日期")
    with pytest.raises(ValueError):
        parse_cn_date("2021年2月30日")


def test_preamble_dates() -> None:
    preamble = ("2009年7月20日 中华人民共和国国务院令第557号公布\n"
                "2019年10月11日 国务院令第721号公布\n2019年12月1日 施行")
    assert infer_dates(preamble) == (datetime.date(2019, 10, 11), datetime.date(2019, 12, 1))


# --- the splitter on the shipped 行政处罚法 ----------------------------------------------------


def test_penalty_law_title_preamble_and_count(penalty_law) -> None:
    assert penalty_law.title == "中华人民共和国行政处罚法"
    assert penalty_law.preamble.splitlines()[0] == "1996年3月17日 第八届全国人民代表大会第四次会议通过"
    assert penalty_law.preamble.splitlines()[-1].startswith("2021年1月22日")
    assert len(penalty_law.articles) == 86
    assert [a.number for a in penalty_law.articles] == list(range(1, 87))


def test_article_51_simple_procedure(penalty_law) -> None:
    article = penalty_law.article(51)
    assert article.label == "第五十一条"
    assert article.chapter == "第五章 行政处罚的决定 · 第二节 简易程序"
    assert article.text == (
        "违法事实确凿并有法定依据，对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告的"
        "行政处罚的，可以当场作出行政处罚决定。法律另有规定的，从其规定。"
    )


def test_article_60_deadline(penalty_law) -> None:
    article = penalty_law.article(60)
    assert article.chapter == "第五章 行政处罚的决定 · 第三节 普通程序"
    assert article.text == ("行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。"
                            "法律、法规、规章另有规定的，从其规定。")


def test_article_with_several_paragraphs(penalty_law) -> None:
    paragraphs = penalty_law.article(64).text.split("\n")
    assert len(paragraphs) == 9
    assert paragraphs[0] == "听证应当依照以下程序组织："
    assert paragraphs[1] == "（一）当事人要求听证的，应当在行政机关告知后五日内提出；"
    assert paragraphs[-1].startswith("（八）听证应当制作笔录。")
    assert penalty_law.article(5).text.count("\n") == 2


def test_chapter_labels(penalty_law) -> None:
    assert penalty_law.article(1).chapter == "第一章 总则"
    assert penalty_law.article(9).chapter == "第二章 行政处罚的种类和设定"
    assert penalty_law.article(86).chapter == "第八章 附则"
    # A new chapter drops the previous chapter's section.
    assert penalty_law.article(66).chapter == "第六章 行政处罚的执行"


def test_cross_reference_is_not_an_article_start(penalty_law) -> None:
    # Article 67's second paragraph cites articles 68 and 69 by label; it stays in article 67.
    assert penalty_law.article(67).text.split("\n")[1].startswith("除依照本法第六十八条、第六十九条的规定")
    assert penalty_law.article(68).text.startswith("依照本法第五十一条的规定")
    text = ("# 示例法\n<!-- INFO END -->\n## 第一章 总则\n"
            "第一条 甲。\n第二十一条规定的组织，依照本法执行。\n第二条 乙。\n")
    law = parse_law(text)
    assert [a.number for a in law.articles] == [1, 2]
    assert law.article(1).text == "甲。\n第二十一条规定的组织，依照本法执行。"


def test_spaced_chapter_titles_are_normalised() -> None:
    text = "# 示例法\n<!-- INFO END -->\n## 第一章  总 则\n### 第一节 一般 规定\n第一条\u3000甲。\n"
    assert parse_law(text).article(1).chapter == "第一章 总则 · 第一节 一般规定"


def test_gap_in_numbering_raises() -> None:
    text = "# 示例法\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n第四条 丙。\n"
    with pytest.raises(LawTextError, match="第二条之后应为第三条，实际为第四条"):
        parse_law(text)


def test_repeated_number_and_stray_paragraph_raise() -> None:
    with pytest.raises(LawTextError, match="条号不连续"):
        parse_law("# 示例法\n<!-- INFO END -->\n第一条 甲。\n第一条 乙。\n")
    with pytest.raises(LawTextError, match="第一条之前"):
        parse_law("# 示例法\n<!-- INFO END -->\n正文。\n第一条 甲。\n")
    with pytest.raises(LawTextError, match="没有找到"):
        parse_law("# 示例法\n<!-- INFO END -->\n")


@pytest.mark.parametrize("shipped", shipped_laws(), ids=lambda s: s.path.name)
def test_every_shipped_law_splits(shipped) -> None:
    law = parse_law(shipped.path.read_text(encoding="utf-8"))
    assert len(law.articles) > 40
    assert all(a.text for a in law.articles)
    assert shipped.meta.level in LawLevel.values


# --- loading ----------------------------------------------------------------------------------


def test_load_law_text_stores_articles(db) -> None:
    law = load_law_text(PENALTY_LAW.read_text(encoding="utf-8"), level=LawLevel.LAW,
                        issuing_body="全国人民代表大会常务委员会", promulgated_on=datetime.date(2021, 1, 22))
    assert law.agency is None
    assert law.articles.count() == 86
    assert law.articles.get(number=60).label == "第六十条"
    assert law.preamble.count("\n") == 3


def test_load_law_command_is_idempotent(db, tmp_path: Path) -> None:
    call_command("load_law", "--shipped", stdout=StringIO())
    counts = (Law.objects.count(), Article.objects.count())
    assert counts[0] == len(shipped_laws())
    out = StringIO()
    call_command("load_law", "--shipped", stdout=out)
    call_command("load_law", str(PENALTY_LAW), stdout=out)
    assert (Law.objects.count(), Article.objects.count()) == counts
    assert "新增" not in out.getvalue().replace("条款新增0", "")
    penalty = Law.objects.get(title="中华人民共和国行政处罚法")
    assert (penalty.level, penalty.status, penalty.effective_on) == (
        LawLevel.LAW, LawStatus.IN_FORCE, datetime.date(2021, 7, 15))


def test_reload_updates_changed_articles(db) -> None:
    meta = LawMeta(level=LawLevel.LAW, promulgated_on=datetime.date(2024, 1, 1))
    first = import_law_text("# 示例法\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n第三条 丙。\n", meta)
    assert (first.law_created, first.articles_created) == (True, 3)
    again = import_law_text("# 示例法\n<!-- INFO END -->\n第一条 甲。\n第二条 乙乙。\n", meta)
    assert (again.law_created, again.articles_created, again.articles_updated, again.articles_deleted) == (
        False, 0, 1, 1)
    assert list(first.law.articles.values_list("text", flat=True)) == ["甲。", "乙乙。"]


def test_cited_article_is_not_deleted(world) -> None:
    meta = LawMeta(level=LawLevel.LAW, promulgated_on=datetime.date(2024, 1, 1))
    law = load_law_text("# 示例法\n<!-- INFO END -->\n第一条 甲。\n第二条 乙。\n", **meta.__dict__)
    item = EnforcementItem.objects.create(agency=world.agency, code="X1", name="示例事项", kind="penalty")
    item.legal_basis.add(law.articles.get(number=2))
    with pytest.raises(LawTextError, match="仍有执法事项引用"):
        import_law_text("# 示例法\n<!-- INFO END -->\n第一条 甲。\n", meta)
    assert law.articles.count() == 2


def test_load_law_command_reports_bad_text(db, tmp_path: Path) -> None:
    bad = tmp_path / "示例法(2024-01-01).md"
    bad.write_text("# 示例法\n<!-- INFO END -->\n第一条 甲。\n第三条 丙。\n", encoding="utf-8")
    with pytest.raises(CommandError, match="条号不连续"):
        call_command("load_law", str(bad), "--level", "law", stdout=StringIO())
    assert not Law.objects.exists()


def test_load_law_command_guesses_meta_from_file(db, tmp_path: Path) -> None:
    path = tmp_path / "示例条例(2024-03-01).md"
    path.write_text("# 示例条例\n2024年3月1日 中华人民共和国国务院令第999号公布\n"
                    "<!-- INFO END -->\n第一条 甲。\n", encoding="utf-8")
    call_command("load_law", str(path), stdout=StringIO())
    law = Law.objects.get(title="示例条例")
    assert (law.level, law.issuing_body, law.promulgated_on) == (
        LawLevel.ADMIN_REGULATION, "国务院", datetime.date(2024, 3, 1))
