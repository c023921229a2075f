"""Thumbnails of photo evidence: small JPEGs made from the stored file on first view.

A thumbnail is a derived cache, not evidence: it lives outside the evidence store (under
``<file store>/thumbnails/``), is named by the original's SHA-256, may be deleted at any time and
is then made again from the stored original, which it never replaces. It is turned upright from
the photo's EXIF orientation and carries no EXIF of its own (no GPS position in a preview).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from sanxiang.evidence.choices import THUMBNAIL_MIMES
from sanxiang.evidence.models import Evidence
from sanxiang.evidence.storage import StoreError, store_named

SIZE = 320  # the longer side, in pixels (twice the 160 px shown, for sharp high-density screens)
QUALITY = 80
CONTENT_TYPE = "image/jpeg"
_SPOOL = 16 * 1024 * 1024


class NoThumbnail(Exception):
    """The evidence is no photo a thumbnail can be made of, or its file cannot be read."""


def folder() -> Path:
    return Path(settings.FILE_STORE_DIR) / "thumbnails" / str(SIZE)


def path_for(sha256: str) -> Path:
    return folder() / sha256[:2] / f"{sha256}.jpg"


def thumbnail(evidence: Evidence) -> Path:
    """The thumbnail file of ``evidence``, made from the stored original when not cached yet."""
    if evidence.mime not in THUMBNAIL_MIMES:
        raise NoThumbnail("该证据没有缩略图")
    target = path_for(evidence.sha256)
    if not target.is_file():
        _make(evidence, target)
    return target


def _make(evidence: Evidence, target: Path) -> None:
    from PIL import Image, ImageOps

    try:
        with _seekable(store_named(evidence.storage).open(evidence.sha256)) as source, Image.open(source) as image:
            image.draft("RGB", (SIZE, SIZE))  # JPEG: decode at a reduced scale, a fraction of the memory
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((SIZE, SIZE))
            small = _on_white(upright)
    except (StoreError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise NoThumbnail(f"无法生成缩略图：{exc}") from None
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: a concurrent viewer sees the whole file or none.
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".thumb-")
    try:
        with os.fdopen(fd, "wb") as out:
            small.save(out, "JPEG", quality=QUALITY, optimize=True)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _on_white(image):
    """RGB for JPEG; transparent parts (PNG, GIF, WebP) shown on white rather than black."""
    from PIL import Image

    if image.mode not in ("RGBA", "LA", "P", "PA"):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def _seekable(handle: BinaryIO) -> BinaryIO:
    """Pillow seeks; an S3 body does not: copy it to a spooled temporary file first."""
    try:
        if handle.seekable():
            return handle
    except AttributeError:
        pass
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)
    with handle:
        shutil.copyfileobj(handle, spool, 1024 * 1024)
    spool.seek(0)
    return spool  # type: ignore[return-value]
