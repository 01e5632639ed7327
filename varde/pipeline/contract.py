"""The stage contract: what every pipeline stage promises.

A stage takes a batch of `Record`s and returns the same records, same length and order, with only the fields it
declares in `assigns` changed. It declares the fields it `requires` (filled by an earlier stage). `Pipeline`
checks the order when it is built; a contract test runs against every registered stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from varde.records import Record


@runtime_checkable
class Stage(Protocol):
    name: str
    requires: frozenset[str]
    assigns: frozenset[str]

    def __call__(self, batch: Sequence[Record]) -> list[Record]: ...
