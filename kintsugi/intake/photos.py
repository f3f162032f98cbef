"""Customer photos: checked by their content (not their name or declared type), size-limited, re-encoded as a
JPEG of at most MAX_SIDE pixels a side, with no metadata (EXIF, GPS position, ICC, comments) kept.

The orientation EXIF carries is applied to the pixels before it is dropped, so a phone photo stays upright.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# 50 megapixels: beyond any phone camera, far below what could exhaust memory when decoded.
MAX_PIXELS = 50_000_000
MAX_SIDE = 2048
JPEG_QUALITY = 82
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


class PhotoRejected(ValueError):
    """The file is not a photo we accept; the message says why, in the customer's language."""


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo ready to store: JPEG bytes without metadata, and their size in pixels."""

    data: bytes
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)


def _read(upload: IO[bytes] | bytes) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        upload.seek(0)
        data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRejected(_("The photo is too large (at most 8 MB)."))
    if not data:
        raise PhotoRejected(_("The photo is empty."))
    return data


def process_photo(upload: IO[bytes] | bytes) -> Photo:
    """Check that `upload` is a JPEG, PNG or WebP image of sane size and return it re-encoded as a clean JPEG;
    raises PhotoRejected otherwise."""
    data = _read(upload)
    not_a_photo = PhotoRejected(_("This file is not a photo we can read. Please send a JPEG, PNG or WebP image."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise not_a_photo
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected(_("The photo has too many pixels. Please send a smaller one."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale when that is enough
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = _flatten(upright)
            clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            # No exif=, icc_profile= or comment=: the new file carries pixels only.
            clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise not_a_photo from exc
    return Photo(out.getvalue(), clean.width, clean.height)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels: transparency is laid on white (JPEG has no alpha), palettes and greys are expanded."""
    if image.mode in {"RGBA", "LA", "PA"} or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
