from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from varde.cases.access import Actor
from varde.cases.accounts import AccountService
from varde.cases.ingest import ingest
from varde.cli.report import report_command
from varde.report.facts import CaseFact, fact_to_dict
from varde.store import Store
from varde.store.case_tables import audit_events

from .test_load import record


def test_report_from_a_facts_file(hand_facts: list[CaseFact], tmp_path: Path) -> None:
    facts = tmp_path / "facts.jsonl"
    facts.write_text("".join(json.dumps(fact_to_dict(f)) + "\n" for f in hand_facts), encoding="utf-8")
    html, tables = tmp_path / "r.html", tmp_path / "tables"
    result = CliRunner().invoke(
        report_command, ["--quarter", "2025Q3", "--facts", str(facts), "-o", str(html), "--csv", str(tables)]
    )
    assert result.exit_code == 0, result.output
    assert "Unique orders        5" in result.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tables / "headline.csv").exists() and (tables / "report-2025Q3.xlsx").exists()


def test_bad_quarter_is_refused(tmp_path: Path) -> None:
    facts = tmp_path / "facts.jsonl"
    facts.write_text("", encoding="utf-8")
    result = CliRunner().invoke(report_command, ["--quarter", "2025-3", "--facts", str(facts)])
    assert result.exit_code != 0
    assert "2025Q3" in result.output


def test_report_from_the_store_covers_the_users_districts_and_is_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'varde.db'}"
    store = Store.open(url)
    ingest(
        store,
        [record("telegram:a:1", "o-oslo", "Oslo", 0, "monitoring"), record("telegram:a:2", "o-vest", "Vest", 5, "tip")],
    )
    AccountService(store).add_user(
        Actor("operator", "admin", frozenset(), "test"), "olav", "investigator", districts=("Oslo",)
    )
    csv_dir = tmp_path / "tables"
    result = CliRunner().invoke(
        report_command,
        ["--quarter", "2025Q3", "--db", url, "--as", "olav", "--csv", str(csv_dir)],
    )
    assert result.exit_code == 0, result.output
    assert "(Oslo; 1 cases)" in result.output
    districts = (csv_dir / "by_district_no.csv").read_text(encoding="utf-8-sig")
    assert "Oslo" in districts and "Vest" not in districts
    with store.engine.connect() as conn:
        actions = conn.execute(select(audit_events.c.actor, audit_events.c.action)).all()
    assert ("olav", "report.build") in [tuple(row) for row in actions]
    store.close()


def test_the_report_carries_the_audit_chain_head(tmp_path: Path) -> None:
    """A printed copy of the head, kept apart from the database, exposes a chain cut back later."""
    url = f"sqlite:///{tmp_path / 'varde.db'}"
    store = Store.open(url)
    store.save([record("telegram:a:1", "o-oslo", "Oslo", 0, "monitoring")])
    AccountService(store).add_user(Actor("operator", "admin", frozenset(), "test"), "sig", "supervisor")
    html = tmp_path / "r.html"
    result = CliRunner().invoke(report_command, ["--quarter", "2025Q3", "--db", url, "--as", "sig", "-o", str(html)])
    assert result.exit_code == 0, result.output
    with store.engine.connect() as conn:
        seq, digest = conn.execute(
            select(audit_events.c.seq, audit_events.c.hash).order_by(audit_events.c.seq.desc())
        ).first() or (0, "")
    assert f"audit chain head: event {seq}, {digest}" in result.output
    assert digest in html.read_text(encoding="utf-8")
    store.close()
