"""The published draw file (``sanxiang-draw-file/1``): building it, reading it, verifying it.

Layout (UTF-8 JSON object; see docs/draw-format.md for a worked description)::

    {"format": "sanxiang-draw-file/1",
     "inputs": {…the inputs object, see .inputs…},
     "commitment": "<hex SHA-256 of the commitment summary>",
     "commitment_summary": {…see .commitment: plan, list counts and digests…},
     "randomness": {"checkpoint_root": "<64 hex>", "checkpoint_size": n, "beacon": "<text>"},
     "seed": "<hex>",
     "result": {"strata": [{"key", "population", "count", "targets": [...], "inspectors": [[...], ...]}],
                "shortfalls": [{"stratum", "target", "required", "assigned"}]},
     "ledger": {…optional: the cosigned checkpoint, verifier keys, the commitment's receipt…}}

``beacon`` is absent when the supervisor typed none. ``targets`` are in draw order and
``inspectors[i]`` are those of ``targets[i]`` in the order chosen. Other top-level fields may be
added by a publisher; the verifier ignores them (they are not part of the draw).

Verifying (:func:`check_draw_document`) recomputes everything from ``inputs`` and
``randomness`` and compares: the inputs' rules (see :func:`.inputs.examine_inputs` with
``across=False``), the commitment (and, when the summary is published, which part changed), the
seed, every drawn target and inspector, the shortfalls; then the optional ``ledger`` evidence
(:mod:`.witness`).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, cast

from . import commitment as commit
from .engine import DrawResult, draw_from
from .inputs import DrawInputError, examine_inputs

FORMAT = "sanxiang-draw-file/1"
HEX64 = re.compile(r"[0-9a-f]{64}")
RANDOMNESS_KEYS = {"checkpoint_root", "checkpoint_size", "beacon"}


class DrawFileError(ValueError):
    """The file cannot be read as a draw file at all (the message is Chinese)."""


@dataclass
class DrawCheck:
    """What verifying a draw file found: problems (empty when it matches) and established facts."""

    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- building ----------------------------------------------------------------------------------


def build_draw_document(
    inputs: Mapping[str, Any],
    randomness: Mapping[str, Any],
    ledger: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The draw file's object: run the draw on ``inputs`` with ``randomness`` and record it all.

    ``inputs`` is the inputs object frozen at commitment time (:func:`.inputs.prepare_inputs`);
    ``randomness`` comes from :func:`.commitment.randomness_object`; ``ledger`` is the optional
    evidence described in :mod:`.witness`. Raises :class:`DrawInputError` on invalid inputs or
    randomness.
    """
    problems, summary = examine_inputs(inputs, across=True)
    problems += randomness_problems(randomness)
    if problems or summary is None:
        raise DrawInputError(problems)
    result = draw_from(inputs, commit.commitment_of_summary(summary), randomness)
    document = {
        "format": FORMAT,
        "inputs": inputs,
        "commitment": result.commitment,
        "commitment_summary": {**summary, "plan": copy.deepcopy(summary["plan"])},  # not shared with inputs
        "randomness": dict(randomness),
        "seed": result.seed,
        "result": result.as_json(),
    }
    if ledger:
        document["ledger"] = dict(ledger)
    return document


def dump_draw_document(document: Mapping[str, Any], stream: IO[str]) -> None:
    """Write the file: compact UTF-8 JSON (the C encoder; an indented file of a million
    identifiers would take the slow pure-Python one)."""
    json.dump(document, stream, ensure_ascii=False, separators=(",", ":"))
    stream.write("\n")


def load_draw_document(stream: IO[str] | IO[bytes]) -> dict[str, Any]:
    """Read a draw file; :class:`DrawFileError` if it is not JSON or not a draw file."""
    try:
        document = json.load(stream)
    except (ValueError, UnicodeDecodeError) as error:
        raise DrawFileError(f"不是有效的 UTF-8 JSON 文件：{error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DrawFileError(f"不是随机抽取结果文件（format 应为 {FORMAT}）")
    return document


def randomness_problems(randomness: Any) -> list[str]:
    """What is wrong with a randomness object (empty when valid)."""
    if not isinstance(randomness, Mapping):
        return ["随机数（randomness）必须是 JSON 对象"]
    problems = [f"随机数含有未定义的字段：{key}" for key in randomness if key not in RANDOMNESS_KEYS]
    root, size = randomness.get("checkpoint_root"), randomness.get("checkpoint_size")
    if not isinstance(root, str) or not HEX64.fullmatch(root):
        problems.append("随机数的检查点根哈希（checkpoint_root）必须是 64 位小写十六进制")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        problems.append("随机数的检查点大小（checkpoint_size）必须是正整数")
    if "beacon" in randomness and not (isinstance(randomness["beacon"], str) and randomness["beacon"]):
        problems.append("公共信标值（beacon）必须是非空字符串；没有信标时不写该字段")
    return problems


# --- verifying ---------------------------------------------------------------------------------


def verify_draw_document(document: Any, keys: Sequence[str] = ()) -> list[str]:
    """The problems found in a draw file's object, in Chinese; an empty list means it matches.

    ``keys`` are verifier keys (``name+id+base64``) the ledger checkpoint must be signed by;
    without them the keys the file carries are used (see :mod:`.witness`).
    """
    return check_draw_document(document, keys).problems


def check_draw_document(document: Any, keys: Sequence[str] = ()) -> DrawCheck:
    """Verify a draw file's object; the problems and the facts established (see the module docstring)."""
    check = DrawCheck()
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        check.problems.append(f"不是随机抽取结果文件（format 应为 {FORMAT}）")
        return check
    inputs, randomness = document.get("inputs"), document.get("randomness")
    problems, summary = examine_inputs(inputs, across=False)
    check.problems += [f"输入不合规则：{p}" for p in problems]
    commitment = _check_commitment(document, summary, check)
    wrong_randomness = randomness_problems(randomness)
    check.problems += wrong_randomness
    if problems or wrong_randomness or commitment is None:
        check.problems.append("输入或随机数无效，无法重算抽取结果")
        return check
    redrawn = draw_from(cast(Mapping[str, Any], inputs), commitment, cast(Mapping[str, Any], randomness))
    if document.get("seed") != redrawn.seed:
        check.problems.append(f"种子不符：按承诺值和随机数重算为 {redrawn.seed}，文件中为 {document.get('seed')!r}")
    _compare_result(document.get("result"), redrawn, check)
    _ledger(document, commitment, cast(Mapping[str, Any], randomness), keys, check)
    return check


def _check_commitment(document: Mapping[str, Any], summary: dict[str, Any] | None, check: DrawCheck) -> str | None:
    """Compare the published commitment with the one recomputed from the inputs; return the latter."""
    published = document.get("commitment")
    if summary is None:
        return None
    recomputed = commit.commitment_of_summary(summary)
    if published != recomputed:
        check.problems.append(f"承诺值不符：按公布的输入重算为 {recomputed}，文件中为 {published!r}")
        _explain_commitment(document.get("commitment_summary"), summary, published, check)
    else:
        check.facts.append(f"承诺值 {recomputed} 与按公布的输入重算的一致")
    return recomputed


def _explain_commitment(published: Any, recomputed: dict[str, Any], commitment: Any, check: DrawCheck) -> None:
    """Name the part of the inputs that differs from what the published summary committed to."""
    if not isinstance(published, Mapping) or commit.commitment_of_summary(published) != commitment:
        return  # no trustworthy summary to compare with
    names = {"algorithm": "算法版本", "plan": "计划", "inspectors": "检查人员名单", "exclusions": "回避记录"}
    for part, label in names.items():
        if published.get(part) != recomputed.get(part):
            check.problems.append(f"{label}与承诺时不同")
    old, new = published.get("targets") or {}, recomputed["targets"]
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            check.problems.append(f"抽查层 {key} 的检查对象名单与承诺时不同")


def _compare_result(published: Any, redrawn: DrawResult, check: DrawCheck) -> None:
    expected = redrawn.as_json()
    if not isinstance(published, Mapping) or not isinstance(published.get("strata"), list):
        check.problems.append("缺少抽取结果（result.strata）")
        return
    strata = published["strata"]
    if len(strata) != len(expected["strata"]):
        check.problems.append(f"抽取结果应有 {len(expected['strata'])} 个抽查层，文件中有 {len(strata)} 个")
    for ours, theirs in zip(expected["strata"], strata, strict=False):
        _compare_stratum(ours, theirs, check)
    if published.get("shortfalls") != expected["shortfalls"]:
        check.problems.append("检查人员不足的记录与重算结果不符")
    if redrawn.repeated:
        check.problems.append(f"检查对象在多个抽查层中被抽中（各抽查层的名单有重叠）：{'、'.join(redrawn.repeated[:5])}")
    if check.ok:
        _facts(redrawn, check)


def _compare_stratum(ours: dict[str, Any], theirs: Any, check: DrawCheck) -> None:
    key = ours["key"]
    if not isinstance(theirs, Mapping) or theirs.get("key") != key:
        check.problems.append(f"抽取结果的抽查层应为 {key}")
        return
    for name, label in (("population", "可抽对象数"), ("count", "抽中数")):
        if theirs.get(name) != ours[name]:
            check.problems.append(f"抽查层 {key} 的{label}不符：重算为 {ours[name]}，文件中为 {theirs.get(name)!r}")
    if theirs.get("targets") != ours["targets"]:
        at = _first_difference(ours["targets"], theirs.get("targets"))
        check.problems.append(f"抽查层 {key} 抽中的检查对象与重算结果不同（自第 {at + 1} 个起）")
    elif theirs.get("inspectors") != ours["inspectors"]:
        at = _first_difference(ours["inspectors"], theirs.get("inspectors"))
        check.problems.append(f"抽查层 {key} 的检查人员分配与重算结果不同（检查对象 {ours['targets'][at]!r} 起）"
                              if at < len(ours["targets"]) else f"抽查层 {key} 的检查人员分配与重算结果不同")


def _first_difference(ours: list[Any], theirs: Any) -> int:
    if not isinstance(theirs, list):
        return 0
    return next((n for n, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), min(len(ours), len(theirs)))


def _facts(redrawn: DrawResult, check: DrawCheck) -> None:
    for stratum in redrawn.strata:
        check.facts.append(f"抽查层 {stratum.label}（{stratum.key}）：{stratum.population} 个可抽对象中抽中 "
                           f"{len(stratum.targets)} 个，与重算结果一致")
    low, high = redrawn.load_range
    check.facts.append(f"每名检查人员分得 {low}–{high} 个检查对象，与重算结果一致")
    for shortfall in redrawn.shortfalls:
        check.facts.append(f"检查人员不足：{shortfall.describe()}")


def _ledger(
    document: Mapping[str, Any], commitment: str, randomness: Mapping[str, Any], keys: Sequence[str],
    check: DrawCheck,
) -> None:
    from .witness import check_ledger  # the signature primitives load only when a file carries them

    section = document.get("ledger")
    if section is None:
        check.facts.append("文件未附全过程记录凭证：随机数是否来自承诺之后签署的检查点，须到平台核对")
        return
    check_ledger(section, commitment, randomness, keys, check.problems, check.facts)
