from __future__ import annotations

import pytest

from varde.extractors import extract_contacts
from varde.extractors.wallets import base58check_ok, bech32_ok, eip55_ok, keccak256, monero_ok

# Checksum-valid public test vectors (BIP-173/350, EIP-55, well-known example addresses), not anyone's contact.
BTC_BECH32 = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
BTC_LEGACY = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"
ETH_MIXED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
XMR = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
TRON = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
SESSION = "05" + "ab12" * 16


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tg @nattjobb_osl", [("telegram", "@nattjobb_osl")]),
        ("skriv på TG: Kveldsjobb_99", [("telegram", "@kveldsjobb_99")]),
        ("snap: jobb.osl", [("snapchat", "@jobb.osl")]),
        ("Adresse får du på snap. Snap: Raske.Penger", [("snapchat", "@raske.penger")]),
        ("sc fixaren.08", [("snapchat", "@fixaren.08")]),
        ("insta @uppdrag.nu", [("instagram", "@uppdrag.nu")]),
        ("Signal: holmen.kontor.07", [("signal", "@holmen.kontor.07")]),
        ("Skriv på signal: malmo.kontor", [("signal", "@malmo.kontor")]),
        ("Wickr: skygge_77 / mail skygge.x@proton.me", [("wickr", "@skygge_77"), ("email", "skygge.x@proton.me")]),
        ("threema: ABCD2345", [("threema", "@abcd2345")]),
        (f"Session: {SESSION}", [("session", SESSION)]),
        ("Details in private. @cph_contracts", [("telegram", "@cph_contracts")]),
        ("dm @jobb.uppsala", [("other", "@jobb.uppsala")]),
        ("snap n a t t j o b b . o s l", [("snapchat", "@nattjobb.osl")]),
        ("Gå med: t.me/+Rk9vQ2xYbW1h", [("url", "https://t.me/+Rk9vQ2xYbW1h")]),
        ("https://t.me/joinchat/AbCdEf123", [("url", "https://t.me/+AbCdEf123")]),
        ("t.me/kveldsjobben", [("telegram", "@kveldsjobben")]),
        ("Kontakt: Jobb@Example.COM", [("email", "jobb@example.com")]),
        ("sms +45 52 10 00 17", [("phone", "+4552100017")]),
        ("ring 070-174 06 12", [("phone", "+46701740612")]),
        ("sms 466 01 234", [("phone", "+4746601234")]),
        ("ring meg på 41234567", [("phone", "+4741234567")]),
        ("WhatsApp +44 7700 900123", [("phone", "+447700900123")]),
        ("tlf 9O1 23 4l5", [("phone", "+4790123415")]),
        ("ring ni sju fire fem en to tre fire", [("phone", "+4797451234")]),
        ("call nine seven four five one two three four", [("phone", "+4797451234")]),
        (f"BTC: {BTC_BECH32}", [("btc", BTC_BECH32)]),
        (f"betal til {BTC_LEGACY}", [("btc", BTC_LEGACY)]),
        (f"ETH {ETH_MIXED}", [("eth", ETH_MIXED)]),
        (f"XMR {XMR}", [("xmr", XMR)]),
        (f"USDT TRC20: {TRON}", [("other", TRON)]),
        ("Tg @dobbel_jobb og tg @dobbel_jobb igjen", [("telegram", "@dobbel_jobb")]),
        ("https://instagram.com/Jobb.Bergen", [("instagram", "@jobb.bergen")]),
        ("snapchat.com/add/kvelds.jobb", [("snapchat", "@kvelds.jobb")]),
        ("wa.me/4741234567", [("phone", "+4741234567")]),
        ("Signal: +47 412 34 567", [("phone", "+4741234567")]),
        ("Snapa mig: malmo.kid", [("snapchat", "@malmo.kid")]),
    ],
)
def test_contacts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.kind, c.value) for c in extract_contacts(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ordrenr 45812345 er sendt",
        "Ordrenummer: 070-123 45 67",
        "Saksnummer 98765432. Ring aldri",
        "Bestillingsnr 412 34 567",
        "Vi betaler 40 000 000 kr",
        "kl 22.00 den 14.09.2025",
        "Min BankID-kode er 123456",
        "Årets beste, 2025",
        "@ab",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        "Snap eller signal, du velger",
        "wire 5000 first",
        "han skadar sig själv",
        "Session 2 starts now",
    ],
)
def test_not_contacts(text: str) -> None:
    assert extract_contacts(text) == ()


def test_spans_point_at_the_contact() -> None:
    text = "Skriv til @resejobb_se eller sms +46 70 123 45 67"
    for contact in extract_contacts(text):
        assert contact.span is not None
        assert contact.span[0] < contact.span[1] <= len(text)


def test_checksums() -> None:
    assert keccak256(b"").hex() == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    assert bech32_ok(BTC_BECH32) and not bech32_ok(BTC_BECH32[:-1] + "5")
    assert base58check_ok(BTC_LEGACY, (0, 5)) and not base58check_ok(BTC_LEGACY[:-1] + "3", (0, 5))
    assert eip55_ok(ETH_MIXED) and eip55_ok(ETH_MIXED.lower()) and not eip55_ok(ETH_MIXED[:-1] + "D")
    assert monero_ok(XMR) and not monero_ok(XMR[:-1] + "B")
    assert base58check_ok(TRON, (0x41,))


def test_language_puts_its_country_first() -> None:
    assert [c.value for c in extract_contacts("sms 52 10 00 17")] == ["+4752100017"]
    assert [c.value for c in extract_contacts("sms 52 10 00 17", "da")] == ["+4552100017"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A tip that quotes what was seen on Snapchat: the verb after "snap:" is running text, not a handle.
        ("Fikk denne på snap: Trenger noen til å skyte… Ring 912 34 567", [("phone", "+4791234567")]),
        ("Got this on snap: Looking for someone in Aarhus. Wickr: aarhus_burn", [("wickr", "@aarhus_burn")]),
        ("Fick denna på snap: Behöver någon i Umeå", []),
        # Still handles: a capitalised handle standing alone, or one with digits or dots.
        ("Snap: Nattjobb", [("snapchat", "@nattjobb")]),
        ("snap: Kalle99 skriv der", [("snapchat", "@kalle99")]),
    ],
)
def test_no_handle_from_running_text_after_a_platform_name(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.kind, c.value) for c in extract_contacts(text)] == expected


def test_a_bounty_target_handle_is_not_a_contact() -> None:
    found = extract_contacts("50k til den som tar ut @rottejakt_77, bevis på video. Tg @dusor_sentral")
    assert [(c.kind, c.value) for c in found] == [("telegram", "@dusor_sentral")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kontakt: natt.jobb på snap", [("snapchat", "@natt.jobb")]),
        ("add kalle_99 on snap", [("snapchat", "@kalle_99")]),
        ("@natt.jobb på snap", [("snapchat", "@natt.jobb")]),
        ("mail natt(at)proton.me", [("email", "natt@proton.me")]),
        ("natt [at] proton [dot] me", [("email", "natt@proton.me")]),
        # Not handles: plain words, amounts, times, file names, the word to write.
        ("nattjobb på snap", []),
        ("fikk 50k på snap", []),
        ("Jobb kl 22.00 på snap", []),
        ("se bilde_1.jpg på insta", []),
        ("Skriv «klar» på snap: raskecash.no", [("snapchat", "@raskecash.no")]),
    ],
)
def test_handles_before_their_platform_and_spelled_addresses(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.kind, c.value) for c in extract_contacts(text)] == expected
