"""The neighbourhood drawing: deterministic radial layout, the focus in the centre, direct links on the inner ring,
a bounded number of entities, labels shortened (markup is the template's business, so labels stay plain text)."""

from __future__ import annotations

from typing import Any

from varde.network.draw import draw, short


def node(id_: str, kind: str = "account", label: str | None = None) -> dict[str, Any]:
    return {"id": id_, "kind": kind, "label": label or id_}


def edge(a: str, b: str, type_: str = "posted", weight: float = 1.0) -> dict[str, Any]:
    return {"source": a, "target": b, "type": type_, "weight": weight}


NODES = [node("order:o1", "order"), node("acct:telegram:a"), node("phone:+4790000001", "phone"), node("acct:x:far")]
EDGES = [
    edge("acct:telegram:a", "order:o1"),
    edge("order:o1", "phone:+4790000001", "contact_in_ad"),
    edge("acct:x:far", "acct:telegram:a", "replied_to"),
]


def test_focus_in_the_centre_neighbours_inside_others_outside() -> None:
    drawing = draw("order:o1", NODES, EDGES)
    placed = {n.id: n for n in drawing.nodes}
    centre = drawing.size / 2
    assert (placed["order:o1"].x, placed["order:o1"].y) == (centre, centre) and placed["order:o1"].focus

    def distance(entity: str) -> float:
        return float(((placed[entity].x - centre) ** 2 + (placed[entity].y - centre) ** 2) ** 0.5)

    assert distance("acct:telegram:a") < distance("acct:x:far")
    assert abs(distance("acct:telegram:a") - distance("phone:+4790000001")) < 1e-6
    assert len(drawing.edges) == 3 and drawing.left_out == 0
    assert drawing.kinds == ("order", "account", "phone")


def test_the_same_input_gives_the_same_picture_in_any_order() -> None:
    assert draw("order:o1", NODES, EDGES) == draw("order:o1", list(reversed(NODES)), list(reversed(EDGES)))


def test_big_neighbourhoods_are_cut_heaviest_links_first() -> None:
    nodes = [node("order:o1", "order")] + [node(f"acct:telegram:u{i:03d}") for i in range(200)]
    edges = [edge(f"acct:telegram:u{i:03d}", "order:o1", "replied_to", weight=1 + (i == 150) * 9) for i in range(200)]
    drawing = draw("order:o1", nodes, edges, max_nodes=20)
    assert len(drawing.nodes) == 20 and drawing.left_out == 181
    assert "acct:telegram:u150" in {n.id for n in drawing.nodes}  # the heaviest link is kept
    assert all(e.x1 == drawing.size / 2 or e.x2 == drawing.size / 2 for e in drawing.edges)


def test_unknown_focus_draws_nothing_and_labels_are_shortened() -> None:
    assert draw("order:missing", NODES, EDGES).nodes == ()
    assert short("x" * 100) == "x" * 27 + "…" and short("a  b\nc") == "a b c"
