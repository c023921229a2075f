"""The draw file: built, written, read back and verified; every kind of alteration is caught."""

import copy
import io
import json

import pytest

from sanxiang.inspections.draw import (
    FORMAT,
    DrawFileError,
    DrawInputError,
    build_draw_document,
    check_draw_document,
    dump_draw_document,
    load_draw_document,
    perform_draw,
    randomness_object,
    verify_draw_document,
)
from sanxiang.inspections.draw import commitment as commit
from sanxiang.inspections.draw.samples import synthetic_inputs

RANDOMNESS = randomness_object("9d" * 32, 1234, "20260302-beacon")


@pytest.fixture(scope="module")
def document():
    inputs = synthetic_inputs(targets=2000, inspectors=25, exclusions=400)
    return build_draw_document(inputs, RANDOMNESS)


def altered(document, change):
    copied = copy.deepcopy(document)
    change(copied)
    return copied


def test_the_document_holds_every_input_and_the_result(document):
    assert document["format"] == FORMAT
    assert set(document) == {"format", "inputs", "commitment", "commitment_summary", "randomness", "seed", "result"}
    result = perform_draw(document["inputs"], RANDOMNESS)
    assert document["commitment"] == result.commitment
    assert document["result"] == result.as_json()
    assert document["randomness"] == {"checkpoint_root": "9d" * 32, "checkpoint_size": 1234,
                                      "beacon": "20260302-beacon"}


def test_a_faithful_document_verifies(document):
    check = check_draw_document(document)
    assert check.ok, check.problems
    assert verify_draw_document(document) == []
    assert any("与按公布的输入重算的一致" in fact for fact in check.facts)
    assert any("未附全过程记录凭证" in fact for fact in check.facts)


def test_written_and_read_back_it_still_verifies(document):
    stream = io.StringIO()
    dump_draw_document(document, stream)
    text = stream.getvalue()
    assert "\n" not in text[:-1] and "高风险" in text  # compact UTF-8, not \\u escapes
    loaded = load_draw_document(io.BytesIO(text.encode("utf-8")))
    assert loaded == document
    assert verify_draw_document(loaded) == []


@pytest.mark.parametrize("name,change,expected", [
    ("target removed", lambda d: d["inputs"]["targets"]["low"].pop(5), "抽查层 low 的检查对象名单与承诺时不同"),
    ("target added", lambda d: d["inputs"]["targets"]["high"].append("99999999999999999X"),
     "抽查层 high 的检查对象名单与承诺时不同"),
    ("target replaced", lambda d: d["inputs"]["targets"]["medium"].__setitem__(0, "91330100000000000A"),
     "抽查层 medium 的检查对象名单与承诺时不同"),
    ("inspector removed", lambda d: d["inputs"]["inspectors"].pop(), "检查人员名单与承诺时不同"),
    ("exclusion removed", lambda d: d["inputs"]["exclusions"].pop(0), "回避记录与承诺时不同"),
    ("exclusion reason", lambda d: d["inputs"]["exclusions"][0].__setitem__(2, "relationship")
     if d["inputs"]["exclusions"][0][2] != "relationship" else d["inputs"]["exclusions"][0].__setitem__(2, "declared_conflict"),
     "回避记录与承诺时不同"),
    ("ratio changed", lambda d: d["inputs"]["plan"]["strata"][2].update(percent="6"), "计划与承诺时不同"),
    ("commitment", lambda d: d.update(commitment="0" * 64), "承诺值不符"),
    ("root", lambda d: d["randomness"].update(checkpoint_root="9e" + "9d" * 31), "种子不符"),
    ("size", lambda d: d["randomness"].update(checkpoint_size=1235), "种子不符"),
    ("beacon", lambda d: d["randomness"].update(beacon="20260303-beacon"), "种子不符"),
    ("beacon dropped", lambda d: d["randomness"].pop("beacon"), "种子不符"),
    ("seed", lambda d: d.update(seed="1" * 64), "种子不符"),
    ("drawn target swapped", lambda d: d["result"]["strata"][0]["targets"].__setitem__(
        0, next(t for t in d["inputs"]["targets"]["high"] if t not in d["result"]["strata"][0]["targets"])),
     "抽查层 high 抽中的检查对象与重算结果不同（自第 1 个起）"),
    ("drawn order", lambda d: d["result"]["strata"][1]["targets"].reverse(), "抽查层 medium 抽中的检查对象与重算结果不同"),
    ("inspector swapped", lambda d: d["result"]["strata"][2]["inspectors"][3].reverse(),
     "抽查层 low 的检查人员分配与重算结果不同"),
    ("count", lambda d: d["result"]["strata"][0].update(count=1), "抽查层 high 的抽中数不符"),
    ("shortfall invented", lambda d: d["result"]["shortfalls"].append(
        {"stratum": "high", "target": d["result"]["strata"][0]["targets"][0], "required": 2, "assigned": 1}),
     "检查人员不足的记录与重算结果不符"),
])
def test_every_alteration_is_caught(document, name, change, expected):
    problems = verify_draw_document(altered(document, change))
    assert problems, name
    assert any(expected in p for p in problems), problems


def test_changed_inputs_explain_themselves_only_with_a_trustworthy_summary(document):
    doc = altered(document, lambda d: d["inputs"]["targets"]["low"].pop())
    doc["commitment_summary"]["plan"] = {"forged": True}  # the summary no longer hashes to the commitment
    problems = verify_draw_document(doc)
    assert any("承诺值不符" in p for p in problems)
    assert not any("与承诺时不同" in p for p in problems)


def test_a_consistent_forgery_passes_the_file_checks_alone(document):
    """Re-running the draw on altered inputs yields a self-consistent file: only the ledger
    evidence (test_draw_witness) can show the commitment is not the recorded one."""
    inputs = altered(document["inputs"], lambda i: i["targets"]["high"].append("913301999999999999"))
    forged = build_draw_document(inputs, RANDOMNESS)
    assert forged["commitment"] != document["commitment"]
    assert verify_draw_document(forged) == []


def test_invalid_inputs_are_reported_not_redrawn(document):
    problems = verify_draw_document(altered(document, lambda d: d["inputs"]["inspectors"].reverse()))
    assert any("输入不合规则：检查人员名单未按升序排列" in p for p in problems)
    assert any("无法重算抽取结果" in p for p in problems)


def test_overlapping_strata_drawn_twice_are_reported():
    inputs = synthetic_inputs(targets=60, inspectors=6, exclusions=0)
    inputs["plan"]["strata"] = [{"key": k, "label": k, "percent": "100"} for k in ("high", "medium", "low")]
    shared = inputs["targets"]["low"][0]
    inputs["targets"]["high"] = sorted(inputs["targets"]["high"] + [shared])
    with pytest.raises(DrawInputError, match="同时出现在多个抽查层中"):
        build_draw_document(inputs, RANDOMNESS)
    summary = commit.summary(inputs)
    from sanxiang.inspections.draw.engine import draw_from

    result = draw_from(inputs, commit.commitment_of_summary(summary), RANDOMNESS)
    document = {"format": FORMAT, "inputs": inputs, "commitment": result.commitment, "commitment_summary": summary,
                "randomness": RANDOMNESS, "seed": result.seed, "result": result.as_json()}
    assert any(f"在多个抽查层中被抽中（各抽查层的名单有重叠）：{shared}" in p for p in verify_draw_document(document))


@pytest.mark.parametrize("randomness,reason", [
    ({"checkpoint_root": "AB" * 32, "checkpoint_size": 3}, "64 位小写十六进制"),
    ({"checkpoint_root": "ab" * 31, "checkpoint_size": 3}, "64 位小写十六进制"),
    ({"checkpoint_root": "ab" * 32, "checkpoint_size": 0}, "正整数"),
    ({"checkpoint_root": "ab" * 32, "checkpoint_size": 3, "beacon": ""}, "非空字符串"),
    ({"checkpoint_root": "ab" * 32, "checkpoint_size": 3, "salt": "x"}, "未定义的字段：salt"),
])
def test_malformed_randomness_is_refused(document, randomness, reason):
    with pytest.raises(DrawInputError, match=reason):
        build_draw_document(document["inputs"], randomness)
    assert any(reason in p for p in verify_draw_document({**document, "randomness": randomness}))


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe", b"[]", json.dumps({"format": "other"}).encode()])
def test_unreadable_files_raise(content):
    with pytest.raises(DrawFileError):
        load_draw_document(io.BytesIO(content))


def test_not_a_draw_document():
    assert verify_draw_document({"format": "sanxiang-ledger-receipt/1"}) == [
        f"不是随机抽取结果文件（format 应为 {FORMAT}）"]
    assert verify_draw_document([]) != []
