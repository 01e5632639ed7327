"""The model lifecycle: register a trained candidate, back-test it on stored posts, run it in shadow, promote it,
roll back, and re-score the open cases — each step by a user, checked and audited.

Who may do what is `varde.cases.access`'s: the roles with `model.read` (analysts, supervisors) see the registry,
run backtests and read the shadow comparison; only `model.admin` (supervisors) changes the active or the shadow
model or re-scores open cases. A registered model is never made active by registering it.

Audit actions: `model.register`, `model.backtest`, `model.promote`, `model.rollback`, `model.shadow`,
`model.rescore`."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select

from varde.cases import access, lifecycle
from varde.cases.access import Actor
from varde.cases.guarded import Guarded
from varde.cases.ingest import ingest_records
from varde.cases.verdicts import consensus_labels
from varde.detect.backtest import BacktestPost, agreement, compare
from varde.detect.classifier import Detection
from varde.detect.registry import ModelInfo, summary
from varde.errors import InputError, NotFound
from varde.extractors import extract_places
from varde.pipeline.stages import NormaliseStage
from varde.posts import Post
from varde.records import Record, choose_primary_place
from varde.store.case_tables import case_posts, cases
from varde.store.database import Store
from varde.store.model_files import ActiveModels, ModelFiles
from varde.store.model_tables import (
    PROMOTE,
    ROLLBACK,
    active_model_id,
    add_model,
    list_models,
    model_backtests,
    model_exists,
    rollback_target,
    set_active,
    set_shadow,
    shadow_model_id,
    shadow_scores,
)
from varde.store.tables import posts, records

# Posts scored per batch in a backtest and a re-score (memory stays flat whatever the number of posts).
BATCH = 512


def _slim(detection: Detection) -> Detection:
    """What a backtest keeps of a detection (no cues, no neighbours: 100,000 posts stay small)."""
    return Detection(detection.is_order, detection.score, detection.violence_types, (), detection.band)


def stored_post(row: Any, media_root: Path | None = None) -> Post:
    """A stored post as a `Post` again. With `media_root` (the media store), its captured images are named by their
    place in the store (`ab/cdef…`), so the media stage reads them again from there, never from where they came."""
    digests = [str(f["sha256"]) for f in (row.media_files or []) if isinstance(f, dict) and f.get("sha256")]
    media = tuple(f"{d[:2]}/{d[2:]}" for d in digests) if media_root is not None else ()
    return Post(
        id=row.id,
        platform=row.platform,
        text=row.text,
        created_at=row.created_at,
        author=row.author,
        author_id=row.author_id,
        channel=row.channel,
        url=row.url,
        reply_to=row.reply_to,
        forwarded_from=row.forwarded_from,
        source=row.source,
        raw=row.raw,
        origin=row.origin,
        media=media,
        media_root=str(media_root) if media_root is not None else "",
    )


class ModelService(Guarded):
    """The registry's changes and reads. Stateless apart from the store and the model folder."""

    def __init__(
        self,
        store: Store,
        files: ModelFiles,
        *,
        media_dir: Path | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`media_dir`: the media store, so a re-score reads the posts' captured images again (None: text only)."""
        super().__init__(store, clock=clock)
        self.files = files
        self.media_dir = media_dir

    def require(self, actor: Actor, action: str) -> None:
        """AccessDenied (audited) unless `actor`'s role allows `action` (`access.MODEL_READ` or `MODEL_ADMIN`)."""
        self._require(actor, action, "models")

    # -- reading ------------------------------------------------------------------------------------------
    def models(self, actor: Actor) -> list[ModelInfo]:
        """Every registered model, oldest first, with which one is active."""
        return self._guarded(actor, access.MODEL_READ, "models", lambda conn: list_models(conn))

    def state(self, actor: Actor) -> dict[str, Any]:
        """The active and the shadow model, and the latest changes of the active one (newest first)."""
        from varde.store.model_tables import model_changes

        def work(conn: Connection) -> dict[str, Any]:
            access.require(actor, access.MODEL_READ)
            rows = conn.execute(select(model_changes).order_by(model_changes.c.id.desc()).limit(20)).all()
            return {
                "active": active_model_id(conn),
                "shadow": shadow_model_id(conn),
                "changes": [
                    {
                        "action": r.action,
                        "model_id": r.model_id,
                        "previous_id": r.previous_id,
                        "reason": r.reason,
                        "at": r.changed_at.isoformat(),
                        "by": r.changed_by,
                    }
                    for r in rows
                ],
            }

        return self._guarded(actor, access.MODEL_READ, "models", work)

    def backtests(self, actor: Actor, limit: int = 10) -> list[dict[str, Any]]:
        """The latest backtests (newest first): who ran them when, and their counts (not the list of changes)."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            access.require(actor, access.MODEL_READ)
            rows = conn.execute(select(model_backtests).order_by(model_backtests.c.id.desc()).limit(limit)).all()
            return [dict(r.report) | {"run_at": r.run_at.isoformat(), "run_by": r.run_by} for r in rows]

        return self._guarded(actor, access.MODEL_READ, "models", work)

    # -- registering --------------------------------------------------------------------------------------
    def register(self, actor: Actor, folder: Path, *, metrics: dict[str, Any] | None = None) -> ModelInfo:
        """Copy the model in `folder` into the model folder and register it as trained by `actor`; it is not made
        active. Registering the same files again changes nothing. Audited as `model.register`."""

        def work(conn: Connection) -> ModelInfo:
            access.require(actor, access.MODEL_READ)
            model = self.files.add(folder)
            provenance, recorded = summary((self.files.folder(model) / "model.json").read_bytes())
            now = self.now()
            row = {
                "id": model,
                "created_at": now,
                "trained_by": actor.name,
                "provenance": provenance,
                "metrics": metrics if metrics is not None else recorded,
                "folder": str(self.files.folder(model)),
            }
            if add_model(conn, row):
                self._audit(conn, actor, "model.register", f"model:{model}", {"provenance": provenance})
            return next(m for m in list_models(conn) if m.id == model)

        return self._guarded(actor, access.MODEL_READ, "models", work)

    def _known(self, conn: Connection, model: str) -> None:
        if not model_exists(conn, model):
            raise NotFound(f"no model {model!r} (see `varde model list`)")

    # -- changing the active and the shadow model ---------------------------------------------------------
    def promote(self, actor: Actor, model: str, reason: str) -> str:
        """Make `model` the active one (scans, workers and tips score with it from their next batch); returns the
        model that was active. Audited as `model.promote`."""
        reason = _reason(reason)

        def work(conn: Connection) -> str:
            access.require(actor, access.MODEL_ADMIN)
            self._known(conn, model)
            if active_model_id(conn) == model:
                raise InputError(f"{model} is already the active model")
            self.files.detector(model)  # its files are there and are its own, or ConfigError: nothing changes
            self.files.keep_shipped()  # so rolling back to it works after an upgrade ships another
            previous = set_active(conn, model, action=PROMOTE, reason=reason, by=actor.name, now=self.now())
            self._audit(conn, actor, "model.promote", f"model:{model}", {"previous": previous, "reason": reason})
            return previous

        return self._guarded(actor, access.MODEL_ADMIN, f"model:{model}", work)

    def rollback(self, actor: Actor, reason: str) -> tuple[str, str]:
        """Make the model that was active before the active one's promotion active again; returns (from, to).
        Audited as `model.rollback`."""
        reason = _reason(reason)

        def work(conn: Connection) -> tuple[str, str]:
            access.require(actor, access.MODEL_ADMIN)
            target = rollback_target(conn)
            if target is None:
                raise InputError("the active model was never promoted: there is nothing to roll back to")
            self.files.detector(target)
            previous = set_active(conn, target, action=ROLLBACK, reason=reason, by=actor.name, now=self.now())
            self._audit(conn, actor, "model.rollback", f"model:{target}", {"previous": previous, "reason": reason})
            return previous, target

        return self._guarded(actor, access.MODEL_ADMIN, "models", work)

    def shadow(self, actor: Actor, model: str | None, reason: str = "") -> None:
        """Score with `model` in shadow from the next batch on (None: shadow mode off). Audited as `model.shadow`."""

        def work(conn: Connection) -> None:
            access.require(actor, access.MODEL_ADMIN)
            if model is not None:
                self._known(conn, model)
                self.files.detector(model)
            set_shadow(conn, model, by=actor.name, now=self.now())
            details = {"on": model is not None, "reason": reason}
            self._audit(conn, actor, "model.shadow", f"model:{model or '-'}", details)

        self._guarded(actor, access.MODEL_ADMIN, "models", work)

    # -- comparing ----------------------------------------------------------------------------------------
    def shadow_comparison(self, actor: Actor) -> dict[str, Any] | None:
        """How the shadow model's stored outputs compare with the active records (None when shadow mode is off):
        posts scored by both, agreement, newly flagged and unflagged, and both models' agreement with verdicts."""

        def work(conn: Connection) -> dict[str, Any] | None:
            access.require(actor, access.MODEL_READ)
            shadow = shadow_model_id(conn)
            if shadow is None:
                return None
            rows = conn.execute(
                select(shadow_scores.c.post_id, shadow_scores.c.is_order, records.c.is_order.label("active"))
                .join(records, records.c.post_id == shadow_scores.c.post_id)
                .where(shadow_scores.c.model_id == shadow)
            ).all()
            labels = consensus_labels(conn)
            labelled = [r for r in rows if r.post_id in labels]
            truth = [labels[r.post_id] for r in labelled]
            return {
                "shadow": shadow,
                "active": active_model_id(conn),
                "posts": len(rows),
                "agree": sum(1 for r in rows if bool(r.is_order) == bool(r.active)),
                "newly_flagged": sum(1 for r in rows if r.is_order and not r.active),
                "unflagged": sum(1 for r in rows if r.active and not r.is_order),
                "labelled": {
                    "active": agreement([bool(r.active) for r in labelled], truth),
                    "shadow": agreement([bool(r.is_order) for r in labelled], truth),
                },
            }

        return self._guarded(actor, access.MODEL_READ, "models", work)

    def backtest(self, actor: Actor, candidate: str, *, since: datetime | None = None) -> dict[str, Any]:
        """Re-score the stored posts (created at or after `since`) with the active model and `candidate` and
        compare (`varde.detect.backtest.compare`), with the run time. The posts' own text is scored (text read from
        their images is not stored, so it is not part of a backtest). Audited as `model.backtest`."""
        self._require(actor, access.MODEL_READ, f"model:{candidate}")
        started, cpu = time.perf_counter(), time.process_time()
        with self._tx() as conn:
            self._known(conn, candidate)
            active = active_model_id(conn)
            labels = consensus_labels(conn)
            query = (
                select(
                    posts.c.id,
                    posts.c.platform,
                    posts.c.text,
                    posts.c.created_at,
                    records.c.language,
                    records.c.district,
                    records.c.order_id,
                )
                .join(records, records.c.post_id == posts.c.id)
                .order_by(posts.c.created_at, posts.c.id)
            )
            if since is not None:
                query = query.where(posts.c.created_at >= since)
            rows = conn.execute(query).all()
        old_detector, new_detector = self.files.detector(active), self.files.detector(candidate)
        normalise = NormaliseStage()
        items: list[BacktestPost] = []
        old: list[Detection] = []
        new: list[Detection] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            batch = normalise([Record(post=Post(r.id, r.platform, r.text, r.created_at)) for r in chunk])
            views = [r.view for r in batch if r.view is not None]
            normalised = [r.normalised for r in batch]
            languages = [r.language for r in chunk]
            before = old_detector.detect(views, normalised, languages)
            after = new_detector.detect(views, normalised, languages)
            for row, view, b, a in zip(chunk, views, before, after, strict=True):
                district = row.district
                if district is None and a.is_order and not b.is_order:  # newly flagged: where would it be filed
                    primary = choose_primary_place(extract_places(view.text, row.language, None))
                    district = primary.district if primary else None
                items.append(BacktestPost(row.id, district, row.language, row.order_id))
                old.append(_slim(b))
                new.append(_slim(a))
        report = compare(items, old, new, labels, active_id=active, candidate_id=candidate)
        report["since"] = since.isoformat() if since else None
        report["seconds"] = round(time.perf_counter() - started, 3)
        report["cpu_seconds"] = round(time.process_time() - cpu, 3)
        summary_keys = ("posts", "newly_flagged", "unflagged", "seconds")
        with self._tx() as conn:
            details = {k: report[k] for k in summary_keys} | {"active": active}
            self._audit(conn, actor, "model.backtest", f"model:{candidate}", details)
            kept = {k: v for k, v in report.items() if k != "changes"} | {"changes": len(report["changes"])}
            conn.execute(
                insert(model_backtests).values(
                    candidate=candidate, active=active, run_at=self.now(), run_by=actor.name, report=kept
                )
            )
        return report

    # -- re-scoring -----------------------------------------------------------------------------------------
    def rescore_open_cases(self, actor: Actor) -> dict[str, Any]:
        """Analyse the posts of every open case again with the active model and store the new records (as a
        re-scan would: new orders open cases; a post no longer flagged keeps its case for an analyst to close).
        Audited as `model.rescore`."""
        from varde.media import MediaStage
        from varde.pipeline import build_pipeline  # scikit-learn and the extractors: only when asked

        self._require(actor, access.MODEL_ADMIN, "models")
        with self._tx() as conn:
            open_posts = (
                select(case_posts.c.post_id)
                .join(cases, cases.c.id == case_posts.c.case_id)
                .where(cases.c.state.not_in(sorted(lifecycle.FINAL)))
            )
            rows = conn.execute(select(posts).where(posts.c.id.in_(open_posts)).order_by(posts.c.id)).all()
            n_cases = conn.execute(
                select(func.count()).select_from(cases).where(and_(cases.c.state.not_in(sorted(lifecycle.FINAL))))
            ).scalar_one()
        first = [MediaStage()] if self.media_dir is not None else []  # reads the store's copies; captures nothing
        pipeline = build_pipeline(self.store.order_index(), first=first, models=ActiveModels(self.store, self.files))
        changed = 0
        model = ""
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            with self._tx() as conn:
                before = dict(
                    conn.execute(
                        select(records.c.post_id, records.c.score).where(records.c.post_id.in_([r.id for r in chunk]))
                    ).all()
                )
            result = pipeline.run([Record(post=stored_post(r, self.media_dir)) for r in chunk])
            changed += sum(1 for r in result if before.get(r.id) != float(r.score))
            model = next((r.model_id for r in result if r.model_id), model)
            # The posts are stored already (first capture wins): only their records and orders change.
            with self._tx() as conn:
                ingest_records(conn, [dataclasses.replace(r, shadow=None) for r in result], now=self.now())
        details = {"cases": n_cases, "posts": len(rows), "scores_changed": changed, "model": model}
        with self._tx() as conn:
            self._audit(conn, actor, "model.rescore", "cases:open", details)
        return details


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InputError("a reason is required to change the active model")
    return reason
