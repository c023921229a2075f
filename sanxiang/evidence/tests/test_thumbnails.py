"""Thumbnails of photo evidence: small JPEGs made from the stored original on first view, kept
outside the evidence store, upright by EXIF orientation, behind the same access checks as the file."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from sanxiang.cases.choices import CaseState
from sanxiang.cases.testing import walk_to
from sanxiang.evidence import samples as media
from sanxiang.evidence import services, thumbnails
from sanxiang.evidence.storage import default_store
from sanxiang.evidence.tests.test_ingest import chunks, describe, stored_files
from sanxiang.evidence.tests.test_pages import login
from sanxiang.ledger.models import Entry


@pytest.fixture
def photo(cw):
    case = walk_to(cw, CaseState.INVESTIGATION)
    return services.ingest(cw.user("officer"), case, chunks(media.photo(orientation=6), 64 * 1024),
                           original_name="侧拍.jpg", description=describe(cw, category="physical"))


def _image(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_small_upright_jpeg_made_from_the_stored_photo(client, cw, photo) -> None:
    original = media.photo(orientation=6)
    evidence_files = stored_files()
    login(client, cw, "unit_head")
    reads = Entry.objects.filter(event_type="evidence.viewed").count()
    response = client.get(reverse("evidence:thumbnail", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    data = b"".join(response.streaming_content)
    assert len(data) < 10_000 < len(original)
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.size == (160, 320)  # 1200×600 turned upright, longer side 320
    red, blue = image.getpixel((80, 40)), image.getpixel((80, 280))
    assert red[0] > 180 > red[2] and blue[2] > 180 > blue[0]  # the photo's left (red) half is now on top
    assert not image.getexif()  # no EXIF (GPS, camera) in a preview
    # a derived cache outside the evidence store, which is unchanged; the original is untouched
    cached = thumbnails.path_for(photo.sha256)
    assert cached.read_bytes() == data and default_store().root not in cached.parents
    assert stored_files() == evidence_files and default_store().path(photo.sha256).read_bytes() == original
    assert Entry.objects.filter(event_type="evidence.viewed").count() == reads  # previews are no 调阅


def test_the_cache_is_remade_from_the_stored_original_and_never_outlives_it(client, cw, photo) -> None:
    login(client, cw, "officer")
    url = reverse("evidence:thumbnail", args=[photo.pk])
    first = b"".join(client.get(url).streaming_content)
    cached = thumbnails.path_for(photo.sha256)
    cached.unlink()
    assert b"".join(client.get(url).streaming_content) == first and cached.is_file()
    cached.unlink()
    original = default_store().path(photo.sha256)
    original.chmod(0o644)
    original.unlink()  # the original gone behind the platform's back: no thumbnail out of thin air
    assert client.get(url).status_code == 404


def test_a_transparent_png_is_shown_on_white(client, cw) -> None:
    case = walk_to(cw, CaseState.INVESTIGATION)
    out = io.BytesIO()
    Image.new("RGBA", (400, 200), (0, 0, 0, 0)).save(out, "PNG")
    png = services.ingest(cw.user("officer"), case, chunks(out.getvalue()), original_name="截图.png",
                          description=describe(cw, category="electronic"))
    login(client, cw, "officer")
    image = _image(client.get(reverse("evidence:thumbnail", args=[png.pk])))
    assert image.size == (320, 160) and image.getpixel((10, 10)) == (255, 255, 255)


def test_no_thumbnail_for_a_recording_and_the_page_shows_players_and_thumbnails(client, cw, photo) -> None:
    sound = services.ingest(cw.user("officer"), photo.case, chunks(media.wav()), original_name="询问.wav",
                            description=describe(cw))
    login(client, cw, "officer")
    assert client.get(reverse("evidence:thumbnail", args=[sound.pk])).status_code == 404
    page = client.get(reverse("cases:detail", args=[photo.case.pk])).content.decode()
    assert reverse("evidence:thumbnail", args=[photo.pk]) in page
    assert f'<img class="evidence-thumb" src="{reverse("evidence:file", args=[photo.pk])}"' not in page
    assert f'src="{reverse("evidence:file", args=[sound.pk])}"' in page  # the player streams the file


@pytest.mark.parametrize(("persona", "expected"), [
    ("officer", 200), ("reviewer", 200), ("publisher", 200), ("supervisor", 200),
    ("other_officer", 404), ("far_admin", 404), ("anonymous", 302)])
def test_who_sees_a_thumbnail(client, cw, photo, persona, expected) -> None:
    if persona != "anonymous":
        login(client, cw, persona)
    assert client.get(reverse("evidence:thumbnail", args=[photo.pk])).status_code == expected
