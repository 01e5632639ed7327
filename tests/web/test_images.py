"""Images on the case page: served by digest from the media store only, for users who may read the case, as a
re-encoded copy without EXIF/GPS, size-limited, with a fixed image content type; names that posts gave are inert."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import update

from varde.media.files import MediaRejected
from varde.media.sanitize import MAX_DIMENSION, clean_image
from varde.media.store import MediaStore
from varde.store import Store
from varde.store.tables import posts

from .conftest import Seeded, login, make_app, seed

GPS_IFD = 0x8825
HOSTILE_NAME = '../../etc/passwd"><img src=x onerror=alert(1)>'


def jpeg_with_gps(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "secret-editor 1.0"  # Software
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (59.0, 54.0, 48.0), 3: "E", 4: (10.0, 45.0, 36.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at the stash")
    return out.getvalue()


def attach(seeded: Seeded, post_id: str, data: bytes, media_dir: Path) -> str:
    """Capture `data` as the post's image (as the media stage does), plus a refused file with a hostile name."""
    digest = MediaStore(media_dir).put(data)
    with seeded.store.begin() as conn:
        conn.execute(
            update(posts)
            .where(posts.c.id == post_id)
            .values(
                media=["photo.jpg", HOSTILE_NAME],
                media_files=[
                    {"name": "photo.jpg", "sha256": digest, "bytes": len(data)},
                    {"name": HOSTILE_NAME, "refused": "path leads outside the input folder"},
                ],
            )
        )
    return digest


@pytest.fixture
def images(seeded: Seeded, tmp_path: Path) -> dict[str, str]:
    media = tmp_path / "media"  # the app's media folder (conftest.make_app)
    return {
        "oslo": attach(seeded, "telegram:foxchan:1", jpeg_with_gps(), media),
        "vest": attach(seeded, "telegram:foxchan:2", jpeg_with_gps(colour=(200, 20, 20)), media),
    }


def test_clean_image_drops_exif_gps_and_comments() -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the fixture really carries GPS
    shown = clean_image(original)
    copy = Image.open(io.BytesIO(shown.data))
    assert shown.content_type == "image/jpeg" and copy.format == "JPEG"
    assert dict(copy.getexif()) == {} and "exif" not in copy.info and "comment" not in copy.info
    assert b"PhoneMaker" not in shown.data and b"stash" not in shown.data and b"GPS" not in shown.data
    assert copy.size == (64, 48)


def test_clean_image_limits_size_and_refuses_non_images() -> None:
    big = io.BytesIO()
    Image.effect_noise((3000, 1000), 80).convert("RGB").save(big, format="PNG")
    shown = clean_image(big.getvalue(), max_bytes=200_000)
    assert max(shown.width, shown.height) <= MAX_DIMENSION and len(shown.data) <= 200_000
    with pytest.raises(MediaRejected):
        clean_image(b"<svg onload=alert(1)></svg>")


def test_case_page_shows_the_image_without_metadata(app: FastAPI, seeded: Seeded, images: dict[str, str]) -> None:
    case_id = seeded.case("o-oslo")
    with TestClient(app, base_url="http://127.0.0.1", headers={"accept-language": "en"}) as client:
        login(client, "ana")
        page = client.get(f"/cases/{case_id}")
        src = f"/cases/{case_id}/images/{images['oslo']}"
        assert f'src="{src}"' in page.text
        assert "1 image was not captured" in page.text
        assert "onerror=alert(1)>" not in page.text and "etc/passwd" not in page.text  # the name is never shown
        response = client.get(src)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/jpeg"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert b"PhoneMaker" not in response.content and dict(Image.open(io.BytesIO(response.content)).getexif()) == {}
        api = client.get(f"/api/cases/{case_id}")
        post = api.json()["post_groups"][0]["posts"][0]
        assert post["images"] == [images["oslo"]]
        assert client.get(f"/api/cases/{case_id}/images/{images['oslo']}").status_code == 200


def test_images_follow_the_case_access_rules(app: FastAPI, seeded: Seeded, images: dict[str, str]) -> None:
    oslo, vest = seeded.case("o-oslo"), seeded.case("o-vest")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "olav")  # investigator in Oslo
        assert client.get(f"/cases/{oslo}/images/{images['oslo']}").status_code == 200
        # Another district's case: 404, the same as a case that does not exist.
        assert client.get(f"/cases/{vest}/images/{images['vest']}").status_code == 404
        # A digest of another case's image through a case the user may read: 404.
        assert client.get(f"/cases/{oslo}/images/{images['vest']}").status_code == 404
        # Anything that is not a recorded digest: names, paths, half digests.
        for bad in ["photo.jpg", "..%2F..%2Fetc%2Fpasswd", images["oslo"][:40], images["oslo"].upper(), "0" * 64]:
            response = client.get(f"/cases/{oslo}/images/{bad}")
            assert response.status_code in (404, 422), bad
            assert response.headers["content-type"].split(";")[0] != "image/jpeg"
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get(f"/api/cases/{oslo}/images/{images['oslo']}").status_code == 401
        login(client, "vera")  # investigator in Vest
        assert client.get(f"/cases/{vest}/images/{images['vest']}").status_code == 200
        assert client.get(f"/api/cases/{oslo}/images/{images['oslo']}").status_code == 404


def test_an_altered_stored_file_is_not_shown(
    app: FastAPI, seeded: Seeded, images: dict[str, str], tmp_path: Path
) -> None:
    digest = images["oslo"]
    MediaStore(tmp_path / "media").path_of(digest).write_bytes(jpeg_with_gps(colour=(0, 0, 0)))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login(client, "ana")
        assert client.get(f"/cases/{seeded.case('o-oslo')}/images/{digest}").status_code == 404


@pytest.mark.postgres
def test_images_on_postgres(postgres_url: str, tmp_path: Path) -> None:
    """`posts.media_files` is JSON on both backends: the same digests open, and only for the case's district."""
    store = Store.open(postgres_url)
    try:
        seeded = seed(store, hostile=False)
        digest = attach(seeded, "telegram:foxchan:1", jpeg_with_gps(), tmp_path / "media")
        with TestClient(make_app(store, tmp_path), base_url="http://127.0.0.1") as client:
            ana = {"authorization": f"Bearer {seeded.tokens['ana']}"}
            vera = {"authorization": f"Bearer {seeded.tokens['vera']}"}
            path = f"/api/cases/{seeded.case('o-oslo')}/images/{digest}"
            shown = client.get(path, headers=ana)
            assert shown.status_code == 200 and b"PhoneMaker" not in shown.content
            assert client.get(path, headers=vera).status_code == 404
    finally:
        store.close()
