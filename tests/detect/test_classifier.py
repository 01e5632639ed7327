from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from varde.detect import clean, detect_languages, load_detector, model_text
from varde.detect.classifier import (
    MODEL_JSON,
    MODEL_WEIGHTS,
    NO_CUE_CEILING,
    Detector,
    OrderClassifier,
    has_order_cue,
    violence_types,
)
from varde.detect.lexicon import Lexicon, load_lexicon
from varde.vocab import VIOLENCE_TYPES

ORDERS = [
    "Söker folk för att smälla en dörr i Sthlm ikväll, 100 ton. Skriv på tele, inga frågor",
    "Trenger en kar til å skyte mot et hus på Furuset i kveld. 60 lapper kontant. Snap meg",
    "Mangler en der kan sprænge en dør i Ishøj i nat. 40.000 kr. Skriv på Signal",
    "Need someone to torch a car in Malmö tonight, 20k SEK cash, DM on tele",
    "Jobb finns 🔫 Gbg 50k snabbt, hör av dig på signal",
]
NOT_ORDERS = [
    "Hei! Jeg er 14 år og tar småjobber: plenklipping og snømåking. 100 kr timen på Vipps",
    "Selger airsoft pistol med to magasiner, 900 kr, hentes på Lillestrøm",
    "Polisen varnar föräldrar: gängen erbjuder unga pengar för att skjuta via Snapchat",
    "Haha jeg dreper deg hvis du spiser siste pizzabiten 😂",
    "Vi söker ordningsvakter till nattklubb i Göteborg, krav på utbildning. Ansök via Arbetsförmedlingen",
]


def _detect(texts: list[str]) -> list:  # type: ignore[type-arg]
    views = [clean(t) for t in texts]
    return load_detector().detect(views, [model_text(v.text) for v in views], detect_languages([v.text for v in views]))


def test_shipped_detector_separates_orders_from_look_alikes() -> None:
    orders = _detect(ORDERS)
    others = _detect(NOT_ORDERS)
    assert all(d.is_order for d in orders), [d.score for d in orders]
    assert not any(d.is_order for d in others), [d.score for d in others]
    assert min(d.score for d in orders) > max(d.score for d in others)


def test_scores_are_probabilities_and_types_from_vocabulary() -> None:
    for det in _detect(ORDERS + NOT_ORDERS):
        assert 0.0 <= det.score <= 1.0
        assert set(det.violence_types) <= set(VIOLENCE_TYPES)
        if not det.is_order:
            assert det.violence_types == ()


def test_violence_types_of_orders() -> None:
    found = _detect(ORDERS)
    assert "explosion" in found[0].violence_types
    assert found[1].violence_types == ("shooting",)
    assert "arson" in found[3].violence_types
    assert "shooting" in found[4].violence_types  # from the pistol emoji


def test_cues_point_into_the_cleaned_text() -> None:
    text = "Trenger en kar til å 𝐬𝐤𝐲𝐭𝐞 en fyr i kveld, 50k 🔫"
    view = clean(text)
    det = load_detector().detect([view], [model_text(view.text)], ["nb"])[0]
    kinds = {cue.kind for cue in det.cues}
    assert {"violence", "payment", "emoji"} <= kinds
    for cue in det.cues:
        assert view.text[cue.start : cue.end] == cue.text
    violence = next(c for c in det.cues if c.kind == "violence")
    a, b = view.original_span(violence.start, violence.end)
    assert text[a:b] == "𝐬𝐤𝐲𝐭𝐞"


def test_explain_gives_marginal_weights() -> None:
    view = clean("Trenger en kar til å skyte en fyr i kveld, 50k. Skriv på snap meg, kun seriøse folk")
    detector = load_detector()
    cues = detector.explain(view)
    by_kind = {c.kind: c.weight for c in cues}
    assert by_kind["payment"] > 0 and by_kind["recruitment"] > 0
    # A cue's weight is how much it moves the raw score: the post scored with the cue's text blanked out.
    payment = next(c for c in cues if c.kind == "payment")
    blank = view.text[: payment.start] + " " * (payment.end - payment.start) + view.text[payment.end :]
    scores = detector.model.decision_function([view.text, blank])
    assert abs((scores[0] - scores[1]) - payment.weight) < 1e-3


def test_fire_emoji_is_arson_only_next_to_property() -> None:
    lexicon = load_lexicon()
    with_car = "jobb 🔥 bil i natt"
    alone = "jobb 🔥🔥 i natt"
    assert violence_types(lexicon.find(with_car), with_car) == ("arson",)
    assert violence_types(lexicon.find(alone), alone) == ()


def test_fire_emoji_far_from_property_is_decoration() -> None:
    lexicon = load_lexicon()
    menu = "PRISER 🔥\nJuling 20k\nSkudd 50k\nSprengning 80k\nAlt annet: spør, adresse på snap"
    assert "arson" not in violence_types(lexicon.find(menu), menu)


def test_swedish_guy_is_not_a_killing() -> None:
    # "kille"/"killar" (guy/guys) must not match the English "kill".
    lexicon = load_lexicon()
    text = "Behöver två killar som kan spöa upp en kille i Gävle"
    assert violence_types(lexicon.find(text), text) == ("assault",)
    text = "need someone to kill a guy"
    assert violence_types(lexicon.find(text), text) == ("murder",)


def test_violent_text_without_any_order_cue_is_not_an_order() -> None:
    lexicon = load_lexicon()
    threat = "Jeg skal drepe deg og brenne ned huset ditt, din jævla idiot"
    assert not has_order_cue(lexicon.find(threat), threat)
    for order in ORDERS:
        view = clean(order)
        assert has_order_cue(lexicon.find(view.text), view.text), order
    teaser = "🔫🔫🔫 Oslo"
    assert has_order_cue(lexicon.find(clean(teaser).text), clean(teaser).text)
    detection = _detect([threat])[0]
    assert not detection.is_order and detection.score <= NO_CUE_CEILING


def test_empty_batch() -> None:
    assert load_detector().detect([], [], []) == []


def test_fit_predict_save_load_roundtrip(tmp_path: Path) -> None:
    texts = [clean(t).text for t in ORDERS + NOT_ORDERS] * 3
    labels = ([1] * len(ORDERS) + [0] * len(NOT_ORDERS)) * 3
    model = OrderClassifier(n_features=2**12, calibration_folds=3).fit(texts, labels)
    proba = model.predict_proba(texts)
    assert proba.shape == (len(texts), 2)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(model.predict(texts)) == labels
    model.save(tmp_path)
    assert (tmp_path / MODEL_JSON).is_file() and (tmp_path / MODEL_WEIGHTS).is_file()
    loaded = OrderClassifier.load(tmp_path)
    assert np.allclose(loaded.predict_proba(texts), proba, atol=1e-5)


def test_save_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    texts = [clean(t).text for t in ORDERS + NOT_ORDERS] * 3
    labels = ([1] * len(ORDERS) + [0] * len(NOT_ORDERS)) * 3
    for name in ("a", "b"):
        OrderClassifier(n_features=2**12, calibration_folds=3).fit(texts, labels).save(tmp_path / name)
    for file in (MODEL_JSON, MODEL_WEIGHTS):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def _cue_texts(text: str) -> list[tuple[str, str]]:
    (det,) = _detect([text])
    return [(c.kind, c.text) for c in det.cues]


def test_cues_are_listed_once_and_never_split_a_number() -> None:
    cues = _cue_texts("Trenger noen til å skyte mot en dør i kveld. 80k, betaler 80k cash")
    assert cues.count(("payment", "80k")) == 1
    cues = _cue_texts("Jobb: knivstikk en kar i Malmö, 60.000 kr. Snap: kniv.jobb")
    payments = [t for k, t in cues if k == "payment"]
    assert payments == ["60.000 kr"]


def test_handles_are_never_cues() -> None:
    text = "Trenger noen til en jobb på Holmlia i kveld, 40k. Tg @stabjob22 eller snap: natt.jobb7, tg knivjobb99"
    (det,) = _detect([text])
    assert det.is_order
    shown = {c.text.casefold() for c in det.cues}
    assert not shown & {"stabjob22", "jobb7", "knivjobb99"}, det.cues
    assert "stabbing" not in det.violence_types
    explained = {c.text.casefold() for c in load_detector().explain(clean(text))}
    assert "stabjob22" not in explained


def test_cue_filtering_leaves_the_score_alone() -> None:
    text = "Trenger noen til å skyte mot en dør i kveld. 80k, betaler 80k cash. Tg @stabjob22"
    (det,) = _detect([text])
    view = clean(text)
    model = load_detector().model
    raw = model.calibrate(model.decision_function([view.text]))[0]
    assert det.score == pytest.approx(float(raw))


def test_a_lexicon_can_be_passed_in() -> None:
    # A lexicon whose only cue is an invented word: the detector finds that word and none of the shipped cues.
    shipped = load_detector()
    data = {"groups": {"job": {"kind": "job", "patterns": ["zorblax"]}}, "violence": {}, "negative": {}}
    own = Detector(shipped.model, lexicon=Lexicon(data))
    view = clean("zorblax skyt ham i kveld")
    assert [c.text for c in own.explain(view)] == ["zorblax"]
    assert "zorblax" not in [c.text for c in shipped.explain(view)]


def test_trade_words_state_the_violence_type_of_an_order() -> None:
    from varde.detect.classifier import violence_types
    from varde.detect.implied import implied_types
    from varde.detect.lexicon import load_lexicon

    text = "Urgent need of hitmen and shooters in Malmö, 300 tons, write on Signal"
    assert {"murder", "shooting"} <= set(violence_types(load_lexicon().find(text), text))
    assert implied_types("Price list: beatings 20k, blasting 100k") == {"assault", "explosion"}
    handle = "write to @hitmen_22 for a sofa"
    assert implied_types(handle, [(handle.index("@"), len(handle))]) == set()
