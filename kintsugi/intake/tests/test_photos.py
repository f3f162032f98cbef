"""process_photo: accepted by content, re-encoded as a metadata-free JPEG of at most 2048 px a side."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kintsugi.intake.photos import MAX_UPLOAD_BYTES, PhotoRejected, process_photo
from kintsugi.intake.tests.images import GPS_IFD, gif, jpeg_with_gps, png, webp


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_phone_photo_loses_its_gps_position_and_every_other_exif_field() -> None:
    original = jpeg_with_gps()
    assert opened(original).getexif().get_ifd(GPS_IFD)  # the test photo does carry a position

    photo = process_photo(original)

    stored = opened(photo.data)
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info
    assert "icc_profile" not in stored.info
    assert b"KintsugiPhone" not in photo.data
    assert (photo.width, photo.height, photo.size) == (640, 480, len(photo.data))


def test_the_orientation_is_applied_to_the_pixels_before_exif_is_dropped() -> None:
    photo = process_photo(jpeg_with_gps(size=(640, 480), orientation=6))  # 6: turn 90° clockwise to view

    assert (photo.width, photo.height) == (480, 640)
    assert opened(photo.data).size == (480, 640)


def test_a_large_photo_is_scaled_to_2048_pixels_on_its_long_side() -> None:
    photo = process_photo(jpeg_with_gps(size=(4000, 3000)))

    assert (photo.width, photo.height) == (2048, 1536)
    assert opened(photo.data).size == (2048, 1536)


@pytest.mark.parametrize(("data", "size"), [(png(), (300, 200)), (png(alpha=True), (300, 200)), (webp(), (300, 200))],
                         ids=["png", "png-alpha", "webp"])
def test_png_and_webp_become_jpeg(data: bytes, size: tuple[int, int]) -> None:
    photo = process_photo(data)

    assert opened(photo.data).format == "JPEG"
    assert opened(photo.data).mode == "RGB"
    assert (photo.width, photo.height) == size


def test_transparency_is_laid_on_white() -> None:
    photo = process_photo(png(alpha=True))

    assert opened(photo.data).getpixel((10, 10)) == (255, 255, 255)


NOT_A_PHOTO = "This file is not a photo we can read. Please send a JPEG, PNG or WebP image."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 not an image at all", NOT_A_PHOTO),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", NOT_A_PHOTO),
        (gif(), NOT_A_PHOTO),
        (jpeg_with_gps()[:400], NOT_A_PHOTO),  # a truncated JPEG
        (b"", "The photo is empty."),
        (b"\xff\xd8" + b"0" * MAX_UPLOAD_BYTES, "The photo is too large (at most 8 MB)."),
    ],
    ids=["pdf", "svg", "gif", "truncated", "empty", "too-large"],
)
def test_files_that_are_not_acceptable_photos_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(PhotoRejected) as refused:
        process_photo(data)

    assert str(refused.value) == message


def test_a_photo_with_too_many_pixels_is_refused_before_it_is_decoded() -> None:
    out = io.BytesIO()
    Image.new("1", (8000, 7000)).save(out, format="PNG")  # 56 MP, a few KB compressed

    with pytest.raises(PhotoRejected) as refused:
        process_photo(out.getvalue())

    assert str(refused.value) == "The photo has too many pixels. Please send a smaller one."


def test_a_photo_is_read_by_content_not_by_its_name() -> None:
    upload = io.BytesIO(png())
    upload.name = "holiday.pdf"

    assert opened(process_photo(upload).data).format == "JPEG"
