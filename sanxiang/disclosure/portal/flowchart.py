"""The 行政处罚 flow chart, drawn as SVG from :func:`sanxiang.cases.lifecycle.steps` at request time,
so the published chart is the state machine the software runs and cannot drift from it.

Layout: each state sits in the row of its distance (in steps) from 线索登记; states of one row
side by side. A step to a later row is a straight arrow; a step back or sideways (退回、回到审查)
is a curve on the right. Every edge carries its transition's label.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass

from django.utils.html import escape

from sanxiang.cases.choices import CaseState
from sanxiang.cases.lifecycle import Transition, steps

BOX_W, BOX_H, COL_GAP, ROW_GAP, MARGIN = 150, 40, 70, 80, 20


@dataclass(frozen=True)
class Edge:
    source: CaseState
    target: CaseState
    transition: Transition


def edges() -> list[Edge]:
    return [Edge(source, target, t) for source, target, t in steps()]


def _ranks(all_edges: list[Edge]) -> dict[CaseState, int]:
    """Breadth-first distance from the first state; unreachable states go below everything."""
    following: dict[CaseState, list[CaseState]] = defaultdict(list)
    for edge in all_edges:
        following[edge.source].append(edge.target)
    ranks = {CaseState.CLUE: 0}
    queue = deque([CaseState.CLUE])
    while queue:
        state = queue.popleft()
        for target in following[state]:
            if target not in ranks:
                ranks[target] = ranks[state] + 1
                queue.append(target)
    states = {e.source for e in all_edges} | {e.target for e in all_edges}
    bottom = max(ranks.values(), default=0) + 1
    return {state: ranks.get(state, bottom) for state in states}


def _positions(ranks: dict[CaseState, int]) -> dict[CaseState, tuple[int, int]]:
    """Top-left corner of each state's box, rows centred on the widest row."""
    rows: dict[int, list[CaseState]] = defaultdict(list)
    order = list(CaseState)
    for state in sorted(ranks, key=lambda s: (ranks[s], order.index(s))):
        rows[ranks[state]].append(state)
    widest = max(len(r) for r in rows.values())
    width = widest * BOX_W + (widest - 1) * COL_GAP
    positions = {}
    for rank, states in rows.items():
        row_width = len(states) * BOX_W + (len(states) - 1) * COL_GAP
        left = MARGIN + (width - row_width) // 2
        for i, state in enumerate(states):
            positions[state] = (left + i * (BOX_W + COL_GAP), MARGIN + rank * (BOX_H + ROW_GAP))
    return positions


def _text(x: float, y: float, label: str, css: str) -> str:
    return f'<text x="{x:.0f}" y="{y:.0f}" class="{css}" text-anchor="middle">{escape(label)}</text>'


def _edge_svg(edge: Edge, positions: dict[CaseState, tuple[int, int]], right: int, lane: int) -> str:
    (sx, sy), (tx, ty) = positions[edge.source], positions[edge.target]
    label = edge.transition.label
    title = f"<title>{escape(edge.source.label)} → {escape(edge.target.label)}：{escape(label)}</title>"
    if ty > sy:  # forward: bottom of the source to the top of the target
        x1, y1, x2, y2 = sx + BOX_W / 2, sy + BOX_H, tx + BOX_W / 2, ty
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        path = f'<path d="M{x1:.0f},{y1:.0f} L{x2:.0f},{y2:.0f}" class="edge" marker-end="url(#arrow)"/>'
    else:  # back or sideways: round the right-hand side
        x1, y1, x2, y2 = sx + BOX_W, sy + BOX_H / 2, tx + BOX_W, ty + BOX_H / 2
        bend = right + 30 + lane * 26
        path = (f'<path d="M{x1:.0f},{y1:.0f} C{bend},{y1:.0f} {bend},{y2:.0f} {x2:.0f},{y2:.0f}" '
                f'class="edge back" marker-end="url(#arrow)"/>')
        mx, my = bend - 8, (y1 + y2) / 2
    return f'<g class="step">{title}{path}{_text(mx, my + 4, label, "edge-label")}</g>'


def flow_svg() -> str:
    """The chart as a standalone ``<svg>`` element (safe to inline: every label is escaped)."""
    all_edges = edges()
    positions = _positions(_ranks(all_edges))
    right = max(x for x, _ in positions.values()) + BOX_W
    width = right + 30 + 26 * len(all_edges) // 2 + 120
    height = max(y for _, y in positions.values()) + BOX_H + MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="flowchart" '
        f'role="img" aria-labelledby="flow-title">',
        '<title id="flow-title">行政处罚办案流程图（由平台办案流程自动生成）</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3d4f63"/></marker></defs>',
        "<style>.node rect{fill:#eef4fb;stroke:#1f5fa8;stroke-width:1.5}.node text{font-size:15px;fill:#102a43}"
        ".edge{fill:none;stroke:#3d4f63;stroke-width:1.3}.edge.back{stroke-dasharray:5 3}"
        ".edge-label{font-size:12px;fill:#243b53;paint-order:stroke;stroke:#fff;stroke-width:4px}</style>",
    ]
    lanes = 0
    for edge in all_edges:
        back = positions[edge.target][1] <= positions[edge.source][1]
        parts.append(_edge_svg(edge, positions, right, lanes if back else 0))
        lanes += 1 if back else 0
    for state, (x, y) in positions.items():
        parts.append(f'<g class="node" id="state-{state.value}"><rect x="{x}" y="{y}" width="{BOX_W}" '
                     f'height="{BOX_H}" rx="6"/>{_text(x + BOX_W / 2, y + BOX_H / 2 + 5, state.label, "")}</g>')
    parts.append("</svg>")
    return "".join(parts)
