"""The report in the user's language: every report text has its translation in the bokmål, Swedish and Danish
catalogs, tables and PDF pages come out translated, and `varde report --lang` chooses it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from varde import i18n
from varde.cli.report import report_command
from varde.report.build import build_report
from varde.report.charts import COUNTRY_TITLES
from varde.report.facts import CaseFact, fact_to_dict
from varde.report.render import pdf_pages, render_html
from varde.report.stats import DEFINITIONS, METRIC_LABELS
from varde.report.text import language, tr, translate_table

from .conftest import AS_OF

REPORT = Path(__file__).resolve().parents[2] / "varde" / "report"


def report_messages() -> set[str]:
    """The literal messages passed to `tr` in the report's code, and the fixed texts it translates."""
    found = set(METRIC_LABELS.values()) | set(DEFINITIONS) | set(COUNTRY_TITLES.values())
    for name in ("charts.py", "render.py"):
        for node in ast.walk(ast.parse((REPORT / name).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found | set(i18n.template_messages(REPORT / "templates"))


@pytest.mark.parametrize("lang", ["nb", "sv", "da"])
def test_every_report_text_is_translated(lang: str) -> None:
    wanted = report_messages()
    assert len(wanted) > 40
    with i18n.po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = sorted(text for text in wanted if not (catalog.get(text) and catalog.get(text).string))
    assert missing == []


def test_tables_and_pages_in_bokmal(hand_facts: list[CaseFact]) -> None:
    report = build_report(hand_facts, "2025Q3", as_of=AS_OF)
    assert translate_table(report.table("headline")).title == "Headline figures, 2025Q3"  # English: unchanged
    with language("nb"):
        headline = translate_table(report.table("headline"))
        assert headline.title == "Hovedtall, 2025Q3"
        assert headline.columns[:2] == ("Tall", "2025Q3")
        assert headline.rows[1][0] == "Unike bestillinger" and headline.rows[1][1] == 5
        time = translate_table(report.table("time_to_action"))
        assert "Første innlegg → avdekket: median t" in time.columns
        front = pdf_pages(report)[0]
        assert front.texts[0].get_text() == "Bestillinger av vold på oppdrag — 2025Q3"
        assert "Definisjoner" in front.texts[1].get_text()
    assert tr("Definitions") == "Definitions"  # the language ends with its block


def test_cli_report_lang(hand_facts: list[CaseFact], tmp_path: Path) -> None:
    facts = tmp_path / "facts.jsonl"
    facts.write_text("".join(json.dumps(fact_to_dict(f)) + "\n" for f in hand_facts), encoding="utf-8")
    pdf = tmp_path / "r.pdf"
    result = CliRunner().invoke(
        report_command, ["--quarter", "2025Q3", "--facts", str(facts), "--pdf", str(pdf), "--lang", "sv"]
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    refused = CliRunner().invoke(report_command, ["--quarter", "2025Q3", "--facts", str(facts), "--lang", "fr"])
    assert refused.exit_code == 2


def test_html_report_in_bokmal(hand_facts: list[CaseFact]) -> None:
    report = build_report(hand_facts, "2025Q3", as_of=AS_OF)
    html = render_html(report, lang="nb")
    assert '<html lang="nb">' in html
    assert "<h1>Bestillinger av vold på oppdrag — 2025Q3</h1>" in html
    assert "<caption>Hovedtall, 2025Q3</caption>" in html and "Definisjoner" in html
    assert "Orders for contract violence" not in html
    english = render_html(report)
    assert '<html lang="en">' in english and "<h1>Orders for contract violence — 2025Q3</h1>" in english
