"""Who is speaking: whether a post makes an order itself, reports one, or forwards one (pure functions on text).

An order is the author's own act: a post that itself offers or asks for paid violence. A post that *reports* one —
news, court and police text, a warning that quotes an ad — is not an order, but the ad it quotes is worth a look, so
the detector scores each quotation on its own and surfaces one that reads as an order as a `quoted_order` cue. A tip
that *forwards* an order ("got this on snap: …") passes the order on: its forwarded part is scored as a post.

The words live in `data/speech.yaml` (with sources): reporting cues (attribution to police, prosecutors, courts and
newspapers; reported modals such as "skal ha tilbudt", "ska ha erbjudits", "was to get"; quote frames such as "i
annonsen sto det") and forward markers. Reporting cues count only outside quotation marks (an ad may say "sier ikke
mer" inside the quote of a news story, and the story's own words are what tell who speaks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

# A forward marker counts only this close to the start of a post: people say where they got it first.
FORWARD_WINDOW = 80
# A quotation shorter than this is a word or a name in quotes, not a quoted message.
MIN_QUOTE = 12

_QUOTES = re.compile(
    r"«(?P<a>[^«»]+)»|“(?P<b>[^“”]+)”|”(?P<c>[^”\n]+)”|„(?P<d>[^„“”]+)[“”]|»(?P<e>[^»«]+)«|\"(?P<f>[^\"]+)\""
)
# After a frame or forward marker and a colon, the message runs to the end of the line (unquoted forwards).
_AFTER_COLON = re.compile(r"[:：]\s*(?P<rest>[^\n]+(?:\n(?!\n)[^\n]+)*)")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Speech:
    """What the post's own words say about who speaks."""

    reporting: tuple[Span, ...]  # reporting cues outside quotations
    quotes: tuple[Span, ...]  # quoted messages (content only, no quotation marks)
    forwarded: Span | None  # the forwarded message of a tip, when the post forwards one and reports nothing

    @property
    def reports(self) -> bool:
        return bool(self.reporting)


class _Patterns:
    def __init__(self, data: dict[str, object]) -> None:
        reporting = data["reporting"]
        assert isinstance(reporting, dict)
        parts = [p for patterns in reporting.values() for p in patterns]
        self.reporting = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + r")(?!\w)", re.IGNORECASE)
        forward = data["forward"]
        assert isinstance(forward, list)
        self.forward = re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in forward) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    text = resources.files("varde.detect").joinpath("data", "speech.yaml").read_text(encoding="utf-8")
    return _Patterns(yaml.safe_load(text))


def quotations(text: str) -> tuple[Span, ...]:
    """The quoted messages in `text` (the content between quotation marks, at least MIN_QUOTE characters)."""
    spans = []
    for match in _QUOTES.finditer(text):
        group = match.lastgroup
        if group is None:
            continue
        start, end = match.span(group)
        if end - start >= MIN_QUOTE:
            spans.append(Span(start, end))
    return tuple(spans)


def _inside(position: int, spans: tuple[Span, ...]) -> bool:
    return any(s.start <= position < s.end for s in spans)


def speech(text: str) -> Speech:
    """Reporting cues, quotations and the forwarded message (if any) of a cleaned text."""
    patterns = _patterns()
    quotes = quotations(text)
    reporting = tuple(
        Span(m.start(), m.end()) for m in patterns.reporting.finditer(text) if not _inside(m.start(), quotes)
    )
    # Without quotation marks, a quote frame ("i annonsen sto det: …") introduces the message after its colon.
    if reporting and not quotes:
        colon = _AFTER_COLON.search(text, reporting[0].end)
        near = colon is not None and colon.start() - reporting[0].end < 5
        if colon is not None and near and colon.end("rest") - colon.start("rest") >= MIN_QUOTE:
            quotes = (Span(colon.start("rest"), colon.end("rest")),)
    forwarded = None
    marker = patterns.forward.search(text, 0, FORWARD_WINDOW + 40)
    if marker is not None and marker.start() <= FORWARD_WINDOW and not reporting:
        after = [q for q in quotes if q.start >= marker.end()]
        if after:
            forwarded = after[0]
        else:
            colon = _AFTER_COLON.search(text, marker.end())
            if colon is not None and colon.end("rest") - colon.start("rest") >= MIN_QUOTE:
                forwarded = Span(colon.start("rest"), colon.end("rest"))
    return Speech(reporting, quotes, forwarded)
