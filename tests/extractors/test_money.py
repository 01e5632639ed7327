from __future__ import annotations

import pytest

from varde.extractors import extract_payment
from varde.extractors.money import load_rates, to_nok


@pytest.mark.parametrize(
    ("text", "language", "country", "amount", "currency"),
    [
        ("Betaler 50k for jobben", "nb", None, 50_000, "NOK"),
        ("50 000 kr cash etterpå", "nb", None, 50_000, "NOK"),
        ("50.000,- etter utført", "nb", None, 50_000, "NOK"),
        ("60 lapper rett i hånda", "nb", None, 60_000, "NOK"),
        ("1,5 mill for det tunge", "nb", None, 1_500_000, "NOK"),
        ("Tjen femti tusen på en kveld", "nb", None, 50_000, "NOK"),
        ("Vi betaler 20–200k per oppdrag", "nb", None, 200_000, "NOK"),
        ("🔫 Dør – 40k\n🔥 Bil – 15k\n💣 Smell – 70k", "nb", None, 70_000, "NOK"),
        ("Betaling: 80", "nb", None, 80_000, "NOK"),
        ("100 ton innan fredag", "sv", None, 100_000, "SEK"),
        ("150 per skalle", "sv", None, 150_000, "SEK"),
        ("25 lax för en bil", "sv", None, 25_000, "SEK"),
        ("en halv mille för det stora", "sv", None, 500_000, "SEK"),
        ("Skrämsel: 10\nMisshandel: 25\nSkott: 50\nAllt i ton", "sv", None, 50_000, "SEK"),
        ("Sprängning – 80 ton\nDet stora – från 400", "sv", None, 400_000, "SEK"),
        ("b r ä n n a  e n  b i l  1 0  t o n", "sv", None, 10_000, "SEK"),
        ("Vi betaler 30.000 kr", "da", None, 30_000, "DKK"),
        ("20-100k pr. opgave", "da", None, 100_000, "DKK"),
        ("120.000 svenske kr for et skud-job", "da", None, 120_000, "SEK"),
        ("halvtreds tusind for det", "da", None, 50_000, "DKK"),
        ("Door job in Oslo, 40k", "en", "NO", 40_000, "NOK"),
        ("Gellerup i aften, stik en fyr, 30.000", "nb", "DK", 30_000, "DKK"),
        ("Jobb i København i kveld, 30k", "nb", "DK", 30_000, "NOK"),
        ("Job in Malmö, 40k", "en", "SE", 40_000, "SEK"),
        ("€4000 for a door job", "en", None, 4_000, "EUR"),
        ("4k EUR tonight", "en", None, 4_000, "EUR"),
        ("From 50k to 500k SEK", "en", None, 500_000, "SEK"),
        ("Prices in NOK. Door 40k", "en", None, 40_000, "NOK"),
        ("fifty grand", "en", "DK", 50_000, "DKK"),
        ("kl 22 i kveld, 30k", "nb", None, 30_000, "NOK"),
        ("ring 412 34 567, 40k", "nb", None, 40_000, "NOK"),
        ("Möt mig vid 7-Eleven kl 21, 50 lax", "sv", None, 50_000, "SEK"),
        ("Skjuta mot ett radhus. 80 papp", "sv", None, 80_000, "SEK"),
        ("40k+ for rett person", "nb", None, 40_000, "NOK"),
        ("Pris 40-60", "nb", None, 60_000, "NOK"),
        ("50 tkr direkt", "sv", None, 50_000, "SEK"),
        ("tjugofem tusen kronor", "sv", None, 25_000, "SEK"),
        ("femogtyve tusind", "da", None, 25_000, "DKK"),
        ("🔫 Dør: 40 000\n🔥 Bil: 15 000\n💣 Smell: 70 000", "nb", None, 70_000, "NOK"),
        ("30-50 lax beroende på jobb", "sv", None, 50_000, "SEK"),
        ("5 000 - 10 000 kr", "da", None, 10_000, "DKK"),
        ("Dør i Oslo 5\u20e30\u20e3k", "nb", None, 50_000, "NOK"),
        ("Paying 2.5 million for the big one. Oslo", "en", "NO", 2_500_000, "NOK"),
        ("Prisliste:\nBank - 15\nKniv - 40\nSmell - 60\nAlt i tusen", "nb", None, 60_000, "NOK"),
    ],
)
def test_payment(text: str, language: str, country: str | None, amount: int, currency: str) -> None:
    payment = extract_payment(text, language, country)
    assert payment is not None
    assert (payment.amount, payment.currency) == (amount, currency)
    assert payment.span is not None and text[payment.span[0] : payment.span[1]] == payment.text
    assert payment.amount_nok == to_nok(amount, currency)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("10 % av det du henter", "nb"),
        ("16 år, 15+ ok", "nb"),
        ("Ordrenr 45812345", "nb"),
        ("Ring 412 34 567", "nb"),
        ("År 2025 var rolig", "nb"),
        ("Vi er 3 stk. Kom kl 23.", "nb"),
        ("Tjena, är 16 och kan göra jobb", "sv"),
        ("Tar 15-17 åringar", "sv"),
        ("kl 22-23 i kveld", "nb"),
        ("kl 22.00, den 14.9", "nb"),
        ("2 personer, 500 m unna", "nb"),
        ("Snap: jobb.016", "nb"),
        ("Ingen betaling nevnt", "nb"),
        ("", "en"),
    ],
)
def test_no_payment(text: str, language: str) -> None:
    assert extract_payment(text, language, None) is None


def test_unknown_currency_stays_unknown() -> None:
    payment = extract_payment("Door job, 40k", "en", None)
    assert payment is not None and payment.amount == 40_000
    assert payment.currency is None and payment.amount_nok is None


def test_rates_are_dated_and_sourced() -> None:
    rates = load_rates()
    assert rates["date"] and rates["source"]
    assert rates["rates"]["NOK"] == 1.0
    assert to_nok(50_000, "SEK") == round(50_000 * rates["rates"]["SEK"])


@pytest.mark.parametrize(
    ("text", "language", "country", "amount", "currency"),
    [
        ("Prices in EUR. Job in Copenhagen tomorrow, 5000 for the one who does it.", "en", "DK", 5_000, "EUR"),
        ("Job in Stockholm, 30000 for the one who does it, tonight.", "en", "SE", 30_000, "SEK"),
        ("Eg treng ein som kan skremme ein kar på Voss. 15 lappar.", "nn", "NO", 15_000, "NOK"),
        ("Söker folk, 15 lappar var", "sv", None, 15_000, "SEK"),
    ],
)
def test_bare_amounts_after_the_job_and_slang_by_language(
    text: str, language: str, country: str | None, amount: int, currency: str
) -> None:
    payment = extract_payment(text, language, country)
    assert payment is not None
    assert (payment.amount, payment.currency) == (amount, currency)


def test_payment_text_does_not_take_the_full_stop() -> None:
    text = "Jobb: knivstikk en kar i Malmö, 60.000 kr. Snap: natt.jobb7"
    payment = extract_payment(text, "sv", "SE")
    assert payment is not None and payment.text == "60.000 kr"
    assert payment.span is not None and text[payment.span[0] : payment.span[1]] == "60.000 kr"


@pytest.mark.parametrize(
    ("text", "language", "amount", "currency"),
    [
        ("tvåhundra tusen till den som fixar det", "sv", 200_000, "SEK"),
        ("50ksek direkt", "sv", 50_000, "SEK"),
        ("jobb: 35 på hånda", "nb", 35_000, "NOK"),
        ("40 cash etter jobben", "nb", 40_000, "NOK"),
        ("Job in Copenhagen tomorrow, 60,000 kr", "da", 60_000, "DKK"),
        ("30–50k for rett person", "nb", 50_000, "NOK"),
        ("25.000 pr. mand", "da", 25_000, "DKK"),
    ],
)
def test_glued_units_money_in_hand_and_separators(text: str, language: str, amount: int, currency: str) -> None:
    payment = extract_payment(text, language, None)
    assert payment is not None
    assert (payment.amount, payment.currency) == (amount, currency)


@pytest.mark.parametrize("text", ["5 km unna", "3 stk cash", "kl 22.00 på hånda"])
def test_counts_and_times_next_to_money_words_are_no_pay(text: str) -> None:
    assert extract_payment(text, "nb", None) is None
