"""The publisher's edits: re-applying replacements (from JSON), undoing one, adding one, segments."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.disclosure.deidentify import Deidentified, Replacement, add, apply, deidentify, undo

TEXT = "当事人：张三，男，联系电话：13800138000，住成都市武侯区锦城苑3栋501室。证人李四、张伟证实。"


@pytest.fixture
def result() -> Deidentified:
    return deidentify(TEXT, people=[{"name": "张三"}, {"name": "张伟"}])


def test_the_result_survives_json(result):
    stored = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert Deidentified.from_dict(stored) == result
    assert apply(TEXT, stored["replacements"]) == result
    assert [Replacement.from_dict(r) for r in stored["replacements"]] == list(result.replacements)


def test_undo_puts_the_original_back(result):
    phone = next(r for r in result.replacements if r.kind == "phone")
    undone = undo(result, phone.to_dict())
    assert "13800138000" in undone.text
    assert phone not in undone.replacements
    assert len(undone.replacements) == len(result.replacements) - 1
    with pytest.raises(ValueError, match="没有这一替换项"):
        undo(undone, phone)


def test_add_a_span_the_publisher_selected(result):
    start = TEXT.index("男")
    added = add(result, start, start + 1)
    assert "，【已隐去】，" in added.text
    assert added.replacements[1] == Replacement(start, start + 1, "男", "manual", "【已隐去】", "manual")


def test_adding_a_name_reuses_its_pseudonym_or_makes_a_new_one(result):
    again = TEXT + "张三再次违法。"
    extended = apply(again, result.replacements)
    start = again.rindex("张三")
    assert add(extended, start, start + 2, kind="name").text.endswith("张某甲再次违法。")
    start = again.index("李四")
    # 李四 was recognised as a witness already: selecting it again merges into the same span
    reselected = add(extended, start, start + 2, kind="name")
    assert reselected.text == extended.text
    assert len(reselected.replacements) == len(extended.replacements)


def test_an_added_span_swallows_the_replacements_it_overlaps(result):
    start = TEXT.index("成都市")
    end = TEXT.index("。")
    added = add(result, start, end, kind="address")
    assert "住【详细地址】。" in added.text
    assert sum(r.kind == "address" for r in added.replacements) == 1


def test_segments_mark_every_replacement(result):
    segments = result.segments()
    assert "".join(s.original for s in segments) == TEXT
    assert "".join(s.text for s in segments) == result.text
    marked = [s.replacement for s in segments if s.replacement]
    assert marked == list(result.replacements)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"start": 4, "end": 6, "original": "李四", "kind": "name", "replacement": "李某"}, "与原文不符"),
        ({"start": 4, "end": 999, "original": "张三", "kind": "name", "replacement": "张某"}, "超出原文范围"),
        ({"start": 4, "kind": "name"}, "格式错误"),
    ],
)
def test_stale_or_broken_replacements_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        apply(TEXT, [bad])


def test_overlapping_replacements_are_refused():
    one = Replacement(4, 6, "张三", "name", "张某")
    two = Replacement(5, 7, "三，", "manual", "【已隐去】")
    with pytest.raises(ValueError, match="重叠"):
        apply(TEXT, [one, two])


def test_add_refuses_an_empty_or_outside_span(result):
    with pytest.raises(ValueError, match="所选范围无效"):
        add(result, 5, 5)
    with pytest.raises(ValueError, match="所选范围无效"):
        add(result, 0, len(TEXT) + 1)


_FRAGMENTS = [
    "当事人",
    "：",
    "张三",
    "欧阳",
    "某某",
    "，男，",
    "证人",
    "、",
    "住",
    "成都市武侯区",
    "锦城苑",
    "3栋",
    "501室",
    "身份证号码",
    "电话",
    "13800138000",
    "１３８",
    " ",
    "-",
    "·",
    "X",
    "川A",
    "12345",
    "6222021234567890128",
    "统一社会信用代码",
    "91510107MA6CX0000X",
    "@qq.com",
    "《",
    "》",
    "\n",
    "。",
    "执法人员",
    "王*明",
    "〔2024〕",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
def test_any_text_gives_disjoint_replacements_that_rebuild_it(text):
    result = deidentify(text, people=[{"name": "张三", "phone": "13800138000"}])
    assert apply(text, result.replacements) == result
    for item in result.replacements:
        assert text[item.start : item.end] == item.original and item.replacement
    assert "13800138000" not in result.text.replace(" ", "")
