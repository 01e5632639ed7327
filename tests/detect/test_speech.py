"""Who is speaking: reports of orders are not orders (the quoted ad becomes a cue); forwarded orders are orders."""

from __future__ import annotations

from varde.detect import clean, detect_languages, load_detector, model_text
from varde.detect.classifier import POSSIBLE_FLOOR, REPORTED_CEILING, Detection, band_of
from varde.detect.speech import quotations, speech

AD = "trenger en som kan skyte mot ei dør på Furuset i kveld, 40k, snap @kveldsjobb_x"
REPORT = f"I annonsen, lagt ut på Snapchat, sto det: «{AD}». Politiet ba foreldre være årvåkne, opplyser politiet."
FORWARD = f"fikk denne på snap nå nettopp: «{AD}»"


def _detect(texts: list[str]) -> list[Detection]:
    views = [clean(t) for t in texts]
    return load_detector().detect(views, [model_text(v.text) for v in views], detect_languages([v.text for v in views]))


def test_quotations_are_the_quoted_messages() -> None:
    spans = quotations(REPORT)
    assert [REPORT[s.start : s.end] for s in spans] == [AD]
    assert quotations("han sa «ja» og gikk") == ()  # a word in quotes is not a message


def test_reporting_cues_count_outside_quotations_only() -> None:
    said = speech(REPORT)
    assert said.reports and said.forwarded is None
    inside = speech("fikk denne: «ifølge politiet er det 40k for en dør i kveld, snap meg»")
    assert not inside.reports and inside.forwarded is not None


def test_a_report_is_not_an_order_but_its_quoted_ad_is_a_cue() -> None:
    report, ad = _detect([REPORT, AD])
    assert ad.is_order
    assert not report.is_order and report.score <= REPORTED_CEILING and report.band == "none"
    quoted = [c for c in report.cues if c.kind == "quoted_order"]
    assert [(c.text, REPORT[c.start : c.end]) for c in quoted] == [(AD, AD)]


def test_reported_speech_without_quotes_is_not_an_order() -> None:
    texts = [
        "En 15-åring skulle få 50 000 kroner for å drepe en mann i Oslo, ifølge tiltalen.",
        "Bakmännen ska ha erbjudit 80 000 kronor för att spränga en port i Uppsala, uppger polisen.",
        "The men behind it are said to have offered 30,000 kroner to attack a shop, police said.",
    ]
    assert not any(d.is_order for d in _detect(texts))


def test_a_tip_that_forwards_an_order_is_an_order() -> None:
    (forward,) = _detect([FORWARD])
    assert forward.is_order and forward.band == "order"


def test_band_follows_the_score() -> None:
    assert band_of(0.9, 0.5) == "order"
    assert band_of(POSSIBLE_FLOOR, 0.5) == "possible"
    assert band_of(POSSIBLE_FLOOR - 0.01, 0.5) == "none"
    for detection in _detect([AD, REPORT, "Hei, noen som vil på kino i kveld?"]):
        assert (detection.band == "order") == detection.is_order


def test_news_in_the_narrative_past_reports_and_an_order_in_the_present_does_not() -> None:
    # Invented sentences in news style: what someone was paid, offered or hired for, told in the past tense.
    reports = [
        "En 16-åring fikk 40 000 kroner for å skyte mot et hus på Lindeberg i fjor.",
        "Han tilbød to gutter 20 000 kroner hver for å tenne på en bil.",
        "Pojken anlitades via Telegram för att spränga en port i Gävle.",
        "To danske drenge blev hyret til at kaste en granat mod et hus i Ishøj.",
        "The teenager was hired on Snapchat to fire shots at a flat in Oslo.",
        "Det er jobber her for alle, sa rekruttereren til elevene.",
    ]
    orders = [
        "Du får 40 000 kroner for å skyte mot et hus på Lindeberg i kveld. Snap meg.",
        "Vi betalar 50 ton för att spränga en port i Gävle, skriv på tele",
        "fikk denne på snap: «skyt mot ei dør på Furuset, 40k, skriv»",
    ]
    assert all(speech(clean(t).text).reports for t in reports)
    assert not any(speech(clean(t).text).reports for t in orders)
    assert not any(d.is_order for d in _detect(reports))
