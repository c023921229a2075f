"""Statistical tests: within each stratum every subset of the drawn size is equally likely, the
draw order is uniform, and the first target's inspectors are a uniform pair.

Each test runs thousands of draws with fixed randomness values (checkpoint sizes 1, 2, …), so it
is deterministic — it cannot be flaky — and compares Pearson's chi-square statistic with the
critical value at significance 0.001 (Wilson–Hilferty approximation of the chi-square quantile;
scipy is not a dependency). The last test shows the power: a classic wrong shuffle pushes the
statistic ten times beyond it on the same number of draws.
"""

import math
from collections import Counter
from hashlib import sha256
from itertools import combinations
from statistics import NormalDist

import pytest

from sanxiang.inspections.draw import prepare_inputs, randomness_object
from sanxiang.inspections.draw.engine import commitment_of, draw_from
from sanxiang.inspections.draw.prng import below, stream

ALPHA = 0.001


def chi2_critical(df: int, alpha: float = ALPHA) -> float:
    """Upper ``alpha`` quantile of the chi-square distribution (Wilson–Hilferty)."""
    z = NormalDist().inv_cdf(1 - alpha)
    return df * (1 - 2 / (9 * df) + z * math.sqrt(2 / (9 * df))) ** 3


def chi2(observed: Counter, categories: list) -> float:
    expected = sum(observed.values()) / len(categories)
    return sum((observed.get(c, 0) - expected) ** 2 / expected for c in categories)


def test_the_critical_values_are_right():
    # Tabulated chi-square quantiles at 0.001: df 14 → 36.12, df 49 → 85.35, df 55 → 93.17.
    assert chi2_critical(14) == pytest.approx(36.12, rel=0.01)
    assert chi2_critical(49) == pytest.approx(85.35, rel=0.01)
    assert chi2_critical(55) == pytest.approx(93.17, rel=0.01)


@pytest.fixture(scope="module")
def draws():
    """5,600 draws of a plan with two strata: 3 of 8 targets, 2 of 6; 6 inspectors, 2 per target."""
    plan = {"strata": [{"key": "a", "label": "甲层", "percent": "37.5"}, {"key": "b", "label": "乙层", "count": 2}],
            "inspectors_per_target": 2}
    targets = {"a": [f"A{n}" for n in range(8)], "b": [f"B{n}" for n in range(6)]}
    inputs = prepare_inputs(plan, targets, [f"I{n}" for n in range(6)])
    commitment = commitment_of(inputs)
    return [draw_from(inputs, commitment, randomness_object("c3" * 32, size)) for size in range(1, 5601)]


@pytest.mark.parametrize("stratum,population,size", [(0, 8, 3), (1, 6, 2)])
def test_every_subset_of_a_stratum_is_equally_likely(draws, stratum, population, size):
    prefix = "AB"[stratum]
    subsets = [frozenset(f"{prefix}{n}" for n in c) for c in combinations(range(population), size)]
    observed = Counter(frozenset(d.strata[stratum].targets) for d in draws)
    assert set(observed) <= set(subsets)
    assert chi2(observed, subsets) < chi2_critical(len(subsets) - 1)


def test_the_first_drawn_target_is_uniform(draws):
    categories = [f"A{n}" for n in range(8)]
    observed = Counter(d.strata[0].targets[0] for d in draws)
    assert chi2(observed, categories) < chi2_critical(len(categories) - 1)


def test_strata_are_drawn_independently(draws):
    pairs = [(a, b) for a in range(8) for b in range(6)]
    observed = Counter((int(d.strata[0].targets[0][1]), int(d.strata[1].targets[0][1])) for d in draws)
    assert chi2(observed, pairs) < chi2_critical(len(pairs) - 1)


def test_the_first_targets_inspectors_are_a_uniform_pair(draws):
    pairs = [frozenset(p) for p in combinations([f"I{n}" for n in range(6)], 2)]
    observed = Counter(frozenset(d.strata[0].inspectors[0]) for d in draws)
    assert chi2(observed, pairs) < chi2_critical(len(pairs) - 1)


def test_a_biased_shuffle_would_fail():
    """The test has power: the classic wrong shuffle (swap with any place, not a later one) fails it."""

    def wrong_sample(population: int, count: int, words) -> list[int]:
        cells = list(range(population))
        for i in range(count):
            j = below(population, words)
            cells[i], cells[j] = cells[j], cells[i]
        return cells[:count]

    subsets = [frozenset(c) for c in combinations(range(8), 3)]
    observed = Counter(frozenset(wrong_sample(8, 3, stream(sha256(str(n).encode()).digest(), "s", 8)))
                       for n in range(5600))
    assert chi2(observed, subsets) > chi2_critical(len(subsets) - 1)
