from __future__ import annotations

import pytest

from varde.errors import InvalidPost
from varde.posts import post_from_mapping

GOOD = {"id": "telegram:chan:1", "platform": "telegram", "text": "hei", "created_at": "2025-09-14T18:00:00+02:00"}


def test_valid_post_keeps_fields_and_offset() -> None:
    post = post_from_mapping({**GOOD, "author": "@x", "media": ["a.jpg"], "source": "tip"})
    assert post.id == "telegram:chan:1"
    assert post.created_at.utcoffset() is not None
    assert post.media == ("a.jpg",)
    assert post.source == "tip"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": None}, "id"),
        ({"platform": "myspace"}, "platform"),
        ({"text": 5}, "text"),
        ({"created_at": "2025-09-14 18:00"}, "created_at"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"source": "rumour"}, "source"),
        ({"media": [1, 2]}, "media"),
        ({"author": ["a"]}, "author"),
        ({"text": "a\ud800b"}, "text"),  # a lone surrogate cannot be written as UTF-8 anywhere downstream
        ({"id": "x\udfff"}, "id"),
        ({"channel": "\ud83d"}, "channel"),
        ({"media": ["a\ud800.jpg"]}, "media"),
        ({"created_at": "9999-12-31T23:59:59-14:00"}, "created_at"),  # past year 9999 in UTC
        ({"created_at": "0001-01-01T00:00:00+14:00"}, "created_at"),  # before year 1 in UTC
    ],
)
def test_invalid_fields_are_named(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidPost) as error:
        post_from_mapping({**GOOD, **change})
    assert error.value.field == field
    assert field in str(error.value)


def test_non_object_is_rejected() -> None:
    with pytest.raises(InvalidPost, match="expected a JSON object"):
        post_from_mapping(["not", "an", "object"])


def test_utc_z_suffix_is_accepted() -> None:
    assert post_from_mapping({**GOOD, "created_at": "2025-09-14T16:00:00Z"}).created_at.utcoffset() is not None
