"""The registered pipeline stages. Each is a thin adapter from records to a pure domain function."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from varde.dedupe import OrderIndex
from varde.detect import Detection, clean, detect_languages, load_detector, model_text
from varde.detect.classifier import Detector
from varde.detect.registry import Scorer
from varde.extractors import (
    assess_urgency,
    extract_contacts,
    extract_minor_signals,
    extract_payment,
    extract_places,
    extract_target,
    extract_when,
)
from varde.extractors.gazetteer import Gazetteer
from varde.pipeline.contract import Stage
from varde.records import Cue, Record, ShadowScore, Span, TextView, choose_primary_place, unique_cues

# Which registered models to score a batch with: the active one and, in shadow mode, the shadow one.
ModelChoice = Callable[[], tuple[Scorer, Scorer | None]]


def _to_original(view: TextView, span: Span | None) -> Span | None:
    return None if span is None else view.original_span(*span)


# Ads are short; a longer post is analysed by its beginning (the whole text is still stored as evidence), so a
# hostile megabyte post costs no more than a long one.
MAX_ANALYSED_CHARS = 20_000
# Language identification needs far less text than classification.
MAX_LANGUAGE_CHARS = 2_000


def post_part_length(record: Record) -> int:
    """How many characters of the post's own text the analysed text starts with (OCR text follows)."""
    return min(len(record.post.text), MAX_ANALYSED_CHARS)


def analysed_text(record: Record) -> str:
    """The post's text (up to the cap), then the text read from its images, if any."""
    text = record.post.text[:MAX_ANALYSED_CHARS]
    return f"{text}\n{record.image_text[:MAX_ANALYSED_CHARS]}" if record.image_text else text


class NormaliseStage:
    """Clean the text (stylised letters, homoglyphs, zero-width and spacing tricks) and build the model's input."""

    name = "normalise"
    requires: frozenset[str] = frozenset()
    assigns = frozenset({"view", "normalised", "notes"})

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        out = []
        for record in batch:
            view = clean(analysed_text(record))
            notes = record.notes
            if len(record.post.text) > MAX_ANALYSED_CHARS:
                notes += (f"text longer than {MAX_ANALYSED_CHARS} characters: analysed its beginning",)
            out.append(record.evolve(view=view, normalised=model_text(view.text), notes=notes))
        return out


class LanguageStage:
    """Identify the language among nb, nn, sv, da, en (None when too short or none of them)."""

    name = "language"
    requires = frozenset({"view"})
    assigns = frozenset({"language"})

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        languages = detect_languages([(r.view.text if r.view else r.post.text)[:MAX_LANGUAGE_CHARS] for r in batch])
        return [r.evolve(language=lang) for r, lang in zip(batch, languages, strict=True)]


class ClassifyStage:
    """Decide whether each post is an order, with a calibrated score, violence types and the cues behind it."""

    name = "classify"
    requires = frozenset({"view", "normalised", "language"})
    assigns = frozenset({"is_order", "score", "violence_types", "cues", "band", "notes"})

    def __init__(self, detector: Detector | None = None, models: ModelChoice | None = None) -> None:
        """`models` (the store's registry: scan, workers, tips) is asked before each batch which models to use;
        without it, `detector` (a test's own) or the shipped detector scores, and records name no model."""
        self.models = models
        self._detector = detector or (None if models is not None else load_detector())

    @property
    def detector(self) -> Detector:
        if self._detector is None:
            self._detector = load_detector()
        return self._detector

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        views = [r.view or TextView.identity(r.post.text) for r in batch]
        normalised = [r.normalised for r in batch]
        languages = [r.language for r in batch]
        model_id: str | None = None
        shadows: list[ShadowScore | None] = [None] * len(batch)
        if self.models is not None:
            active, shadow = self.models()
            detector, model_id = active.detector, active.model_id
            if shadow is not None:
                shadows = [
                    ShadowScore(shadow.model_id, d.is_order, d.score, d.band, d.violence_types)
                    for d in shadow.detector.detect(views, normalised, languages)
                ]
        else:
            detector = self.detector
        detections = detector.detect(views, normalised, languages)
        out = []
        for record, view, det, shadowed in zip(batch, views, detections, shadows, strict=True):
            cues = tuple(_map_cue(view, cue, record) for cue in det.cues)
            out.append(
                record.evolve(
                    is_order=det.is_order,
                    score=det.score,
                    violence_types=det.violence_types,
                    cues=cues,
                    band=det.band,
                    notes=record.notes + _stage_two_notes(det),
                    model_id=model_id,
                    shadow=shadowed,
                )
            )
        return out


def _stage_two_notes(detection: Detection) -> tuple[str, ...]:
    """Stage 2's evidence for an analyst: the nearest training examples, with their labels and similarity."""
    if detection.stage != 2:
        return ()
    nearest = "; ".join(
        f"{n.id} ({'order' if n.is_order else 'not an order'}, {n.similarity:.2f}): {n.snippet}"
        for n in detection.neighbours
    )
    return (f"second stage: score {detection.score:.3f}; nearest training examples: {nearest}",)


def _map_cue(view: TextView, cue: Cue, record: Record) -> Cue:
    """Move a cue from cleaned-text offsets to original-text offsets (image text keeps its own offsets)."""
    start, end = view.original_span(cue.start, cue.end)
    text_len = post_part_length(record)
    if record.image_text and start > text_len:
        # Offsets past the post text point into the OCR text, which follows the text and one newline.
        offset = text_len + 1
        return Cue(cue.kind, cue.text, start - offset, end - offset, cue.weight, "image")
    original = record.post.text[start:end] if end <= text_len else cue.text
    return Cue(cue.kind, original, start, end, cue.weight, cue.origin)


class ExtractStage:
    """For posts flagged as orders: when, where, pay, contacts, target and signs that minors are recruited."""

    name = "extract"
    requires = frozenset({"view", "language", "is_order", "cues"})
    assigns = frozenset({"when", "places", "payment", "contacts", "target", "minor_signals", "cues"})

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer  # None: the shipped gazetteer, loaded on first use

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        return [self._extract(r) if r.is_order else r for r in batch]

    def _extract(self, record: Record) -> Record:
        view = record.view or TextView.identity(record.post.text)
        text, lang = view.text, record.language
        when = extract_when(text, record.post.created_at, lang)
        places = extract_places(text, lang, self.gazetteer)
        primary = choose_primary_place(places)  # the record's one place; bare "50k" takes its country's currency
        country = primary.country if primary else None
        payment = extract_payment(text, lang, country)
        contacts = extract_contacts(text, lang)
        target = extract_target(text, lang)
        minor_cues = extract_minor_signals(text)

        # Cues are made in cleaned-text offsets and mapped like the detector's (image text keeps "image" origin).
        found: list[tuple[str, str, Span | None]] = [
            ("when", when.text if when else "", when.span if when else None),
            ("payment", payment.text if payment else "", payment.span if payment else None),
            ("target", target.text if target else "", target.span if target else None),
            *[("place", p.text, p.span) for p in places],
            *[("contact", c.value, c.span) for c in contacts],
        ]
        extra = [
            _map_cue(view, Cue(kind, item_text, span[0], span[1]), record)
            for kind, item_text, span in found
            if span is not None
        ]
        extra += [_map_cue(view, dataclasses.replace(cue, kind="minor"), record) for cue in minor_cues]

        def moved(span: Span | None) -> Span | None:
            return _to_original(view, span)

        when = dataclasses.replace(when, span=moved(when.span)) if when else None
        places = tuple(dataclasses.replace(p, span=moved(p.span)) for p in places)
        payment = dataclasses.replace(payment, span=moved(payment.span)) if payment else None
        contacts = tuple(dataclasses.replace(c, span=moved(c.span)) for c in contacts)
        target = dataclasses.replace(target, span=moved(target.span)) if target else None
        return record.evolve(
            when=when,
            places=places,
            payment=payment,
            contacts=contacts,
            target=target,
            minor_signals=tuple(dict.fromkeys(c.text for c in minor_cues)),
            cues=unique_cues(record.cues + tuple(extra)),  # the detector's and the extractors' "80k" once
        )


class UrgencyStage:
    """Urgency in [0, 1] from imminence, severity and specificity (see `varde.extractors.urgency`)."""

    name = "urgency"
    requires = frozenset({"is_order", "view", "when", "violence_types", "target", "places", "contacts"})
    assigns = frozenset({"urgency", "urgency_band"})

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        # As seen when posted (deterministic output); the queue re-reads the band against the clock.
        out = []
        for r in batch:
            urgency = assess_urgency(r) if r.is_order else None
            out.append(
                r.evolve(urgency=urgency.score, urgency_band=urgency.band)
                if urgency
                else r.evolve(urgency=0.0, urgency_band=None)
            )
        return out


class DedupeStage:
    """Give posts that advertise the same order one `order_id`, against a shared `OrderIndex`."""

    name = "dedupe"
    requires = frozenset({"is_order", "normalised", "places", "payment", "contacts", "violence_types"})
    assigns = frozenset({"order_id"})

    def __init__(self, index: OrderIndex) -> None:
        self.index = index

    def __call__(self, batch: Sequence[Record]) -> list[Record]:
        # One call per batch: the database index does the whole batch in one transaction.
        ids = iter(self.index.assign_many([r for r in batch if r.is_order]))
        return [r.evolve(order_id=next(ids)) if r.is_order else r for r in batch]


STAGES: dict[str, Callable[[], Stage]] = {
    "normalise": NormaliseStage,
    "language": LanguageStage,
    "classify": ClassifyStage,
    "extract": ExtractStage,
    "urgency": UrgencyStage,
}
