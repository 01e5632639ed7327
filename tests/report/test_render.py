from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from varde.report.build import Report, build_report
from varde.report.facts import CaseFact
from varde.report.render import defuse, render_html, write_pdf, write_tables

from .conftest import AS_OF

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def report() -> Report:
    from .conftest import at, fact

    facts = [
        fact(
            "A",
            "uncovered",
            at(7, 1),
            uncovered_at=at(7, 2),
            networks=frozenset({HOSTILE}),
            sources=frozenset({"monitoring", "tip"}),
        ),
        fact(
            "B",
            "detected",
            at(8, 1),
            district="Vest",
            networks=frozenset({"=HYPERLINK(1)"}),
            sources=frozenset({"tip"}),
        ),
        fact("C", "prevented", at(8, 9), prevented_at=at(8, 10), district="Øst"),
    ]
    return build_report(facts, "2025Q3", as_of=AS_OF, backmen=[("@$nattjobb$", 3)])


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return render_html(report)


def test_html_is_self_contained(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert re.search(r"(?i)\b(?:https?|ftp)://", html) is None
    assert re.search(r"(?i)\ssrc\s*=", html) is None
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert "<svg" in html and "© Kartverket" in html
    assert "FORECAST" in html


def test_html_escapes_text_from_data(html: str) -> None:
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "@$nattjobb$" in html


def test_html_shows_headline_figures_and_assumptions(html: str) -> None:
    assert "Unique orders" in html and "Uncovered" in html
    assert "What this estimate assumes" in html
    assert "Time to action" in html


def test_pdf_is_written(report: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_pdf(report, path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 8


def test_csv_and_xlsx_tables(report: Report, tmp_path: Path) -> None:
    written = write_tables(report, tmp_path / "tables")
    names = {path.name for path in written}
    assert {"headline.csv", "by_district_no.csv", "dark_figure.csv", "time_to_action.csv"} <= names
    with (tmp_path / "tables" / "headline.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["Figure", "2025Q3"]
    assert rows[2][:2] == ["Unique orders", "3"]
    with (tmp_path / "tables" / "top_networks.csv").open(encoding="utf-8-sig") as handle:
        assert "'=HYPERLINK(1)" in handle.read()
    workbook = load_workbook(tmp_path / "tables" / "report-2025Q3.xlsx")
    assert "headline" in workbook.sheetnames and "backmen" in workbook.sheetnames
    assert workbook["headline"]["A4"].value == "Unique orders" and workbook["headline"]["B4"].value == 3


def test_defuse_leaves_numbers_and_plain_text() -> None:
    assert defuse("-5") == "'-5"
    assert defuse(-5) == -5
    assert defuse("Oslo") == "Oslo"


def test_empty_report_renders(tmp_path: Path) -> None:
    report = build_report([], "2025Q3", as_of=AS_OF)
    assert "no source is recorded" in render_html(report)
    write_pdf(report, tmp_path / "empty.pdf")


def test_report_for_some_districts_greys_the_others(hand_facts: list[CaseFact]) -> None:
    report = build_report(
        [replace(f, networks=frozenset()) for f in hand_facts], "2025Q3", districts=["Øst"], as_of=AS_OF
    )
    html = render_html(report)
    assert "Øst only" in html
    assert "Foxtrot" not in html
