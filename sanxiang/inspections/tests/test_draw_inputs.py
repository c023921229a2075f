"""The draw's inputs: canonical form, the rules with their Chinese reasons, and the commitment."""

import copy
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.inspections.draw import DrawInputError, commitment_of, percent_text, prepare_inputs
from sanxiang.inspections.draw import commitment as commit
from sanxiang.inspections.draw.inputs import examine_inputs
from sanxiang.inspections.draw.samples import sample_plan, synthetic_inputs

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def inputs():
    return synthetic_inputs(targets=400, inspectors=15, exclusions=40)


def problems_of(inputs, across=True) -> str:
    problems, _ = examine_inputs(inputs, across=across)
    return "；".join(problems)


def test_prepare_sorts_lists_and_merges_duplicate_exclusions():
    plan = sample_plan([("b", "乙层", "10"), ("a", "甲层", "10")])
    inputs = prepare_inputs(plan, {"a": ["3", "1", "2"], "b": ["9", "8"]}, ["z", "x", "y"],
                            [("2", "y", "relationship"), ("1", "x", "recent_inspection"), ("2", "y", "relationship")])
    assert list(inputs["targets"]) == ["b", "a"]  # the plan's order
    assert inputs["targets"] == {"b": ["8", "9"], "a": ["1", "2", "3"]}
    assert inputs["inspectors"] == ["x", "y", "z"]
    assert inputs["exclusions"] == [["1", "x", "recent_inspection"], ["2", "y", "relationship"]]


def test_the_summary_is_the_plain_reading_of_the_commitment_rules(inputs):
    _, summary = examine_inputs(inputs)
    assert summary == commit.summary(inputs)
    lines = "".join(t + "\n" for t in inputs["targets"]["high"]).encode()
    assert summary["targets"]["high"]["sha256"] == hashlib.sha256(lines).hexdigest()  # == sha256sum of the list file
    assert commitment_of(inputs) == commit.commitment(inputs)


@pytest.mark.parametrize("mutate", [
    lambda i: i["targets"]["low"].pop(),
    lambda i: i["targets"]["medium"].__setitem__(0, i["targets"]["medium"][0] + "0"),
    lambda i: i["inspectors"].pop(3),
    lambda i: i["exclusions"].pop(0),
    lambda i: i["exclusions"][0].__setitem__(2, "declared_conflict" if i["exclusions"][0][2] != "declared_conflict"
                                             else "relationship"),
    lambda i: i["plan"].update(title="另一个计划"),
    lambda i: i["plan"]["filter"].update(region="330102"),
    lambda i: i["plan"]["strata"][0].update(percent="21"),
    lambda i: i["plan"].update(inspectors_per_target=3),
])
def test_every_input_is_committed_to(inputs, mutate):
    changed = copy.deepcopy(inputs)
    mutate(changed)
    assert commit.commitment(changed) != commit.commitment(inputs)


def test_valid_inputs_have_no_problem(inputs):
    assert problems_of(inputs) == ""


@pytest.mark.parametrize("mutate,reason", [
    (lambda i: i["targets"]["low"].reverse(), "抽查层 low 的检查对象名单未按升序排列或有重复"),
    (lambda i: i["targets"]["low"].insert(1, i["targets"]["low"][0]), "未按升序排列或有重复"),
    (lambda i: i["inspectors"].insert(0, ""), "检查人员名单中有空标识"),
    (lambda i: i["targets"]["high"].append("9999\n1"), "标识不能含换行"),
    (lambda i: i["targets"]["high"].append(12), "标识必须是字符串"),
    (lambda i: i["targets"].pop("medium"), "检查对象名单的分层"),
    (lambda i: i["plan"].update(inspectors_per_target=1), "不小于 2 的整数（行政处罚法第四十二条"),
    (lambda i: i["plan"]["strata"][0].update(count=5), "只能给一个"),
    (lambda i: i["plan"]["strata"][0].update(percent="120"), "0 到 100 之间"),
    (lambda i: i["plan"]["strata"][0].update(percent=5.5), "十进制数字字符串"),
    (lambda i: i["plan"]["strata"][1].update(key="high"), "key 重复"),
    (lambda i: i["plan"].update(strata=[]), "至少一个抽查层"),
    (lambda i: i["plan"].update(bad=float("nan")), "无法规范化"),
    (lambda i: i.update(algorithm="sanxiang-draw/0"), "不支持的抽取算法版本"),
    (lambda i: i.update(extra=1), "未定义的字段：extra"),
    (lambda i: i["exclusions"].append(["913301999999999999", "x", "recent_inspection"]), "不在检查人员名单"),
    (lambda i: i["exclusions"].append([i["targets"]["low"][0], i["inspectors"][0], "不喜欢"]), "未定义的回避原因"),
    (lambda i: i["exclusions"].reverse(), "回避记录未按"),
    (lambda i: i["exclusions"].append(["a", "b"]), "三个字符串"),
])
def test_each_rule_is_enforced_with_a_chinese_reason(inputs, mutate, reason):
    broken = copy.deepcopy(inputs)
    mutate(broken)
    assert reason in problems_of(broken)
    with pytest.raises(DrawInputError) as caught:
        commitment_of(broken)
    assert reason in str(caught.value)


def test_rules_across_lists_are_checked_when_preparing_only(inputs):
    overlapping = copy.deepcopy(inputs)
    overlapping["targets"]["high"] = sorted(overlapping["targets"]["high"] + overlapping["targets"]["low"][:1])
    assert "同时出现在多个抽查层中" in problems_of(overlapping)
    assert problems_of(overlapping, across=False) == ""
    stranger = copy.deepcopy(inputs)
    stranger["exclusions"] = sorted(stranger["exclusions"] + [["000", stranger["inspectors"][0], "relationship"]])
    assert "不在任何抽查层的名单中：000" in problems_of(stranger)
    assert problems_of(stranger, across=False) == ""


def test_prepare_refuses_overlapping_strata():
    with pytest.raises(DrawInputError, match="同时出现在多个抽查层中"):
        prepare_inputs(sample_plan([("a", "甲", "5"), ("b", "乙", "5")]), {"a": ["1", "2"], "b": ["2", "3"]}, ["x", "y"])


def test_percent_text_from_the_registry_decimal():
    from decimal import Decimal

    assert percent_text(Decimal("5.00")) == "5"
    assert percent_text(Decimal("12.50")) == "12.5"
    assert percent_text("100") == "100"
    with pytest.raises(DrawInputError):
        percent_text(Decimal("101"))


def test_the_draw_package_imports_without_django():
    script = (
        "import sys\n"
        "import sanxiang.inspections.draw as draw\n"
        "from sanxiang.inspections.draw import samples, witness, cli\n"
        "inputs = samples.synthetic_inputs(50, 5, 3)\n"
        "doc = draw.build_draw_document(inputs, draw.randomness_object('00' * 32, 1))\n"
        "assert draw.verify_draw_document(doc) == []\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
