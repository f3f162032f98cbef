"""Images built with Pillow for the tests: a phone photo with GPS EXIF, a transparent PNG, and so on."""

from __future__ import annotations

import io

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg_with_gps(size: tuple[int, int] = (640, 480), orientation: int = 1, color: str = "#c0392b") -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera make, an orientation and a GPS position (Hà Nội)."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[MAKE] = "KintsugiPhone"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({
        1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 12.0),
    })
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90)
    return out.getvalue()


def png(size: tuple[int, int] = (300, 200), alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", size, (0, 128, 255, 0) if alpha else (0, 128, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def webp(size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#27955a").save(out, format="WEBP")
    return out.getvalue()


def gif(size: tuple[int, int] = (30, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("P", size).save(out, format="GIF")
    return out.getvalue()
