"""requirements.lock (made by `make lock`) pins every dependency that pyproject.toml names, inside its range, with
hashes; and the environment the tests run in is exactly the lock."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKED_EXTRAS = ("all", "embed", "dev")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _locked() -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for each pin of the lock file."""
    pins: dict[str, tuple[str, int]] = {}
    name = ""
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            pins[name] = (match.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def _required() -> list[Requirement]:
    """The build requirements, the runtime dependencies and those of the locked extras (expanded)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras: dict[str, list[str]] = project["project"]["optional-dependencies"]
    wanted = list(project["build-system"]["requires"]) + list(project["project"]["dependencies"])
    pending, seen = list(LOCKED_EXTRAS), set()
    while pending:
        extra = pending.pop()
        if extra in seen:
            continue
        seen.add(extra)
        for spec in extras[extra]:
            requirement = Requirement(spec)
            if canonicalize_name(requirement.name) == "varde":
                pending.extend(requirement.extras)
            else:
                wanted.append(spec)
    return [Requirement(spec) for spec in wanted]


def _disagreements(required: list[Requirement], locked: dict[str, tuple[str, int]]) -> list[str]:
    problems = []
    for requirement in required:
        pin = locked.get(canonicalize_name(requirement.name))
        if pin is None:
            problems.append(f"{requirement.name}: not in requirements.lock")
        elif not requirement.specifier.contains(pin[0], prereleases=True):
            problems.append(f"{requirement.name}: locked {pin[0]} is outside {requirement.specifier}")
    return problems


def test_every_requirement_is_pinned_inside_its_range() -> None:
    problems = _disagreements(_required(), _locked())
    assert not problems, "requirements.lock disagrees with pyproject.toml (run `make lock`):\n" + "\n".join(problems)


def test_every_pin_carries_hashes() -> None:
    locked = _locked()
    assert len(locked) > 50
    assert [name for name, (_, hashes) in locked.items() if hashes == 0] == []


def test_the_installed_environment_is_the_lock() -> None:
    drift = []
    for name, (version, _) in _locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            drift.append(f"{name}: locked {version}, not installed")
            continue
        if installed != version:
            drift.append(f"{name}: locked {version}, installed {installed}")
    assert not drift, "the environment is not requirements.lock (`make install` rebuilds it):\n" + "\n".join(drift)


@pytest.mark.parametrize(("spec", "problem"), [("numpy>=99", "outside"), ("not-a-package>=1", "not in")])
def test_a_range_the_lock_does_not_meet_is_reported(spec: str, problem: str) -> None:
    [message] = _disagreements([Requirement(spec)], _locked())
    assert problem in message
