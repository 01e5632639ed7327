"""Run summaries: what a scan or analysis found, counted the way the summary table shows it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from varde.records import Record
from varde.vocab import district_label


@dataclass
class RunSummary:
    """Counts over one run. Breakdowns count posts flagged as orders (unique orders are counted separately)."""

    posts_read: int = 0
    posts_rejected: int = 0
    posts_flagged: int = 0
    order_ids: set[str] = field(default_factory=set)
    by_language: Counter[str] = field(default_factory=Counter)
    by_platform: Counter[str] = field(default_factory=Counter)
    by_district: Counter[str] = field(default_factory=Counter)
    by_violence_type: Counter[str] = field(default_factory=Counter)

    @property
    def unique_orders(self) -> int:
        return len(self.order_ids)

    def add(self, record: Record) -> None:
        self.posts_read += 1
        if not record.is_order:
            return
        self.posts_flagged += 1
        if record.order_id:
            self.order_ids.add(record.order_id)
        self.by_language[record.language or "unknown"] += 1
        self.by_platform[record.post.platform] += 1
        # With its country ("Øst (NO)", "Öst (SE)"): one scan may hold posts from several countries.
        self.by_district[district_label(record.district, record.country) if record.district else "unknown"] += 1
        for kind in record.violence_types or ("unstated",):
            self.by_violence_type[kind] += 1

    def reject(self) -> None:
        self.posts_rejected += 1
