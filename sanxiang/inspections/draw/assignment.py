"""Assigning inspectors to the drawn targets: least-loaded first, ties broken by the draw's stream.

The inspectors are numbered 0 … M − 1 in their sorted order and kept in one row, at first
``[0, 1, …, M − 1]``. Each has a **load** (targets assigned so far, 0 at the start); the row is
ordered by load, and the inspectors with load L form the **pool** L, a run of consecutive places.
When an inspector's load goes from L to L + 1, they swap places with the last member of pool L
(possibly themselves), and that place becomes the first of pool L + 1.

The drawn targets are taken in order — the strata in the plan's order, each in its draw order —
and each gets ``k`` inspectors, one at a time. An inspector is **eligible** for the target when
no exclusion (回避) names them for it and they are not already chosen for it. One choice:

1. L = the lowest load whose pool has an eligible member (none at any load: the target is short
   of inspectors — it keeps those chosen so far and the caller reports the shortfall);
2. e = the number of eligible members of pool L; r = ``below(e)`` from the inspectors' stream;
3. the chosen inspector is the r-th (counting from 0) eligible member of pool L in row order;
   their load goes up by one as described above.

So every choice is uniform among the least-loaded eligible inspectors. With no exclusions the
loads never differ by more than one (each choice raises a lowest load), provided ``k ≤ M``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping, Sequence
from itertools import compress, islice

from .prng import TWO64, accept


class Row:
    """The inspectors ordered by load: ``start[L]`` is the first place of pool L (pools are runs)."""

    def __init__(self, size: int):
        self.members = list(range(size))
        self.place = list(range(size))
        self.start = [0, size, size]  # the last entry is always the row's end
        self.low = 0  # the lowest load with a non-empty pool (0 when there are no inspectors)

    def raise_load(self, at: int) -> int:
        """Raise the load of the inspector at place ``at``; return who it was."""
        level = bisect.bisect_right(self.start, at) - 1
        if level + 2 == len(self.start):
            self.start.append(len(self.members))
        last = self.start[level + 1] - 1
        members, place = self.members, self.place
        chosen, other = members[at], members[last]
        members[at], members[last] = other, chosen
        place[other], place[chosen] = at, last
        self.start[level + 1] = last
        self.settle()
        return chosen

    def load_range(self) -> tuple[int, int]:
        """The lowest and the highest load of any inspector ((0, 0) when there are none)."""
        levels = [level for level in range(len(self.start) - 1) if self.start[level] < self.start[level + 1]]
        return (levels[0], levels[-1]) if levels else (0, 0)

    def settle(self) -> None:
        while self.low + 2 < len(self.start) and self.start[self.low] == self.start[self.low + 1]:
            self.low += 1
        if self.low + 2 == len(self.start):
            self.start.append(len(self.members))


def assign(
    order: Sequence[str],
    names: Sequence[str],
    per_target: int,
    barred: Mapping[str, frozenset[int]],
    words: Iterator[int],
) -> tuple[list[list[str]], tuple[int, int]]:
    """For each target of ``order``, the names of its inspectors in the order chosen; and the
    lowest and highest load of the inspectors at the end.

    ``barred`` maps a target to the numbers of the inspectors excluded for it. A target may get
    fewer than ``per_target`` inspectors (see the module docstring); the caller reports those.
    """
    row = Row(len(names))
    barred_at = list(compress(range(len(order)), map(barred.__contains__, order)))
    chosen: list[list[str]] = []
    done = 0
    while done < len(order):
        end = row.start[row.low + 1]  # the lowest pool is places [0, end)
        run = min(end // per_target, _next_barred(barred_at, done, len(order)) - done)
        if run > 0:
            picks = iter(map(names.__getitem__, _deal(row, end, run * per_target, words)))
            chosen += map(list, zip(*[picks] * per_target, strict=False))  # consecutive groups of per_target
            done += run
            continue
        target = order[done]
        chosen.append([names[i] for i in _general(row, per_target, barred.get(target, frozenset()), words)])
        done += 1
    return chosen, row.load_range()


def _next_barred(barred_at: list[int], start: int, total: int) -> int:
    """The position in the order of the next target with exclusions at or after ``start``."""
    at = bisect.bisect_left(barred_at, start)
    return barred_at[at] if at < len(barred_at) else total


def _deal(row: Row, end: int, picks: int, words: Iterator[int]) -> list[int]:
    """``picks`` choices from the lowest pool, places ``[0, end)``, for targets without exclusions.

    (The lowest pool always starts at place 0: every pool below it is empty.) The pool holds at
    least ``picks`` members and every chosen one leaves it at once, so each choice is among
    eligible members only: the rule as written, as a tight loop (a partial Fisher–Yates shuffle of
    the pool from its end). Returns the chosen, in order.
    """
    members, place = row.members, row.place
    safe = TWO64 - end  # a word below this is acceptable for every bound ≤ the pool size
    top = end
    for word in islice(words, picks):  # accept() may take extra words from the same iterator
        if word >= safe:
            word = accept(word, end, words)
        at = word % end
        end -= 1
        member, other = members[at], members[end]
        members[at], members[end] = other, member
        place[other], place[member] = at, end
    row.start[row.low + 1] = end
    if end == 0:
        row.settle()
    return members[end:top][::-1]


def _general(row: Row, per_target: int, excluded: frozenset[int], words: Iterator[int]) -> list[int]:
    """The rule as written, one choice at a time; stops early when no eligible inspector is left."""
    picked: list[int] = []
    for _ in range(per_target):
        found = _lowest_eligible(row, [*excluded, *picked])
        if found is None:
            break
        first, skipped, eligible = found
        at = first + accept(next(words), eligible, words) % eligible
        for place in skipped:  # the r-th eligible member: step over ineligible places up to it
            if place > at:
                break
            at += 1
        picked.append(row.raise_load(at))
    return picked


def _lowest_eligible(row: Row, ineligible: list[int]) -> tuple[int, list[int], int] | None:
    """(first place of the pool, sorted places of its ineligible members, eligible count) or None."""
    places = list(map(row.place.__getitem__, ineligible))
    for level in range(row.low, len(row.start) - 1):
        first, end = row.start[level], row.start[level + 1]
        skipped = sorted(p for p in places if first <= p < end)
        if end - first > len(skipped):
            return first, skipped, end - first - len(skipped)
    return None
