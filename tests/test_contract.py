"""`varde analyze` output has the exact shape of CONTRACT §2 for every post of the shared dev set."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import DEV_SET
from varde.cli import cli
from varde.vocab import ALL_DISTRICTS, CONTACT_KINDS, LANGUAGES, TARGET_KINDS, VIOLENCE_TYPES

FIELDS = {
    "id": str,
    "is_order": bool,
    "score": float,
    "language": (str, type(None)),
    "violence_types": list,
    "order_id": (str, type(None)),
    "cues": list,
    "when": (dict, type(None)),
    "places": list,
    "payment": (dict, type(None)),
    "contacts": list,
    "target": (dict, type(None)),
    "minor_signals": list,
    "urgency": float,
    "band": str,  # second wave: order, possible (review band) or none, consistent with is_order
    "place": (dict, type(None)),  # second wave: the primary place, one of `places`
}


def check_contract(obj: dict[str, Any]) -> list[str]:
    """Every problem with one output object (empty when it follows the contract)."""
    problems = []
    if set(obj) != set(FIELDS):
        problems.append(f"fields {sorted(set(obj) ^ set(FIELDS))} differ from the contract")
    for name, kind in FIELDS.items():
        if name in obj and not isinstance(obj[name], kind) and not (kind is float and type(obj[name]) is int):
            problems.append(f"{name}: {type(obj[name]).__name__}")
    for name in ("score", "urgency"):
        value = obj.get(name)
        if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            problems.append(f"{name} is not a number in [0, 1]")
    if obj.get("language") is not None and obj["language"] not in LANGUAGES:
        problems.append(f"language {obj['language']!r}")
    if not set(obj.get("violence_types") or []) <= set(VIOLENCE_TYPES):
        problems.append("violence_types outside the vocabulary")
    if obj.get("band") not in ("order", "possible", "none") or (obj.get("band") == "order") != obj.get("is_order"):
        problems.append(f"band {obj.get('band')!r} with is_order {obj.get('is_order')!r}")
    if obj.get("is_order") is False and obj.get("order_id") is not None:
        problems.append("order_id set on a non-order")
    for cue in obj.get("cues") or []:
        if set(cue) - {"origin"} != {"kind", "text", "start", "end"} or not cue["start"] <= cue["end"]:
            problems.append(f"cue {cue}")
    when = obj.get("when")
    if when is not None:
        if set(when) != {"text", "start", "end"}:
            problems.append("when fields")
        else:
            for key in ("start", "end"):
                if datetime.fromisoformat(when[key]).utcoffset() is None:
                    problems.append(f"when.{key} has no offset")
    for place in obj.get("places") or []:
        if set(place) != {"text", "country", "municipality", "municipality_code", "district"}:
            problems.append("place fields")
        elif place["district"] is not None and place["district"] not in ALL_DISTRICTS:
            problems.append(f"district {place['district']!r}")
    place = obj.get("place")
    if place is not None and place not in (obj.get("places") or []):
        problems.append("place is not one of places")
    if place is None and any(p.get("country") for p in obj.get("places") or []):
        problems.append("place missing though a place names a country")
    payment = obj.get("payment")
    if payment is not None and set(payment) != {"text", "amount", "currency", "amount_nok"}:
        problems.append("payment fields")
    for contact in obj.get("contacts") or []:
        if set(contact) != {"kind", "value"} or contact["kind"] not in CONTACT_KINDS:
            problems.append(f"contact {contact}")
    target = obj.get("target")
    if target is not None and (set(target) != {"text", "kind"} or target["kind"] not in TARGET_KINDS):
        problems.append(f"target {target}")
    if not all(isinstance(s, str) for s in obj.get("minor_signals") or []):
        problems.append("minor_signals")
    return problems


def test_checker_finds_problems() -> None:
    assert check_contract({"id": "x"})
    assert check_contract({**dict.fromkeys(FIELDS), "id": "x"})


@pytest.mark.skipif(not DEV_SET.exists(), reason="shared dev set not present")
def test_analyze_output_follows_contract_on_dev_set(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["analyze", str(DEV_SET), "-o", str(out)])
    assert result.exit_code == 0, result.output
    inputs = [json.loads(line)["id"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    outputs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in outputs] == inputs
    problems = {o["id"]: check_contract(o) for o in outputs}
    assert not {k: v for k, v in problems.items() if v}
    assert any(o["is_order"] for o in outputs)
