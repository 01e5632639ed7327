"""`BankMatcher`: text and image matches as cues; a negative bank suppresses matches of its own kind only."""

from __future__ import annotations

from datetime import UTC, datetime

from varde.posts import Post
from varde.records import Record
from varde.signals.matcher import BANK_URGENCY, BankMatcher, BankSignal, with_matches
from varde.signals.text import text_signals

AD = "Oppdrag i kveld 🔫 Holmlia. Skyte mot ei dør, ingen skal treffes. 80k cash rett etter. Kun seriøse, dm @kveld"
IMAGE = "3a3e0e61efe1e199ebbb1e27be2e601eeee147c1e191e11e9c061c26e01ce1d1"
NEAR_IMAGE = "3abe0c61e3e1e1d9eabb1e279e2e301eafe147e1e191e11e9c061c26e11ce3d1"  # 14 bits away


def record(text: str, images: tuple[str, ...] = ()) -> Record:
    post = Post(id="p:1", platform="telegram", text=text, created_at=datetime(2025, 9, 14, tzinfo=UTC))
    return Record(post=post, image_hashes=images)


def bank(negative_image: bool = False) -> BankMatcher:
    signals = text_signals(AD)
    assert signals is not None and signals.tlsh is not None
    found = [
        BankSignal(1, "police", False, "md5_text", signals.md5, "c-1", ("shooting",)),
        BankSignal(2, "police", False, "text_tlsh", signals.tlsh, "c-1", ("shooting",)),
        BankSignal(3, "police", False, "pdq", IMAGE, "c-1", ("shooting",)),
    ]
    if negative_image:
        found.append(BankSignal(4, "fp", True, "pdq", IMAGE, "fp-1"))
    return BankMatcher(found)


def test_text_and_image_matches_become_cues_and_raise_urgency() -> None:
    [matches] = bank().match_records([record(AD + "!!", (NEAR_IMAGE,))])
    assert {(m.signal.signal_type, m.distance) for m in matches} == {("md5_text", 0), ("text_tlsh", 0), ("pdq", 14)}
    out = with_matches(record(AD, (NEAR_IMAGE,)), matches)
    cues = [c.to_dict() for c in out.cues if c.kind == "bank_match"]
    assert {c["bank"] for c in cues} == {"police"} and all(c["violence_types"] == ["shooting"] for c in cues)
    assert next(c for c in cues if c["signal_type"] == "pdq")["origin"] == "image"
    assert out.urgency >= BANK_URGENCY and out.band == "possible"


def test_a_negative_bank_suppresses_its_kind_only() -> None:
    [matches] = bank(negative_image=True).match_records([record(AD, (NEAR_IMAGE,))])
    assert {m.signal.signal_type for m in matches} == {"md5_text", "text_tlsh"}


def test_unrelated_posts_match_nothing() -> None:
    other = "Selger sykkel, nesten ny, 3000 kr. Hentes på Grünerløkka i helgen, send melding om du er interessert!"
    assert bank().match_records([record(other, ("00" * 32,)), record("")]) == [[], []]
    assert with_matches(record(other), []) == record(other)
