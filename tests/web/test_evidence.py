"""Evidence from the workbench: a tip's screenshot is in its case's bundle (read from the media store by digest),
the bundle verifies with the installation's key, and the session secret lives in a 0600 key file."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from varde.cases.evidence import verify_bundle
from varde.keys import SECRET_FILE, installed_public_key
from varde.settings import Settings
from varde.store import Store
from varde.web.app import create_app

from .conftest import Seeded, make_app, seed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, Seeded]]:
    if request.param == "sqlite":
        seeded: Seeded = request.getfixturevalue("seeded")
        store = seeded.store
    else:
        store = Store.open(str(request.getfixturevalue("postgres_url")))
        seeded = seed(store, hostile=False)
    with TestClient(make_app(store, tmp_path), base_url="http://127.0.0.1") as client:
        yield client, seeded
    if request.param != "sqlite":
        store.close()


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), (90, 10, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_tip_screenshot_is_in_the_evidence_bundle(web: tuple[TestClient, Seeded], tmp_path: Path) -> None:
    """HIGH: tip screenshots were looked up relative to the working directory and left out."""
    client, seeded = web
    olav = {"authorization": f"Bearer {seeded.tokens['olav']}"}
    shot = _png()
    response = client.post(
        "/api/tips",
        data={"text": "Betaler 40k for å skade en fyr i Oslo i kveld", "seen_on": "snapchat"},
        files={"screenshot": ("../../etc/passwd", shot, "image/png")},  # the upload's name is only text
        headers=olav,
    )
    assert response.status_code == 201, response.text
    case_id = response.json()["case_id"]
    assert case_id
    exported = client.post(f"/api/cases/{case_id}/evidence", headers=olav)
    assert exported.status_code == 200
    bundle = tmp_path / "tip.zip"
    bundle.write_bytes(exported.content)
    digest = hashlib.sha256(shot).hexdigest()
    with zipfile.ZipFile(bundle) as archive:
        media = {name: archive.read(name) for name in archive.namelist() if name.startswith("media/")}
    assert list(media.values()) == [shot]
    assert next(iter(media)).endswith(f"-{digest}.png")
    public = installed_public_key(tmp_path / "keys")
    check = verify_bundle(bundle, public)
    assert check.ok, check.problems
    assert check.manifest_sha256 == exported.headers["x-manifest-sha256"]


def test_the_session_secret_is_a_private_key_file(tmp_path: Path) -> None:
    """The secret key is no longer only in the environment: a 0600 file, created once, kept across restarts."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'varde.db'}", secret_key="")
    apps = [create_app(settings), create_app(settings)]
    override = settings.model_copy(update={"secret_key": "from-the-environment"})
    apps.append(create_app(override))
    key = tmp_path / "varde.db.keys" / SECRET_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "varde.db.keys").stat().st_mode & 0o777 == 0o700
    first, again, overridden = (app.state.web.secret for app in apps)
    assert first == key.read_bytes().strip() and len(first) == 64
    assert again == first  # sessions survive a restart
    assert overridden == b"from-the-environment"  # VARDE_SECRET_KEY still wins
    for app in apps:
        app.state.web.store.close()
