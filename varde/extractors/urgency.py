"""Urgency in [0, 1]: how soon, how grave and how concrete an order is — for sorting an analyst's queue.

    urgency = 0.45 · imminence + 0.35 · severity + 0.20 · specificity            (rounded to 4 decimals)

- imminence, from the hours between `created_at` and `when.start` (0 when the start has passed):
  ≤ 24 h → 1.0, ≤ 72 h → 0.8, ≤ 7 days → 0.6, later → 0.3. Without a `when`: 0.7 when the text says it is urgent
  ("asap", "nå", "nu", "snarest", "straks", "omgående", "haster", "brådskande", "urgent", "now", "today"),
  otherwise 0.2.
- severity, the gravest violence type: murder 1.0, explosion 0.95, shooting 0.9, kidnapping 0.85, stabbing 0.8,
  arson 0.75, robbery 0.6, assault 0.55, threat 0.4, vandalism 0.3; 0.3 when no type is stated.
- specificity: 0.4 for a named target + 0.35 for a place resolved to a municipality (0.15 for a region or country
  only) + 0.25 for a way to make contact.
A shooting tonight at a named person in a named municipality with a Telegram handle scores 0.965 (a murder 1.0);
a vague recruitment post with only a contact (no time, type, place or target) scores
0.45 · 0.2 + 0.35 · 0.3 + 0.2 · 0.25 = 0.245.
"""

from __future__ import annotations

import re

from varde.records import Record

SEVERITY = {
    "murder": 1.0,
    "explosion": 0.95,
    "shooting": 0.9,
    "kidnapping": 0.85,
    "stabbing": 0.8,
    "arson": 0.75,
    "robbery": 0.6,
    "assault": 0.55,
    "threat": 0.4,
    "vandalism": 0.3,
}
_URGENT = re.compile(
    r"(?<!\w)(?:asap|a\.s\.a\.p|nå(?!\s+(?:meg|oss|deg|dere|han|henne|dem))|"
    r"nu|snarest|snarast|snarast möjligt|straks|omgående|omgaaende|med en gang|"
    r"med det samme|haster|hastar|brådskande|akut|urgent|urgently|now|right now|today|idag|i dag)(?!\w)",
    re.IGNORECASE,
)


def imminence(record: Record) -> float:
    if record.when is None:
        text = record.view.text if record.view else record.post.text
        return 0.7 if _URGENT.search(text) else 0.2
    hours = max(0.0, (record.when.start - record.post.created_at).total_seconds() / 3600)
    if hours <= 24:
        return 1.0
    if hours <= 72:
        return 0.8
    if hours <= 24 * 7:
        return 0.6
    return 0.3


def severity(record: Record) -> float:
    return max((SEVERITY.get(kind, 0.3) for kind in record.violence_types), default=0.3)


def specificity(record: Record) -> float:
    score = 0.4 if record.target is not None else 0.0
    if any(p.municipality for p in record.places):
        score += 0.35
    elif record.places:
        score += 0.15
    if record.contacts:
        score += 0.25
    return score


def compute_urgency(record: Record) -> float:
    """Urgency of an order in [0, 1]; see the module docstring for the formula."""
    value = 0.45 * imminence(record) + 0.35 * severity(record) + 0.20 * specificity(record)
    return round(min(1.0, max(0.0, value)), 4)
