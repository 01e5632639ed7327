"""A model's id is a digest of its two files; model.json gives its training summary and metrics."""

from __future__ import annotations

import json

from varde.detect.registry import model_id, shipped_files, shipped_model_id, summary


def test_the_id_follows_both_files() -> None:
    meta, weights = shipped_files()
    assert model_id(meta, weights) == shipped_model_id()
    assert model_id(meta, weights + b"\0") != shipped_model_id()
    assert model_id(meta + b" ", weights) != shipped_model_id()
    assert model_id(b"ab", b"c") != model_id(b"a", b"bc")  # the boundary between the files counts


def test_the_summary_reads_provenance_and_metrics() -> None:
    provenance, metrics = summary(shipped_files()[0])
    assert provenance["examples"] > 0 and metrics is None
    meta = json.dumps({"provenance": {"examples": 3}, "metrics": {"f1": 0.9}}).encode()
    assert summary(meta) == ({"examples": 3}, {"f1": 0.9})
