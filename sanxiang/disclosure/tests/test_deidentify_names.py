"""Names: known people in every written form, pseudonyms (张某, 张某甲, 欧阳某), recognition without
known people, officers kept, and words that are not names left alone."""

from __future__ import annotations

import pytest

from sanxiang.disclosure.deidentify import add, deidentify, suggest_names


def names(result) -> list[tuple[str, str]]:
    return [(r.original, r.replacement) for r in result.replacements if r.kind == "name"]


# --- known people -------------------------------------------------------------------------------------


def test_a_known_name_in_every_form_gets_one_pseudonym():
    text = "当事人张三，经查，张　三于5月购入原料；张 三某某称不知情。张三的店已关闭。"
    result = deidentify(text, people=[{"name": "张三"}])
    assert result.text == "当事人张某，经查，张某于5月购入原料；张某称不知情。张某的店已关闭。"
    assert {pseudonym for _, pseudonym in names(result)} == {"张某"}


def test_people_with_one_surname_are_told_apart_in_order_of_appearance():
    text = "证人张伟称，当事人张磊于当日销售，张伟与张磊系同事。李娜在场。"
    result = deidentify(text, people=[{"name": "张磊"}, {"name": "张伟"}, {"name": "李娜"}])
    assert result.text == "证人张某甲称，当事人张某乙于当日销售，张某甲与张某乙系同事。李某在场。"


def test_compound_surnames_keep_both_characters():
    result = deidentify("当事人欧阳娜娜，法定代表人：司马光。", people=[{"name": "欧阳娜娜"}])
    assert result.text == "当事人欧阳某，法定代表人：司马某。"


def test_pseudonyms_already_in_the_text_are_not_handed_out_again():
    text = "另案当事人张某已处理。本案当事人张三于2024年销售……"
    result = deidentify(text, people=[{"name": "张三"}])
    assert result.text == "另案当事人张某已处理。本案当事人张某甲于2024年销售……"


def test_a_partially_masked_name_is_the_known_person_it_can_be():
    text = "当事人王小明（系王*明本人）"
    result = deidentify(text, people=[{"name": "王小明"}])
    assert result.text == "当事人王某（系王某本人）"


def test_aliases_and_values_of_known_people():
    person = {
        "name": "刘建华",
        "aliases": ["刘老三"],
        "phone": ["13800138000", "028-85123456"],
        "plate": "川A12345",
    }
    text = "刘老三（电话85123456）驾驶川A·12345号车。"
    result = deidentify(text, people=[person])
    assert result.text == "刘某（电话【电话号码】）驾驶【车牌号码】号车。"


# --- recognition without known people ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("当事人：刘建华，男，汉族。", "当事人：刘某，男，汉族。"),
        ("当事人刘建华于2024年3月开始经营。", "当事人刘某于2024年3月开始经营。"),
        ("证人王五、赵六证实上述事实。", "证人王某、赵某证实上述事实。"),
        ("姓名：李华\n性别：女", "姓名：李某\n性别：女"),
        ("法定代表人（负责人）：孙丽。", "法定代表人（负责人）：孙某。"),
        ("委托代理人：上官婉儿，女，", "委托代理人：上官某，女，"),
        ("\n陈志强，男，1980年1月1日出生", "\n陈某，男，1980年1月1日出生"),
        ("经查，周杰（身份证号码：略）系店员。", "经查，周某（身份证号码：略）系店员。"),
        ("顾客孙丽反映面包过期，孙丽提供了小票。", "顾客孙某反映面包过期，孙某提供了小票。"),
        ("其妹高丽（手机号略）称", "其妹高某（手机号略）称"),
        ("当事人：王某某，男。", "当事人：王某某，男。"),
    ],
)
def test_names_by_context(text, expected):
    assert deidentify(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "当事人陈述称其不知情。",
        "导游强迫其在店内停留。",
        "当事人应当在十五日内缴纳罚款。",
        "违反了《侵害消费者权益行为处罚办法》第六条。",
        "当事人：成都好味道餐饮有限公司，住所：成都市武侯区。",
        "成都市武侯区市场监督管理局\n武文旅罚〔2024〕9号",
        "当事人于2024年5月向本局申请听证。",
        "经营者未建立进货查验记录制度。",
    ],
)
def test_words_that_are_not_names_stay(text):
    assert deidentify(text).replacements == ()


def test_officers_are_kept():
    text = "执法人员陈建国、周杰（执法证号：51010021001、51010021002）向当事人李四送达。承办人：吴敏"
    result = deidentify(text)
    assert (
        result.text
        == "执法人员陈建国、周杰（执法证号：51010021001、51010021002）向当事人李某送达。承办人：吴敏"
    )
    named = deidentify("检查时王芳在场，王芳出示了执法证。", officers=["王芳"], guess_names=True)
    assert named.replacements == ()


def test_keep_leaves_other_values_alone():
    text = "如有疑问请拨打本局电话028-85123456。"
    assert deidentify(text, keep=["028-85123456"]).text == text


# --- guesses -------------------------------------------------------------------------------------------


def test_names_without_context_are_suggested_or_guessed():
    text = "经查，2024年3月，刘建华在其店内销售过期食品。"
    result = deidentify(text)
    assert result.replacements == ()
    (suggestion,) = suggest_names(result)
    assert (suggestion.original, suggestion.replacement, suggestion.source) == ("刘建华", "刘某", "segmenter")
    accepted = add(result, suggestion.start, suggestion.end, kind="name")
    assert accepted.text == "经查，2024年3月，刘某在其店内销售过期食品。"
    assert deidentify(text, guess_names=True).text == accepted.text


def test_an_organisation_named_after_its_owner_keeps_its_name():
    text = "当事人：成都市武侯区张三小吃店，经营者：张三。张三称其不知情。"
    result = deidentify(text, organisations=[{"name": "成都市武侯区张三小吃店"}])
    assert result.text == "当事人：成都市武侯区张三小吃店，经营者：张某。张某称其不知情。"
