"""Drawing targets within a stratum: how many, and which (a partial Fisher–Yates shuffle).

**How many.** A stratum with ``percent`` p (a decimal string, 0 ≤ p ≤ 100) over a population of
N eligible targets draws ``ceil(p × N / 100)``, computed exactly (no floating point); a stratum
with ``count`` c draws ``min(c, N)``.

**Which.** Picture the stratum's sorted list as an array ``a = [0, 1, …, N − 1]`` of positions.
For ``i = 0, 1, …, count − 1``: ``j = i + below(N − i)``, swap ``a[i]`` and ``a[j]``. The drawn
targets are ``a[0], a[1], …, a[count − 1]`` in that order (the **draw order**), read from the
stratum's word stream. Every ordered selection of ``count`` distinct targets is equally likely.
Only the moved cells are kept (a dict), so the cost is O(count), not O(N).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from fractions import Fraction

from .prng import TWO64, accept


def draw_count(population: int, percent: str | None, count: int | None) -> int:
    """How many targets a stratum draws from ``population`` (``percent`` or ``count``, one given)."""
    if percent is not None:
        return min(population, math.ceil(Fraction(percent) * population / 100))
    return min(population, count or 0)


def sample_positions(population: int, count: int, words: Iterator[int]) -> list[int]:
    """The first ``count`` cells of a Fisher–Yates shuffle of ``range(population)``, in order."""
    moved: dict[int, int] = {}
    get = moved.get
    drawn: list[int] = []
    append = drawn.append
    safe = TWO64 - population  # a word below this is acceptable for every bound ≤ population
    for i, word in zip(range(count), words, strict=False):
        bound = population - i
        if word >= safe:
            word = accept(word, bound, words)
        j = i + word % bound
        append(get(j, j))
        moved[j] = get(i, i)
    return drawn
