"""Running the draw: commitment and randomness in, drawn targets with their inspectors out.

Streams (see :mod:`.prng`) are labelled ``"stratum/<key>"`` for each stratum's targets and
``"inspectors"`` for the assignment, all under the same seed, so a stratum's draw does not depend
on how many words another stratum used.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from . import commitment as commit
from .assignment import assign
from .inputs import DrawInputError, examine_inputs, strata_of
from .prng import stream
from .sampling import draw_count, sample_positions


@dataclass(frozen=True)
class StratumDraw:
    """The targets drawn in one stratum (draw order) and, for each, its inspectors (choice order)."""

    key: str
    label: str
    population: int
    targets: list[str]
    inspectors: list[list[str]]

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "population": self.population, "count": len(self.targets),
                "targets": self.targets, "inspectors": self.inspectors}


@dataclass(frozen=True)
class Shortfall:
    """A drawn target that could not get enough eligible inspectors."""

    stratum: str
    target: str
    required: int
    assigned: int

    def as_json(self) -> dict[str, Any]:
        return {"stratum": self.stratum, "target": self.target, "required": self.required,
                "assigned": self.assigned}

    def describe(self) -> str:
        return (f"检查对象 {self.target}（抽查层 {self.stratum}）需要 {self.required} 名检查人员，"
                f"回避后只有 {self.assigned} 名可派")


@dataclass(frozen=True)
class DrawResult:
    """The outcome of a draw."""

    commitment: str
    seed: str
    strata: list[StratumDraw]
    shortfalls: list[Shortfall]
    repeated: list[str]  # targets drawn in more than one stratum: only if the strata overlap
    load_range: tuple[int, int]  # the lowest and highest number of targets of any inspector

    def as_json(self) -> dict[str, Any]:
        """The ``result`` object of the draw document."""
        return {"strata": [s.as_json() for s in self.strata],
                "shortfalls": [s.as_json() for s in self.shortfalls]}

    def assignments(self) -> Iterator[tuple[str, str, list[str]]]:
        """``(stratum key, target, inspectors)`` for every drawn target, in assignment order."""
        for stratum in self.strata:
            for target, inspectors in zip(stratum.targets, stratum.inspectors, strict=True):
                yield stratum.key, target, inspectors

    def loads(self) -> dict[str, int]:
        """Targets assigned to each inspector who got at least one."""
        return dict(Counter(chain.from_iterable(chain.from_iterable(s.inspectors for s in self.strata))))


def perform_draw(inputs: Mapping[str, Any], randomness: Mapping[str, Any]) -> DrawResult:
    """Draw from ``inputs`` (an inputs object) with ``randomness`` (the document's randomness object).

    Raises :class:`~.inputs.DrawInputError` if the inputs break a rule.
    """
    problems, summary = examine_inputs(inputs)
    if problems or summary is None:
        raise DrawInputError(problems)
    return draw_from(inputs, commit.commitment_of_summary(summary), randomness)


def commitment_of(inputs: Mapping[str, Any]) -> str:
    """The commitment (hex) of an inputs object, after checking every rule (``DrawInputError``)."""
    problems, summary = examine_inputs(inputs, across=True)
    if problems or summary is None:
        raise DrawInputError(problems)
    return commit.commitment_of_summary(summary)


def draw_from(inputs: Mapping[str, Any], commitment: str, randomness: Mapping[str, Any]) -> DrawResult:
    """The draw itself, for inputs already checked and their commitment already computed."""
    seed = commit.derive_seed(commitment, randomness)
    strata = strata_of(inputs["plan"])
    drawn: list[tuple[str, str, int, list[str]]] = []
    for stratum in strata:
        ids = inputs["targets"][stratum.key]
        count = draw_count(len(ids), stratum.percent, stratum.count)
        positions = sample_positions(len(ids), count, stream(seed, f"stratum/{stratum.key}", count + 64))
        drawn.append((stratum.key, stratum.label, len(ids), list(map(ids.__getitem__, positions))))
    return _with_inspectors(inputs, commitment, seed, drawn)


def _with_inspectors(
    inputs: Mapping[str, Any], commitment: str, seed: bytes, drawn: list[tuple[str, str, int, list[str]]]
) -> DrawResult:
    names: list[str] = inputs["inspectors"]
    per_target: int = inputs["plan"]["inspectors_per_target"]
    order = list(chain.from_iterable(targets for *_, targets in drawn))
    unique = set(order)
    words = stream(seed, "inspectors", len(order) * per_target + 64)
    chosen, load_range = assign(order, names, per_target, barred_map(inputs, unique), words)
    strata, shortfalls, at = [], [], 0
    for key, label, population, targets in drawn:
        picked = chosen[at : at + len(targets)]
        if min(map(len, picked), default=per_target) < per_target:
            shortfalls += [Shortfall(key, t, per_target, len(p))
                           for t, p in zip(targets, picked, strict=True) if len(p) < per_target]
        strata.append(StratumDraw(key, label, population, targets, picked))
        at += len(targets)
    repeated = sorted(t for t, n in Counter(order).items() if n > 1) if len(unique) < len(order) else []
    return DrawResult(commitment, seed.hex(), strata, shortfalls, repeated, load_range)


def barred_map(inputs: Mapping[str, Any], drawn: set[str] | None = None) -> dict[str, frozenset[int]]:
    """Target → numbers of the inspectors excluded for it (any reason), for the ``drawn`` targets
    only when given (the others need none)."""
    number = {name: n for n, name in enumerate(inputs["inspectors"])}
    exclusions = inputs["exclusions"]
    if drawn is not None:
        exclusions = [e for e in exclusions if e[0] in drawn]
    barred: dict[str, set[int]] = {}
    for target, inspector, _reason in exclusions:
        barred.setdefault(target, set()).add(number[inspector])
    return {target: frozenset(numbers) for target, numbers in barred.items()}
