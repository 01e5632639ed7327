"""Backtest: how a candidate model's decisions on stored posts differ from the active model's, and how each agrees
with the analysts' verdicts. Pure: both models' detections in, the report out (`varde.cases.models` loads the posts,
scores them and times the run)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from varde.detect.classifier import Detection

# Posts without a district (the stored record names none) are counted under this key.
NO_DISTRICT = "(none)"
NO_LANGUAGE = "(none)"
NO_TYPE = "(none)"


@dataclass(frozen=True, slots=True)
class BacktestPost:
    """One stored post as the backtest sees it: its id, where it is filed and its stored order (if any)."""

    post_id: str
    district: str | None
    language: str | None
    order_id: str | None = None


def agreement(flags: Sequence[bool], labels: Sequence[bool]) -> dict[str, Any]:
    """Precision and recall of `flags` against analysts' `labels` (None where undefined), and how many. Pure."""
    tp = sum(1 for f, y in zip(flags, labels, strict=True) if f and y)
    fp = sum(1 for f, y in zip(flags, labels, strict=True) if f and not y)
    fn = sum(1 for f, y in zip(flags, labels, strict=True) if not f and y)
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "n": len(labels),
    }


def _count(groups: dict[str, dict[str, int]], key: str, change: str) -> None:
    entry = groups.setdefault(key, {"newly_flagged": 0, "unflagged": 0})
    entry[change] += 1


def compare(
    posts: Sequence[BacktestPost],
    active: Sequence[Detection],
    candidate: Sequence[Detection],
    verdicts: Mapping[str, bool],
    *,
    active_id: str,
    candidate_id: str,
) -> dict[str, Any]:
    """The backtest report (the JSON of `varde model backtest`). Pure.

    `newly_flagged`: posts the candidate flags and the active model does not; `unflagged`: the reverse; both by
    district, language and violence type (the flagging model's types). `orders_unflagged`: stored orders none of
    whose posts the candidate flags. `changes` lists every post whose flag differs, with both scores and the
    analysts' verdict where there is one. `labelled`: each model's agreement with the verdicts (`verdicts`: post id →
    is an order, the consensus of the analysts' current verdicts)."""
    by_district: dict[str, dict[str, int]] = {}
    by_language: dict[str, dict[str, int]] = {}
    by_type: dict[str, dict[str, int]] = {}
    changes: list[dict[str, Any]] = []
    kept_orders: set[str] = set()
    stored_orders: set[str] = set()
    counts = {"newly_flagged": 0, "unflagged": 0}
    for post, old, new in zip(posts, active, candidate, strict=True):
        if post.order_id:
            stored_orders.add(post.order_id)
            if new.is_order:
                kept_orders.add(post.order_id)
        if old.is_order == new.is_order:
            continue
        change = "newly_flagged" if new.is_order else "unflagged"
        counts[change] += 1
        _count(by_district, post.district or NO_DISTRICT, change)
        _count(by_language, post.language or NO_LANGUAGE, change)
        for kind in (new if new.is_order else old).violence_types or (NO_TYPE,):
            _count(by_type, kind, change)
        changes.append(
            {
                "post_id": post.post_id,
                "change": change,
                "district": post.district,
                "language": post.language,
                "active": {"is_order": old.is_order, "score": round(old.score, 4)},
                "candidate": {"is_order": new.is_order, "score": round(new.score, 4)},
                "verdict": verdicts.get(post.post_id),
            }
        )
    labelled = [(i, verdicts[p.post_id]) for i, p in enumerate(posts) if p.post_id in verdicts]
    labels = [y for _, y in labelled]
    return {
        "active": active_id,
        "candidate": candidate_id,
        "posts": len(posts),
        "newly_flagged": counts["newly_flagged"],
        "unflagged": counts["unflagged"],
        "orders_unflagged": len(stored_orders - kept_orders),
        "labelled": {
            "active": agreement([active[i].is_order for i, _ in labelled], labels),
            "candidate": agreement([candidate[i].is_order for i, _ in labelled], labels),
        },
        "by_district": dict(sorted(by_district.items())),
        "by_language": dict(sorted(by_language.items())),
        "by_violence_type": dict(sorted(by_type.items())),
        "changes": changes,
    }
