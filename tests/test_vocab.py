"""The vocabulary reads the same with libyaml's safe loader (used when PyYAML has it) as with the pure-Python one."""

from __future__ import annotations

import yaml

from varde import vocab


def test_both_safe_loaders_read_the_same_vocabulary() -> None:
    assert hasattr(yaml, "CSafeLoader")  # the installed PyYAML has libyaml, so the fast path is the one tested
    pure = vocab._load(yaml.SafeLoader)
    assert vocab._load(yaml.CSafeLoader) == pure
    assert pure["platforms"] and set(pure["platforms"]) == vocab.PLATFORMS
