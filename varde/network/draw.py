"""A neighbourhood laid out for drawing as SVG on the server: positions only, no markup (the template writes the
SVG, autoescaped, so labels from posts stay text).

    drawing = draw(focus_id, view["nodes"], view["edges"])
    drawing.nodes[0].x, drawing.nodes[0].y, drawing.edges[0].x1 …

The layout is radial and deterministic (the same input gives the same picture, no random seed involved): the focus
in the centre, the entities linked to it on an inner ring, the rest on an outer ring; on each ring entities are
grouped by kind and sorted by label, so a neighbourhood reads like a labelled star rather than a hairball. At most
`MAX_NODES` entities are drawn (those with the heaviest links to the focus first); the rest are counted. Pure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_NODES = 48
SIZE = 760  # width and height of the drawing, in SVG user units
MARGIN = 150  # room for labels outside the outer ring
LABEL_CHARS = 28
# Kinds in ring order (accounts next to orders, identifiers after), and their short symbol in the legend.
KIND_ORDER = ("order", "account", "phone", "email", "wallet", "url", "channel", "case", "network", "person")


@dataclass(frozen=True, slots=True)
class PlacedNode:
    id: str
    kind: str
    label: str
    x: float
    y: float
    focus: bool
    anchor: str  # SVG text-anchor for its label: start (right side), end (left side) or middle
    lx: float  # where its label goes
    ly: float


@dataclass(frozen=True, slots=True)
class PlacedEdge:
    type: str
    weight: float
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Drawing:
    size: int
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    left_out: int  # entities of the neighbourhood not drawn (over MAX_NODES)
    kinds: tuple[str, ...]  # the kinds drawn, for the legend


def short(label: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(label.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ring_order(node: Mapping[str, Any]) -> tuple[int, str, str]:
    kind = str(node.get("kind"))
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    return (rank, str(node.get("label") or "").lower(), str(node.get("id")))


def draw(
    focus: str,
    nodes: Sequence[Mapping[str, Any]],
    edges: Sequence[Mapping[str, Any]],
    *,
    max_nodes: int = MAX_NODES,
    size: int = SIZE,
) -> Drawing:
    """Positions for the focus, its neighbours and the links among them (nodes and edges as `Entity.to_dict` and
    `Edge.to_dict` give them)."""
    by_id = {str(n["id"]): n for n in nodes}
    if focus not in by_id:
        return Drawing(size, (), (), len(by_id), ())
    strength: dict[str, float] = {}
    for edge in edges:
        source, target = str(edge["source"]), str(edge["target"])
        if focus in (source, target):
            other = target if source == focus else source
            strength[other] = strength.get(other, 0.0) + float(edge.get("weight") or 1.0)
    others = [n for n in by_id if n != focus]
    others.sort(key=lambda n: (n not in strength, -strength.get(n, 0.0), _ring_order(by_id[n])))
    kept = others[: max(0, max_nodes - 1)]
    inner = sorted((by_id[n] for n in kept if n in strength), key=_ring_order)
    outer = sorted((by_id[n] for n in kept if n not in strength), key=_ring_order)
    centre = size / 2
    radius = (size - 2 * MARGIN) / 2
    rings = [(inner, radius * (0.55 if outer else 1.0), 0.0), (outer, radius, math.pi / max(1, len(outer)))]
    focus_node = by_id[focus]
    placed: dict[str, PlacedNode] = {
        focus: PlacedNode(
            focus,
            str(focus_node["kind"]),
            short(str(focus_node["label"])),
            centre,
            centre,
            True,
            "middle",
            centre,
            centre + 30,
        )
    }
    for members, r, offset in rings:
        count = len(members)
        for index, node in enumerate(members):
            angle = -math.pi / 2 + offset + 2 * math.pi * index / max(1, count)
            x, y = centre + r * math.cos(angle), centre + r * math.sin(angle)
            x, y = round(x, 1), round(y, 1)
            if abs(math.cos(angle)) < 0.2:  # top or bottom: label above or below
                anchor, lx, ly = "middle", x, (y - 14 if y < centre else y + 22)
            else:
                anchor = "start" if math.cos(angle) > 0 else "end"
                lx, ly = (x + 12 if anchor == "start" else x - 12), y + 4
            node_id = str(node["id"])
            label = str(node["label"])
            if node.get("kind") == "account" and node.get("platform"):  # the same handle on two platforms: tell apart
                label = f"{label} · {node['platform']}"
            placed[node_id] = PlacedNode(node_id, str(node["kind"]), short(label), x, y, False, anchor, lx, ly)
    lines = []
    for edge in sorted(edges, key=lambda e: (str(e["source"]), str(e["target"]), str(e["type"]))):
        a, b = placed.get(str(edge["source"])), placed.get(str(edge["target"]))
        if a is None or b is None or a is b:
            continue
        lines.append(PlacedEdge(str(edge["type"]), float(edge.get("weight") or 1.0), a.x, a.y, b.x, b.y))
    drawn = tuple(placed.values())
    kinds = tuple(sorted({n.kind for n in drawn}, key=lambda k: KIND_ORDER.index(k) if k in KIND_ORDER else 99))
    return Drawing(size, drawn, tuple(lines), len(others) - len(kept), kinds)
