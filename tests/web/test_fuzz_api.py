"""Property-based fuzzing of the JSON API from its own OpenAPI schema (what schemathesis would do; it is not
installed): for every route, hypothesis draws path, query and body values from the schema — valid ones, values at
and past the bounds, junk of the wrong type — and sends them as an admin, as a supervisor and unauthenticated.
No request may answer 500 or raise. Bounded: a few examples per route and caller (well under 90 s on 2 cores)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varde.store import Store

from .conftest import Seeded, make_app, seed

EXAMPLES = 25  # per route and caller
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
# Text the way hostile posts write it: bidi controls, NUL, quotes, paths, huge numbers as text.
NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "\u202e", "\x00", "../../etc/passwd", "%00", "'; DROP TABLE cases;--", "9" * 25]),
)


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def value_for(schema: dict[str, Any], spec: dict[str, Any], known: dict[str, list[Any]]) -> st.SearchStrategy[Any]:
    """Values for `schema`: mostly in its type and bounds (plus the seeded ids and names), sometimes junk."""
    schema = _resolve(schema, spec)
    if "anyOf" in schema:
        return st.one_of([value_for(s, spec, known) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    typed: st.SearchStrategy[Any]
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        typed = st.one_of(
            st.integers(min_value=low, max_value=high),
            st.integers(min_value=-(2**70), max_value=2**70),
            st.sampled_from(known["ids"]),
        )
    elif kind == "number":
        typed = st.floats(allow_nan=False, allow_infinity=False)
    elif kind == "boolean":
        typed = st.booleans()
    elif kind == "string":
        typed = st.one_of(NASTY_TEXT, st.sampled_from(known["strings"]))
    elif kind == "array":
        typed = st.lists(value_for(schema.get("items", {}), spec, known), max_size=3)
    elif kind == "object":
        props = schema.get("properties", {})
        typed = st.fixed_dictionaries(
            {k: value_for(v, spec, known) for k, v in props.items() if k in schema.get("required", [])},
            optional={k: value_for(v, spec, known) for k, v in props.items() if k not in schema.get("required", [])},
        )
    elif kind == "null":
        typed = st.none()
    else:
        typed = JUNK
    return st.one_of(typed, typed, typed, JUNK)  # three to one: mostly well-typed, so the handlers run


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path, op


def request_strategy(
    path: str, op: dict[str, Any], spec: dict[str, Any], known: dict[str, list[Any]]
) -> st.SearchStrategy[dict[str, Any]]:
    path_params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "path"}
    query_params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
    content = op.get("requestBody", {}).get("content", {})
    body: st.SearchStrategy[Any] = st.none()
    if "application/json" in content:
        body = st.one_of(value_for(content["application/json"]["schema"], spec, known), JUNK)
    elif "multipart/form-data" in content:
        form = _resolve(content["multipart/form-data"]["schema"], spec)
        body = st.dictionaries(st.sampled_from(sorted(form.get("properties", {})) or ["text"]), NASTY_TEXT, max_size=4)
    return st.fixed_dictionaries(
        {
            "path": st.fixed_dictionaries(
                {n: value_for(p.get("schema", {}), spec, known) for n, p in path_params.items()}
            ),
            "query": st.fixed_dictionaries(
                {}, optional={n: value_for(p.get("schema", {}), spec, known) for n, p in query_params.items()}
            ),
            "body": body,
            "form": st.just("multipart/form-data" in content),
        }
    )


def send(client: TestClient, method: str, path: str, drawn: dict[str, Any], headers: dict[str, str]) -> int:
    url = path
    for name, value in drawn["path"].items():
        url = url.replace("{" + name + "}", quote(str(value), safe="") or "x")
    query = {k: str(v) for k, v in drawn["query"].items() if v is not None}
    if drawn["form"]:
        data = {k: str(v) for k, v in (drawn["body"] or {}).items()}
        response = client.request(method, url, params=query, data=data, headers=headers)
    elif drawn["body"] is not None or method == "POST":
        response = client.request(method, url, params=query, json=drawn["body"], headers=headers)
    else:
        response = client.request(method, url, params=query, headers=headers)
    return response.status_code


def fuzz_route(
    client: TestClient,
    method: str,
    path: str,
    requests: st.SearchStrategy[dict[str, Any]],
    who: str,
    headers: dict[str, str],
    examples: int,
) -> None:
    """Send `examples` drawn requests to one route as one caller; none may fail on the server."""

    @settings(
        max_examples=examples, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(drawn=requests)
    def check(drawn: dict[str, Any]) -> None:
        status = send(client, method, path, drawn, headers)
        assert status < 500, (method, path, who, drawn, status)
        if who == "anonymous":
            assert status in (401, 404, 405, 422), (method, path, drawn, status)

    check()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fuzz_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[FastAPI, Seeded, int]]:
    """The app on a seeded copy (SQLite, `EXAMPLES` per route) or a seeded PostgreSQL schema (fewer: slower)."""
    if request.param == "sqlite":
        seeded: Seeded = request.getfixturevalue("seeded")
        yield make_app(seeded.store, tmp_path), seeded, EXAMPLES
        return
    store = Store.open(str(request.getfixturevalue("postgres_url")))
    try:
        seeded = seed(store)
        yield make_app(store, tmp_path), seeded, EXAMPLES // 3
    finally:
        store.close()


def test_no_json_route_answers_500_to_schema_driven_input(fuzz_target: tuple[FastAPI, Seeded, int]) -> None:
    fuzz_app, seeded, examples = fuzz_target
    spec = fuzz_app.openapi()
    known = {
        "ids": sorted(seeded.case_ids.values()),
        "strings": ["ana", "sig", "vera", "acct:x:kro_jobb", "@nattjobb", "Oslo", "uncovered", "open", "read"],
    }
    callers = {
        "admin": {"authorization": f"Bearer {seeded.tokens['adm']}"},
        "supervisor": {"authorization": f"Bearer {seeded.tokens['sig']}"},
        "anonymous": {},
    }
    started = time.monotonic()
    covered = 0
    # raise_server_exceptions: an exception in a handler fails the test with its traceback, not just a 500.
    with TestClient(fuzz_app, base_url="http://127.0.0.1", raise_server_exceptions=True) as client:
        for method, path, op in operations(spec):
            for who, headers in callers.items():
                fuzz_route(client, method, path, request_strategy(path, op, spec, known), who, headers, examples)
                covered += 1
    assert covered >= 3 * 20  # every route of the schema, three callers
    assert time.monotonic() - started < 90
