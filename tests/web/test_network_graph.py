"""The network page's graph: inline SVG drawn on the server for what the user may see, post text inert in it, and
the backmen list with one line per actor and the reason behind an unknown route, in the page's language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import Seeded, login


def test_the_neighbourhood_is_drawn_as_svg(client: TestClient, seeded: Seeded) -> None:
    login(client, "ana")
    page = client.get(f"/network?case={seeded.case('o-oslo')}").text
    svg = page[page.index('<svg id="network-graph"') : page.index("</svg>")]
    assert "order:o-oslo" in svg and "acct:telegram:nattjobb" in svg
    assert svg.count("<circle") >= 3 and "<line" in svg
    assert "<script" not in svg and "style=" not in svg
    assert client.get(f"/api/network?case={seeded.case('o-oslo')}").json()["graph"]["nodes"][0]["focus"] is True


def test_hostile_names_stay_text_in_the_graph(client: TestClient, seeded: Seeded) -> None:
    login(client, "ana")
    page = client.get(f"/network?case={seeded.case('o-evil-0')}").text
    svg = page[page.index('<svg id="network-graph"') : page.index("</svg>")]
    assert "&lt;b&gt;evil0&lt;/b&gt;" in svg  # the channel named <b>evil0</b><script>… is drawn as text
    assert "<script" not in svg and "<b>" not in svg


def test_the_graph_follows_the_district_scope(client: TestClient, seeded: Seeded) -> None:
    login(client, "vera")  # investigator in Vest
    assert client.get(f"/network?case={seeded.case('o-oslo')}").status_code == 404
    assert client.get("/network?entity=acct:telegram:nattjobb").status_code == 404
    page = client.get(f"/network?case={seeded.case('o-vest')}").text
    svg = page[page.index('<svg id="network-graph"') : page.index("</svg>")]
    assert "order:o-vest" in svg and "nattjobb" not in svg


def test_backmen_in_bokmal_say_why_a_route_is_unknown(app: object, seeded: Seeded) -> None:
    with TestClient(app, base_url="http://127.0.0.1") as client:  # type: ignore[arg-type]
        login(client, "ana")
        page = client.get("/network").text
        backmen = page[page.index('id="backmen"') :]
        assert "Hvorfor:" in backmen and "Intet land" in backmen and "Slik løses det:" in backmen
        assert "ukjent" in backmen  # the route, translated
        # Each row names its actor once: no handle repeated within a label.
        for label in re.findall(r'<td class="actor"><a class="mono" href="[^"]+">([^<]+)</a>', backmen):
            names = [n.strip() for n in label.split(",")]
            assert len(names) == len(set(names)), label


def test_a_handle_used_by_one_actor_on_several_platforms_opens_that_actor(client: TestClient, seeded: Seeded) -> None:
    login(client, "ana")
    page = client.get("/network?entity=@nattjobb")  # telegram and x: judged the same actor by entity resolution
    assert page.status_code == 200 and '<svg id="network-graph"' in page.text
