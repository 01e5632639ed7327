"""The command line in the user's language: VARDE_LANG, else the locale, else bokmål; every message it marks for
translation has its entry in each catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from varde import i18n
from varde.cli import cli, main

CLI = Path(i18n.__file__).parent / "cli"


@pytest.mark.parametrize("lang", ["nb", "sv", "da"])
def test_every_cli_message_is_translated(lang: str) -> None:
    wanted = i18n.python_messages(CLI)
    assert len(wanted) > 30  # the extractor sees the messages at all
    with i18n.po_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = [
        f"{where[0]}:{where[1]} {text!r}"
        for text, where in wanted.items()
        if not getattr(catalog.get(text), "string", "")
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "nb"),
        ({"LANG": "C.UTF-8"}, "nb"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "da_DK.UTF-8"}, "da"),
        ({"LANG": "nn_NO.UTF-8"}, "nb"),
        ({"LANG": "de_DE.UTF-8"}, "nb"),
        ({"VARDE_LANG": "en", "LANG": "sv_SE.UTF-8"}, "en"),
        ({"VARDE_LANG": "xx", "LANG": "da_DK.UTF-8"}, "da"),
    ],
)
def test_cli_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.cli_language(environ) == expected


def _scan_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> tuple[str, str, str]:
    monkeypatch.setenv("VARDE_LANG", lang)
    db = f"sqlite:///{tmp_path / f'{lang}.db'}"
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        '{"id": "t1", "platform": "telegram", "created_at": "2025-09-14T18:00:00+00:00", '
        '"text": "Skyt en kar på Grønland i kveld, 50k cash. DM @nattjobb_test"}\n',
        encoding="utf-8",
    )
    runner = CliRunner()
    scan = runner.invoke(cli, ["scan", str(posts), "--db", db])
    assert scan.exit_code == 0, scan.output
    runner.invoke(
        cli,
        ["users", "add", "ola", "--role", "analyst", "--db", db, "--password-stdin"],
        input="a very long secret 42\n",
    )
    listing = runner.invoke(cli, ["case", "list", "--as", "ola", "--db", db], terminal_width=160)
    shown = runner.invoke(cli, ["case", "show", "1", "--as", "ola", "--db", db])
    return scan.output, listing.output, shown.output


def test_scan_case_list_and_show_in_bokmal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan, listing, shown = _scan_and_list(tmp_path, monkeypatch, "nb")
    assert "innlegg lest" in scan and "databasen har nå" in scan
    assert "saker: 1" in listing and "oppdaget" in listing and "første gang sett" in listing
    assert "sak 1  [oppdaget]" in shown and "historikk:" in shown and "betaling:" in shown
    scan, listing, shown = _scan_and_list(tmp_path, monkeypatch, "en")
    assert "posts read" in scan and "cases: 1" in listing and "case 1  [detected]" in shown


def test_errors_in_the_users_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VARDE_LANG", "sv")
    monkeypatch.setattr(
        "sys.argv", ["varde", "case", "show", "999", "--as", "nobody", "--db", f"sqlite:///{tmp_path / 'e.db'}"]
    )
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code != 0
    assert capsys.readouterr().err.startswith("fel: ")
