"""Payment (first version: "NNk")."""

from __future__ import annotations

import re

from varde.records import Payment

_K = re.compile(r"\b(\d{1,4})\s?k\b", re.IGNORECASE)
_CURRENCY = {"nb": "NOK", "nn": "NOK", "sv": "SEK", "da": "DKK"}


def extract_payment(text: str, language: str | None, country: str | None) -> Payment | None:
    match = _K.search(text)
    if not match:
        return None
    return Payment(match.group(0), int(match.group(1)) * 1000, _CURRENCY.get(language or ""), None, match.span())
