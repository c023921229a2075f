"""The 行政处罚 flow chart, drawn as SVG from :func:`sanxiang.cases.lifecycle.steps` at request time,
so the published chart is the state machine the software runs and cannot drift from it.

Layout (deterministic, no layout library):

* the states a case passes through on its way (线索登记 … 已归档) form the main column, in the
  order :class:`~sanxiang.cases.choices.CaseState` lists them;
* the states that end a case early (不予立案、撤销立案、移送司法机关、不予处罚) sit in a side column,
  beside the row of the last main state that leads to them;
* a step to the next row is a straight arrow, a step back to the row above a dashed one beside
  it; a step further down runs in a lane on the left; a step further back (退回、回到审查) runs in
  a dashed lane between the columns; a step into the side column is labelled once at that state;
  a step from the side column back into the main column runs in a lane on the right. Steps with
  the same two ends share one arrow whose label names them all, one per line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.html import escape

from sanxiang.cases.choices import CaseState
from sanxiang.cases.lifecycle import Transition, steps

S = CaseState
SIDE = (S.NOT_FILED, S.REVOKED, S.TRANSFERRED, S.NO_PENALTY)
MAIN = tuple(s for s in CaseState if s not in SIDE)
BOX_W, BOX_H, ROW_H, LANE_W, TOP = 150, 40, 84, 96, 20


@dataclass(frozen=True)
class Edge:
    source: CaseState
    target: CaseState
    transition: Transition


@dataclass
class Arrow:
    """One drawn arrow: the steps from ``source`` to ``target`` (usually one)."""

    source: CaseState
    target: CaseState
    labels: list[str]
    kind: str = ""  # next / up / down / back / out / in
    lane: int = 0


def edges() -> list[Edge]:
    return [Edge(source, target, t) for source, target, t in steps()]


def _rows(all_edges: list[Edge]) -> dict[CaseState, int]:
    rows = {state: i for i, state in enumerate(MAIN)}
    taken: set[int] = set()
    for state in SIDE:
        sources = [rows[e.source] for e in all_edges if e.target == state and e.source in rows]
        row = max(sources, default=len(MAIN))
        while row in taken:
            row += 1
        taken.add(row)
        rows[state] = row
    return rows


def _arrows(all_edges: list[Edge], rows: dict[CaseState, int]) -> list[Arrow]:
    grouped: dict[tuple[CaseState, CaseState], Arrow] = {}
    for e in all_edges:
        arrow = grouped.setdefault((e.source, e.target), Arrow(e.source, e.target, []))
        arrow.labels.append(e.transition.label)
    for arrow in grouped.values():
        arrow.kind = _kind(arrow, rows)
    _assign_lanes([a for a in grouped.values() if a.kind in {"down", "back", "in"}], rows)
    return list(grouped.values())


def _kind(arrow: Arrow, rows: dict[CaseState, int]) -> str:
    if arrow.target in SIDE:
        return "out"
    if arrow.source in SIDE:
        return "in"
    step = rows[arrow.target] - rows[arrow.source]
    return {1: "next", -1: "up"}.get(step, "down" if step > 1 else "back")


def _assign_lanes(arrows: list[Arrow], rows: dict[CaseState, int]) -> None:
    """Greedy: the shortest spans first, each in the innermost lane of its side where it overlaps
    no other arrow's rows."""
    used: dict[str, list[list[tuple[int, int]]]] = defaultdict(list)
    for arrow in sorted(arrows, key=lambda a: (abs(rows[a.target] - rows[a.source]), rows[a.source])):
        span = tuple(sorted((rows[arrow.source], rows[arrow.target])))
        lanes = used[arrow.kind]
        for i, spans in enumerate(lanes):
            if all(span[1] <= lo or span[0] >= hi for lo, hi in spans):
                spans.append(span)
                arrow.lane = i
                break
        else:
            lanes.append([span])
            arrow.lane = len(lanes) - 1


@dataclass(frozen=True)
class Frame:
    """Where things go: the main column's left edge, the back lanes, the side column, the right lanes."""

    main_x: int
    back_x: int
    side_x: int
    right_x: int
    width: int
    height: int

    @staticmethod
    def of(arrows: list[Arrow], rows: dict[CaseState, int]) -> Frame:
        def lanes(kind: str) -> int:
            return max((a.lane + 1 for a in arrows if a.kind == kind), default=0)

        main_x = 20 + lanes("down") * LANE_W + 40
        back_x = main_x + BOX_W + 40
        side_x = back_x + lanes("back") * LANE_W + 110
        right_x = side_x + BOX_W + 40
        width = right_x + lanes("in") * LANE_W + 20
        return Frame(main_x, back_x, side_x, right_x, width, TOP * 2 + max(rows.values()) * ROW_H + BOX_H)


def _box(state: CaseState, rows: dict[CaseState, int], frame: Frame) -> tuple[int, int]:
    x = frame.side_x if state in SIDE else frame.main_x
    return x, TOP + rows[state] * ROW_H


def _label(x: float, y: float, lines: list[str], anchor: str = "middle") -> str:
    """One line per step; the block is centred vertically on ``y``."""
    top = y - 7 * (len(lines) - 1)
    spans = "".join(f'<tspan x="{x:.0f}" y="{top + 14 * i:.0f}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return f'<text class="edge-label" text-anchor="{anchor}">{spans}</text>'


def _path(points: list[tuple[float, float]], dashed: bool) -> str:
    d = " ".join(f"{'M' if i == 0 else 'L'}{x:.0f},{y:.0f}" for i, (x, y) in enumerate(points))
    return f'<path d="{d}" class="edge{" back" if dashed else ""}" marker-end="url(#arrow)"/>'


def _arrow_svg(arrow: Arrow, rows: dict[CaseState, int], frame: Frame, paired: bool) -> str:
    (sx, sy), (tx, ty) = _box(arrow.source, rows, frame), _box(arrow.target, rows, frame)
    smid, tmid = sy + BOX_H / 2, ty + BOX_H / 2
    lines, anchor, label = list(dict.fromkeys(arrow.labels)), "middle", None
    if arrow.kind == "next":  # beside a step back up, the pair sits left and right of the centre
        x = sx + BOX_W / 2 - (22 if paired else 0)
        points = [(x, sy + BOX_H), (x, ty)]
        label, anchor = ((x - 8, (sy + BOX_H + ty) / 2 + 4), "end") if paired else ((x + 8, (sy + BOX_H + ty) / 2 + 4), "start")
    elif arrow.kind == "up":
        x = sx + BOX_W / 2 + 22
        points = [(x, sy), (x, ty + BOX_H)]
        label, anchor = (x + 8, (ty + BOX_H + sy) / 2 + 4), "start"
    elif arrow.kind == "down":
        lane_x = frame.main_x - 40 - arrow.lane * LANE_W
        points = [(sx, smid), (lane_x, smid), (lane_x, tmid), (tx, tmid)]
        label = (lane_x, (smid + tmid) / 2 + 4)
    elif arrow.kind == "back":
        lane_x = frame.back_x + arrow.lane * LANE_W + LANE_W / 2
        points = [(sx + BOX_W, smid - 8), (lane_x, smid - 8), (lane_x, tmid + 8), (tx + BOX_W, tmid + 8)]
        label = (lane_x, (smid + tmid) / 2 + 4)
    elif arrow.kind == "out":  # labelled once, at the side state (see flow_svg)
        points = [(sx + BOX_W, smid), (tx, tmid)]
    else:  # in: from the side column back into the main column, round the right
        lane_x = frame.right_x + arrow.lane * LANE_W + LANE_W / 2
        points = [(sx + BOX_W, smid), (lane_x, smid), (lane_x, tmid), (frame.main_x + BOX_W, tmid)]
        label = (lane_x, (smid + tmid) / 2 + 4)
    title = f"{arrow.source.label} → {arrow.target.label}：{'、'.join(lines)}"
    text = _label(*label, lines, anchor) if label else ""
    return f'<g class="step"><title>{escape(title)}</title>{_path(points, arrow.kind in {"back", "up"})}{text}</g>'


def _side_labels(arrows: list[Arrow], rows: dict[CaseState, int], frame: Frame) -> list[str]:
    labels: dict[CaseState, list[str]] = defaultdict(list)
    for arrow in arrows:
        if arrow.kind == "out":
            labels[arrow.target] += [label for label in arrow.labels if label not in labels[arrow.target]]
    return [_label(frame.side_x - 10, TOP + rows[state] * ROW_H + BOX_H / 2 - 8, lines, "end")
            for state, lines in labels.items()]


STYLE = ("<style>.node rect{fill:#eef4fb;stroke:#1f5fa8;stroke-width:1.5}.node.side rect{fill:#f6f0e8;"
         "stroke:#8a5a1c}.node text{font-size:15px;fill:#102a43}.edge{fill:none;stroke:#3d4f63;stroke-width:1.3}"
         ".edge.back{stroke-dasharray:5 3}.edge-label{font-size:12px;fill:#243b53;paint-order:stroke;"
         "stroke:#fff;stroke-width:4px;stroke-linejoin:round}</style>")


def flow_svg() -> str:
    """The chart as a standalone ``<svg>`` element (safe to inline: every label is escaped)."""
    all_edges = edges()
    rows = _rows(all_edges)
    arrows = _arrows(all_edges, rows)
    frame = Frame.of(arrows, rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" class="flowchart" '
        f'role="img" aria-labelledby="flow-title">',
        '<title id="flow-title">行政处罚办案流程图（由平台办案流程自动生成）</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3d4f63"/></marker></defs>',
        STYLE,
    ]
    pairs = {(a.source, a.target) for a in arrows}
    parts += [_arrow_svg(a, rows, frame, (a.target, a.source) in pairs) for a in arrows]
    parts += _side_labels(arrows, rows, frame)
    for state in rows:
        x, y = _box(state, rows, frame)
        css = "node side" if state in SIDE else "node"
        parts.append(f'<g class="{css}" id="state-{state.value}"><rect x="{x}" y="{y}" width="{BOX_W}" '
                     f'height="{BOX_H}" rx="6"/><text x="{x + BOX_W / 2:.0f}" y="{y + BOX_H / 2 + 5:.0f}" '
                     f'text-anchor="middle">{escape(state.label)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)
