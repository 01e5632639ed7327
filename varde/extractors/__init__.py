"""Extraction: pure functions from a post's cleaned text to what / when / where / pay / contact / target.

Every function takes the cleaned text (and what it needs to resolve it) and returns values whose `span`s are
offsets into that text; the pipeline maps them back to the original.
"""

from varde.extractors.contacts import extract_contacts
from varde.extractors.minors import extract_minor_signals
from varde.extractors.money import extract_payment
from varde.extractors.places import extract_places
from varde.extractors.targets import extract_target
from varde.extractors.times import extract_when
from varde.extractors.urgency import Urgency, assess_urgency, compute_urgency

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
