"""Extraction: pure functions from a post's cleaned text to what / when / where / pay / contact / target.

Every function takes the cleaned text (and what it needs to resolve it) and returns values whose `span`s are
offsets into that text; the pipeline maps them back to the original.

The names below are imported on first use (PEP 562), so a module that needs one extractor (the case service needs
`urgency`) does not load the others' tables and libraries (phone numbers, the gazetteer, time expressions).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from varde.extractors.contacts import extract_contacts
    from varde.extractors.minors import extract_minor_signals
    from varde.extractors.money import extract_payment
    from varde.extractors.places import extract_places
    from varde.extractors.targets import extract_target
    from varde.extractors.times import extract_when
    from varde.extractors.urgency import Urgency, assess_urgency, compute_urgency

_MODULE_OF = {
    "Urgency": "urgency",
    "assess_urgency": "urgency",
    "compute_urgency": "urgency",
    "extract_contacts": "contacts",
    "extract_minor_signals": "minors",
    "extract_payment": "money",
    "extract_places": "places",
    "extract_target": "targets",
    "extract_when": "times",
}

__all__ = [
    "Urgency",
    "assess_urgency",
    "compute_urgency",
    "extract_contacts",
    "extract_minor_signals",
    "extract_payment",
    "extract_places",
    "extract_target",
    "extract_when",
]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
