"""The draw's inputs: what they are, how they are put in canonical form, and how they are checked.

An **inputs object** (JSON)::

    {"algorithm": "sanxiang-draw/1",
     "plan": {"strata": [{"key": "high", "label": "高风险", "percent": "20"},
                         {"key": "low", "label": "低风险", "count": 30}],
              "inspectors_per_target": 2,
              …anything else describing the plan: id, title, agencies, item, filter, period…},
     "targets": {"high": ["<target id>", …], "low": […]},     # one sorted list per stratum
     "inspectors": ["<inspector id>", …],                      # sorted
     "exclusions": [["<target id>", "<inspector id>", "<reason>"], …]}   # sorted

Rules (each broken rule is reported in Chinese by :func:`examine_inputs`):

* an **identifier** is a non-empty string without line breaks (``\\n``, ``\\r``); lists are in
  strictly increasing code-point order (Python's ``sorted``), hence without duplicates;
* ``plan.strata`` is a non-empty list of objects with a unique ``key`` (identifier rules), a
  ``label`` and exactly one of ``percent`` (a decimal string, 0–100, e.g. ``"5"``, ``"2.5"``) or
  ``count`` (a non-negative integer); ``targets`` has exactly one list per stratum key, and no
  target is in two strata;
* ``plan.inspectors_per_target`` is an integer ≥ 2 (行政处罚法第四十二条：执法人员不得少于两人);
* each exclusion (回避) names an eligible target, an eligible inspector and a reason code of
  :data:`REASONS`; the same pair may appear with several reasons. The rest of ``plan`` is
  free-form JSON data, committed as published.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from sanxiang.ledger.canonical import canonical_bytes

from . import commitment

ALGORITHM = "sanxiang-draw/1"
MIN_INSPECTORS_PER_TARGET = 2  # 行政处罚法第四十二条：执法人员不得少于两人
REASONS = {
    "recent_inspection": "计划规定的期限内检查过该对象",
    "relationship": "与检查对象有申报的利害关系（行政处罚法第四十三条）",
    "declared_conflict": "检查对象在本人申报的回避名单中（行政处罚法第四十三条）",
}
INPUT_KEYS = ("algorithm", "plan", "targets", "inspectors", "exclusions")
PERCENT = re.compile(r"(?:100(?:\.0{1,6})?|[0-9]{1,2}(?:\.[0-9]{1,6})?)")


class DrawInputError(ValueError):
    """The inputs cannot be drawn from; ``problems`` lists every reason in Chinese."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class Stratum:
    """One stratum of the plan (e.g. a risk level) and how much of it to draw."""

    key: str
    label: str
    percent: str | None
    count: int | None


def strata_of(plan: Mapping[str, Any]) -> list[Stratum]:
    """The plan's strata, in the plan's order (assumes :func:`examine_inputs` found no problem)."""
    return [Stratum(s["key"], s.get("label", s["key"]), s.get("percent"), s.get("count")) for s in plan["strata"]]


def prepare_inputs(
    plan: Mapping[str, Any],
    targets: Mapping[str, Iterable[str]],
    inspectors: Iterable[str],
    exclusions: Iterable[Sequence[str]] = (),
    algorithm: str = ALGORITHM,
) -> dict[str, Any]:
    """The inputs object in canonical form: lists sorted, duplicate exclusions merged.

    ``targets`` maps each stratum key to its eligible target identifiers; ``exclusions`` holds
    ``(target, inspector, reason)`` triples. Raises :class:`DrawInputError` naming every problem.
    """
    order = [s.get("key") for s in plan.get("strata", []) if isinstance(s, Mapping)]
    ranked = {key: n for n, key in enumerate(order)}
    inputs = {
        "algorithm": algorithm,
        "plan": dict(plan),
        "targets": {key: sorted(ids) for key, ids in sorted(targets.items(), key=lambda kv: ranked.get(kv[0], 0))},
        "inspectors": sorted(inspectors),
        # str(): a reason may come as a choices member (a str subclass); the file holds plain strings
        "exclusions": [list(map(str, e)) for e in sorted({tuple(e) for e in exclusions})],
    }
    problems, _ = examine_inputs(inputs)
    if problems:
        raise DrawInputError(problems)
    return inputs


def examine_inputs(inputs: Any, across: bool = True) -> tuple[list[str], dict[str, Any] | None]:
    """Check ``inputs`` against the rules; return the problems and the commitment summary.

    The summary (see :mod:`.commitment`) is None when the inputs are too malformed to hash.
    ``across=False`` skips the two rules that compare whole lists with each other (no target in
    two strata; every excluded target is eligible): they cost more than the draw itself, and
    breaking them does not change whether the draw follows from its inputs. The platform checks
    them before it commits; the offline verifier does not.
    """
    if not isinstance(inputs, Mapping):
        return ["输入（inputs）必须是 JSON 对象"], None
    missing = [key for key in INPUT_KEYS if key not in inputs]
    if missing:
        return [f"输入缺少字段：{'、'.join(missing)}"], None
    problems: list[str] = [f"输入含有未定义的字段：{key}" for key in inputs if key not in INPUT_KEYS]
    if inputs["algorithm"] != ALGORITHM:
        problems.append(f"不支持的抽取算法版本：{inputs['algorithm']!r}（本程序实现 {ALGORITHM}）")
    keys = _plan_problems(inputs["plan"], problems)
    targets = _target_digests(inputs["targets"], keys, problems, across)
    inspectors = _list_digest(inputs["inspectors"], "检查人员名单", problems)
    exclusions = _exclusion_digest(inputs, problems, across)
    if None in (keys, targets, inspectors, exclusions):
        return problems, None
    return problems, {
        "algorithm": inputs["algorithm"],
        "plan": inputs["plan"],
        "targets": targets,
        "inspectors": inspectors,
        "exclusions": exclusions,
    }


# --- the plan ----------------------------------------------------------------------------------


def _plan_problems(plan: Any, problems: list[str]) -> list[str] | None:
    """Check the plan; return its stratum keys in order (None if the strata are unusable)."""
    if not isinstance(plan, Mapping):
        problems.append("计划（plan）必须是 JSON 对象")
        return None
    try:
        canonical_bytes(plan)
    except (TypeError, ValueError) as error:
        problems.append(f"计划含有无法规范化的值：{error}")
        return None
    per_target = plan.get("inspectors_per_target")
    if not _is_int(per_target) or per_target < MIN_INSPECTORS_PER_TARGET:
        problems.append("每个检查对象的检查人员数（inspectors_per_target）必须是不小于 2 的整数"
                        "（行政处罚法第四十二条：执法人员不得少于两人）")
    strata = plan.get("strata")
    if not isinstance(strata, list) or not strata:
        problems.append("计划必须列出至少一个抽查层（strata），如各风险等级")
        return None
    keys = [_stratum_key(n, stratum, problems) for n, stratum in enumerate(strata, 1)]
    if None in keys:
        return None
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        problems.append(f"抽查层的 key 重复：{'、'.join(duplicated)}")
        return None
    return keys  # type: ignore[return-value]


def _stratum_key(n: int, stratum: Any, problems: list[str]) -> str | None:
    if not isinstance(stratum, Mapping) or not _is_identifier(stratum.get("key")):
        problems.append(f"第 {n} 个抽查层必须是含 key（非空、无换行的字符串）的对象")
        return None
    key = stratum["key"]
    if not isinstance(stratum.get("label", ""), str):
        problems.append(f"抽查层 {key} 的名称（label）必须是字符串")
    has_percent, has_count = "percent" in stratum, "count" in stratum
    if has_percent == has_count:
        problems.append(f"抽查层 {key} 必须给出抽查比例（percent）或抽查数量（count）之一，且只能给一个")
    elif has_percent and not (isinstance(stratum["percent"], str) and PERCENT.fullmatch(stratum["percent"])):
        problems.append(f"抽查层 {key} 的抽查比例必须是 0 到 100 之间的十进制数字字符串，如 \"5\" 或 \"2.5\"")
    elif has_count and not (_is_int(stratum["count"]) and stratum["count"] >= 0):
        problems.append(f"抽查层 {key} 的抽查数量必须是非负整数")
    return key


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_identifier(value: Any) -> bool:
    return isinstance(value, str) and value != "" and "\n" not in value and "\r" not in value


# --- identifier lists --------------------------------------------------------------------------


def _list_digest(ids: Any, what: str, problems: list[str]) -> dict[str, Any] | None:
    """Check an identifier list; return ``{"count", "sha256"}`` (None if it is not a list of strings)."""
    if not isinstance(ids, list):
        problems.append(f"{what}必须是标识的列表")
        return None
    if ids and not isinstance(ids[0], str):
        problems.append(f"{what}中的标识必须是字符串")
        return None
    try:
        # Only strings compare with strings here, so this also proves every item is one.
        ordered = all(map(operator.lt, ids, islice(ids, 1, None)))
    except TypeError:
        problems.append(f"{what}中的标识必须是字符串")
        return None
    if not ordered:
        at = next(n for n in range(1, len(ids)) if not ids[n - 1] < ids[n])
        problems.append(f"{what}未按升序排列或有重复：第 {at + 1} 项 {ids[at]!r} 不大于前一项 {ids[at - 1]!r}")
    if ids and ids[0] == "":
        problems.append(f"{what}中有空标识")
    text = "\n".join(ids)
    if text.count("\n") != max(len(ids) - 1, 0) or "\r" in text:
        bad = next(i for i in ids if "\n" in i or "\r" in i)
        problems.append(f"{what}中的标识不能含换行：{bad!r}")
    return {"count": len(ids), "sha256": commitment.joined_digest(text, len(ids))}


def _target_digests(
    targets: Any, keys: list[str] | None, problems: list[str], across: bool
) -> dict[str, Any] | None:
    if not isinstance(targets, Mapping):
        problems.append("检查对象名单（targets）必须是以抽查层 key 为键的对象")
        return None
    if keys is not None and sorted(targets) != sorted(keys):
        problems.append(f"检查对象名单的分层（{'、'.join(map(str, targets))}）与计划的抽查层（{'、'.join(keys)}）不一致")
    digests = {key: _list_digest(ids, f"抽查层 {key} 的检查对象名单", problems) for key, ids in targets.items()}
    if any(d is None for d in digests.values()):
        return None
    if across:
        _check_disjoint(targets, problems)
    return digests


def _check_disjoint(targets: Mapping[str, list[str]], problems: list[str]) -> None:
    """No target may be in two strata (it would have two chances, or be drawn twice)."""
    lists = sorted(targets.items(), key=lambda kv: len(kv[1]))
    if len(lists) < 2:
        return
    seen = set(lists[0][1])
    for n, (key, ids) in enumerate(lists[1:], 1):
        if not seen.isdisjoint(ids):
            shared = next(i for i in ids if i in seen)
            problems.append(f"检查对象 {shared!r} 同时出现在多个抽查层中（含 {key}）")
            return
        if n < len(lists) - 1:
            seen.update(ids)


# --- exclusions --------------------------------------------------------------------------------


def _exclusion_digest(inputs: Mapping[str, Any], problems: list[str], across: bool) -> dict[str, Any] | None:
    exclusions = inputs["exclusions"]
    if not isinstance(exclusions, list) or not _all_triples(exclusions):
        problems.append("回避记录（exclusions）必须是 [检查对象, 检查人员, 回避原因] 三个字符串组成的列表")
        return None
    if not all(map(operator.lt, exclusions, islice(exclusions, 1, None))):
        problems.append("回避记录未按（检查对象, 检查人员, 原因）升序排列或有重复")
    unknown = sorted(set(map(operator.itemgetter(2), exclusions)) - REASONS.keys())
    if unknown:
        problems.append(f"未定义的回避原因：{'、'.join(unknown)}（可用：{'、'.join(REASONS)}）")
    if isinstance(inputs["inspectors"], list):
        strangers = sorted(set(map(operator.itemgetter(1), exclusions)).difference(inputs["inspectors"]))
        if strangers:
            problems.append(f"回避记录中的检查人员不在检查人员名单中：{'、'.join(strangers[:5])}")
    if across:
        _check_excluded_targets(inputs["targets"], exclusions, problems)
    return {"count": len(exclusions), "sha256": commitment.exclusions_digest(exclusions)}


def _all_triples(exclusions: list[Any]) -> bool:
    """Every item is a list of three strings (checked with C-level passes, not item by item)."""
    return (set(map(type, exclusions)) <= {list} and set(map(len, exclusions)) <= {3}
            and set(map(type, chain.from_iterable(exclusions))) <= {str})


def _check_excluded_targets(targets: Any, exclusions: list[list[str]], problems: list[str]) -> None:
    if not isinstance(targets, Mapping) or not all(isinstance(ids, list) for ids in targets.values()):
        return
    lists = list(targets.values())
    named = sorted(set(map(operator.itemgetter(0), exclusions)))
    strangers = [t for t in named if not any(_contains(ids, t) for ids in lists)]
    if strangers:
        problems.append(f"回避记录中的检查对象不在任何抽查层的名单中：{'、'.join(strangers[:5])}")


def _contains(ordered: list[str], item: str) -> bool:
    try:
        at = bisect.bisect_left(ordered, item)
    except TypeError:
        return False
    return at < len(ordered) and ordered[at] == item


def percent_text(value: Any) -> str:
    """A percentage (Decimal, int or text such as ``"5.00"``) as the plan's percent string."""
    text = format(value, "f") if not isinstance(value, str) else value
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if not PERCENT.fullmatch(text):
        raise DrawInputError([f"抽查比例必须在 0 到 100 之间：{value}"])
    return text
