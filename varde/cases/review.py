"""The review list: posts the detector put in its `possible` band (scored between the review floor and the order
threshold). They are not orders, so they have no case; analysts read them here and label the ones that are
(`varde label`). Who sees which posts follows the case rules (`varde.cases.access`): analysts and supervisors all,
investigators those filed under their districts (the record's district), other roles none. Every read is audited
as `review.list`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, false, func, select

from varde.cases import access
from varde.cases.access import Actor
from varde.cases.guarded import Guarded
from varde.store.tables import posts, records

POSSIBLE = "possible"
MAX_PER_PAGE = 1000


@dataclass(frozen=True, slots=True)
class ReviewPost:
    """One post in the review band, with what the detector and extractors made of it."""

    id: str
    platform: str
    created_at: datetime
    text: str
    score: float
    language: str | None
    district: str | None
    violence_types: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"created_at": self.created_at.isoformat(), "violence_types": list(self.violence_types)}


@dataclass(frozen=True, slots=True)
class ReviewPage:
    items: tuple[ReviewPost, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def to_dict(self) -> dict[str, Any]:
        paging = {"total": self.total, "page": self.page, "per_page": self.per_page, "pages": self.pages}
        return {"items": [item.to_dict() for item in self.items], **paging}


class ReviewService(Guarded):
    """Reads the review band, scoped and audited like the cases."""

    def list_possible(
        self, actor: Actor, *, districts: tuple[str, ...] = (), page: int = 1, per_page: int = 50
    ) -> ReviewPage:
        """The `possible` posts `actor` may see (within `districts` when given), highest score first."""
        page = max(1, page)
        per_page = max(1, min(per_page, MAX_PER_PAGE))

        def work(conn: Connection) -> ReviewPage:
            scope = access.case_scope(actor)  # AccessDenied for roles that see no cases
            clauses: list[Any] = [records.c.band == POSSIBLE]
            if scope is not None:
                clauses.append(records.c.district.in_(sorted(scope)) if scope else false())
            if districts:
                clauses.append(records.c.district.in_(districts))
            where = and_(*clauses)
            rows = conn.execute(
                select(
                    posts.c.id,
                    posts.c.platform,
                    posts.c.created_at,
                    posts.c.text,
                    records.c.score,
                    records.c.language,
                    records.c.district,
                    records.c.violence_types,
                )
                .join(records, records.c.post_id == posts.c.id)
                .where(where)
                .order_by(records.c.score.desc(), posts.c.created_at.desc(), posts.c.id)
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).all()
            total = int(conn.execute(select(func.count()).select_from(records).where(where)).scalar_one())
            items = tuple(
                ReviewPost(
                    id=r.id,
                    platform=r.platform,
                    created_at=r.created_at,
                    text=r.text or "",
                    score=float(r.score),
                    language=r.language,
                    district=r.district,
                    violence_types=tuple(r.violence_types or ()),
                )
                for r in rows
            )
            self._audit(
                conn,
                actor,
                "review.list",
                "records",
                {
                    "districts": sorted(districts),
                    "scope": sorted(scope) if scope is not None else None,
                    "page": page,
                    "per_page": per_page,
                    "returned": [item.id for item in items],
                },
            )
            return ReviewPage(items, total, page, per_page)

        return self._guarded(actor, access.CASE_READ, "records", work)


__all__ = ["POSSIBLE", "ReviewPage", "ReviewPost", "ReviewService"]
