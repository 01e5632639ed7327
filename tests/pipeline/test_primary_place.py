"""Through the pipeline, "i Sverige eller Oslo" is filed under Oslo, Norway: the record's country and district and
the output's `place` all come from one primary place."""

from __future__ import annotations

from datetime import UTC, datetime

from varde.pipeline import build_pipeline
from varde.posts import Post
from varde.records import Record
from varde.vocab import DISTRICT_COUNTRY


def test_sweden_or_oslo_through_the_pipeline() -> None:
    text = "skyte en kar i Sverige eller Oslo, 50k, skriv på snap"
    post = Post(id="t:svosl", platform="telegram", text=text, created_at=datetime(2025, 9, 14, 12, tzinfo=UTC))
    [record] = build_pipeline().run([Record(post=post)])
    assert [p.country for p in record.places] == ["SE", "NO"]
    assert (record.country, record.district) == ("NO", "Oslo")
    out = record.to_contract_dict()
    assert out["place"] == out["places"][1] and out["place"]["district"] == "Oslo"
    assert all(DISTRICT_COUNTRY[p["district"]] == p["country"] for p in out["places"] if p["district"])
