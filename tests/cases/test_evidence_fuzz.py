"""Fuzzing the evidence verifier: crafted zips (random entries, names, manifests, damaged bytes) never raise; each
gives a verdict with its problems, and the command gives one of its documented exit codes. Bounded: a few hundred
examples, a few seconds."""

from __future__ import annotations

import io
import json
import warnings
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from varde.cases.evidence import CONTROL, sha256, verify_bundle
from varde.cli import cli
from varde.errors import VardeError, exit_code
from varde.keys import Signer

KEY = Signer(b"\x11" * 32)
NAMES = st.one_of(
    st.sampled_from(
        [*CONTROL, "case.json", "posts/0001.raw", "media/0001-1-x.png", "../x", "/abs", "a\\b", "a/./b", "dir/", "C:x"]
    ),
    st.text(min_size=0, max_size=12),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@st.composite
def manifests(draw: st.DrawFn, entries: dict[str, bytes]) -> bytes:
    """A manifest that is sometimes right, sometimes wrong in shape, sizes or hashes."""
    files: dict[str, object] = {}
    for name, data in entries.items():
        files[name] = draw(
            st.sampled_from(
                [
                    {"sha256": sha256(data), "bytes": len(data)},
                    {"sha256": sha256(data), "bytes": draw(st.integers(-5, 2**40))},
                    {"sha256": "0" * 64, "bytes": len(data)},
                    draw(JSON_VALUES),
                ]
            )
        )
    value = draw(
        st.sampled_from(
            [
                {"files": files, "posts": [{"file": n, "sha256_at_capture": sha256(d)} for n, d in entries.items()]},
                {"files": files, "posts": draw(JSON_VALUES)},
                {"files": draw(JSON_VALUES)},
                draw(JSON_VALUES),
            ]
        )
    )
    return json.dumps(value).encode()


@st.composite
def bundles(draw: st.DrawFn) -> bytes:
    entries = draw(st.dictionaries(NAMES, st.binary(max_size=64), max_size=5))
    manifest = draw(manifests(entries))
    listed = list(entries.items())
    if draw(st.booleans()):
        listed += [("manifest.json", manifest), ("manifest.sha256", sha256(manifest).encode())]
        listed += [("manifest.sig", KEY.sign(manifest).encode() if draw(st.booleans()) else b"AAAA")]
    listed += draw(st.lists(st.tuples(NAMES, st.binary(max_size=16)), max_size=2))  # duplicates, strays
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we ask for
        with zipfile.ZipFile(
            out, "w", compression=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
        ) as z:
            for name, data in listed:
                z.writestr(zipfile.ZipInfo(name or "x"), data)
    data = bytearray(out.getvalue())
    for _ in range(draw(st.integers(0, 3))):  # damage a few bytes
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles())
def test_the_verifier_never_raises_on_crafted_bundles(tmp_path_factory: pytest.TempPathFactory, bundle: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "b.zip"
    path.write_bytes(bundle)
    check = verify_bundle(path, KEY.public)
    assert check.ok or check.problems
    assert isinstance(check.problems, tuple) and all(isinstance(p, str) for p in check.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bundles())
def test_the_command_always_ends_with_a_documented_exit_code(
    tmp_path_factory: pytest.TempPathFactory, bundle: bytes
) -> None:
    folder = tmp_path_factory.mktemp("fuzzcli")
    path = folder / "b.zip"
    path.write_bytes(bundle)
    pem = folder / "key.pem"
    pem.write_bytes(KEY.public_pem())
    result = CliRunner().invoke(cli, ["export", "verify", str(path), "--pubkey", str(pem), "--no-audit"])
    error = result.exception
    code = exit_code(error) if isinstance(error, VardeError) else result.exit_code
    assert error is None or isinstance(error, (VardeError, SystemExit)), repr(error)
    assert code in (0, 8)
