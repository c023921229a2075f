"""Synthetic draw inputs for tests, the demo and the benchmark (no real targets or officers).

Target identifiers look like 统一社会信用代码 (18 characters) and inspector identifiers like
执法证号; both are made up and sorted as the inputs require.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from .inputs import prepare_inputs

RISK_STRATA = (("high", "高风险", "20"), ("medium", "中风险", "10"), ("low", "低风险", "5"))
RISK_SHARES = (("high", 0.1), ("medium", 0.3), ("low", 0.6))


def target_id(n: int) -> str:
    return f"913301{n:012d}"


def inspector_id(n: int) -> str:
    return f"33010020{n:06d}"


def sample_plan(
    strata: Sequence[tuple[str, str, str]] = RISK_STRATA, per_target: int = 2, **extra: Any
) -> dict[str, Any]:
    """A plan with percent strata ``(key, label, percent)`` and the usual descriptive fields."""
    return {
        "id": "示例-2026-001",
        "title": "2026 年度食品经营者双随机抽查（示例）",
        "agencies": ["91330100MB0000000X"],
        "item": "食品经营许可事项监督检查",
        "filter": {"kind": "company", "industry": "餐饮服务", "region": "330100"},
        "period": {"start": "2026-03-01", "end": "2026-06-30"},
        "recent_inspection_days": 365,
        "strata": [{"key": key, "label": label, "percent": percent} for key, label, percent in strata],
        "inspectors_per_target": per_target,
        **extra,
    }


def synthetic_inputs(
    targets: int = 1000,
    inspectors: int = 20,
    exclusions: int = 50,
    seed: int = 8,
    plan: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Inputs over ``targets`` targets spread over the plan's strata (risk shares 10/30/60 % for
    the default plan, else evenly), ``inspectors`` inspectors and ``exclusions`` random 回避 pairs."""
    plan = plan or sample_plan()
    rng = random.Random(seed)
    keys = [s["key"] for s in plan["strata"]]
    shares = dict(RISK_SHARES) if set(keys) == {k for k, _ in RISK_SHARES} else {k: 1 / len(keys) for k in keys}
    ids = [target_id(n) for n in range(targets)]
    by_stratum: dict[str, list[str]] = {key: [] for key in keys}
    for target, key in zip(ids, rng.choices(keys, [shares[k] for k in keys], k=targets), strict=True):
        by_stratum[key].append(target)
    names = [inspector_id(n) for n in range(inspectors)]
    reasons = ["recent_inspection", "relationship", "declared_conflict"]
    pairs = [(rng.choice(ids), rng.choice(names), rng.choices(reasons, [8, 1, 1])[0])
             for _ in range(exclusions if ids and names else 0)]
    return prepare_inputs(plan, by_stratum, names, pairs)
