"""What the triage queue shows beside each listed case: its order's deadline and first post text, or the text of a
tip's post, and the networks cases are tagged with.

Only for cases the case service has already returned to the user (so the read is scoped and audited there)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from varde.cases.service import CaseSummary
from varde.store import Store
from varde.store.case_tables import case_posts, case_tags
from varde.store.tables import orders, posts


@dataclass(frozen=True, slots=True)
class OrderPreview:
    when_start: datetime | None
    text: str


class QueueReader:
    def __init__(self, store: Store) -> None:
        self.store = store

    def order_previews(self, items: Sequence[CaseSummary]) -> dict[str, OrderPreview]:
        """Deadline and first post text of the listed cases' orders, by order id."""
        order_ids = [c.order_id for c in items if c.order_id]
        if not order_ids:
            return {}
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(orders.c.id, orders.c.when_start, posts.c.text)
                .join(posts, posts.c.id == orders.c.first_post_id)
                .where(orders.c.id.in_(order_ids))
            ).all()
        return {row.id: OrderPreview(row.when_start, row.text) for row in rows}

    def tip_texts(self, items: Sequence[CaseSummary]) -> dict[int, str]:
        """The post text of listed cases that have no order (tips the detector did not flag), by case id."""
        case_ids = [c.id for c in items if not c.order_id]
        if not case_ids:
            return {}
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(case_posts.c.case_id, posts.c.text)
                .join(posts, posts.c.id == case_posts.c.post_id)
                .where(case_posts.c.case_id.in_(case_ids))
                .order_by(case_posts.c.case_id, posts.c.created_at)
            ).all()
        texts: dict[int, str] = {}
        for row in rows:
            texts.setdefault(int(row.case_id), row.text)
        return texts

    def tagged_networks(self) -> set[str]:
        """The networks any case is tagged with (a range on the tag index, not a LIKE scan)."""
        with self.store.engine.connect() as conn:
            tagged = conn.execute(
                select(case_tags.c.tag).where(case_tags.c.tag >= "network:", case_tags.c.tag < "network;").distinct()
            ).scalars()
            return {tag.removeprefix("network:") for tag in tagged}
