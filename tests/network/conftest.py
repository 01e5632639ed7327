from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bench.synthetic.network import Scenario, generate
from varde.network.analysis import Analysis, analyse
from varde.network.attribution import parse_watchlist
from varde.network.cooperation import load_cooperation
from varde.network.graph import PostFacts

T0 = datetime(2025, 5, 1, 20, 0, tzinfo=UTC)


def post(id_: str, platform: str = "telegram", **kw: object) -> PostFacts:
    kw.setdefault("created_at", T0)
    return PostFacts(id=id_, platform=platform, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return generate(1)


@pytest.fixture(scope="session")
def analysis(scenario: Scenario) -> Analysis:
    return analyse(scenario.posts, watchlist=parse_watchlist(scenario.watchlist), cooperation=load_cooperation())
