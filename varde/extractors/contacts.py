"""Contacts (first version: @handles only)."""

from __future__ import annotations

import re

from varde.records import Contact

_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_.]{3,32}")


def extract_contacts(text: str) -> tuple[Contact, ...]:
    return tuple(Contact("other", m.group(0).lower(), (m.start(), m.end())) for m in _HANDLE.finditer(text))
