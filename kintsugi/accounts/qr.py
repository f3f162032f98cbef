"""QR codes for touchpoints, made with segno: pure functions from a URL to PNG bytes or SVG text.

Error correction Q (a quarter of the code may be smudged or covered on a table card and it still scans;
segno raises it further when that costs no extra size) and the standard quiet zone of four modules.
"""

from __future__ import annotations

import io

import segno

ERROR_CORRECTION = "q"
QUIET_ZONE = 4  # modules of white around the code, as the QR standard requires
MIN_SCALE, MAX_SCALE = 1, 40
DEFAULT_SCALE = 8
# Part of every ETag: change it when the output for the same URL and scale changes.
STYLE = f"segno-{segno.__version__}-{ERROR_CORRECTION}-{QUIET_ZONE}"


def _qr(url: str) -> segno.QRCode:
    return segno.make_qr(url, error=ERROR_CORRECTION)


def size_px(url: str, scale: int) -> int:
    """The width (and height) of the image for `url` at `scale` pixels per module, quiet zone included."""
    width, _height = _qr(url).symbol_size(scale=scale, border=QUIET_ZONE)
    return int(width)


def make_qr_png(url: str, scale: int = DEFAULT_SCALE) -> bytes:
    """A black-on-white PNG of the QR code for `url`, `scale` pixels per module."""
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale, border=QUIET_ZONE)
    return out.getvalue()


def make_qr_svg(url: str, scale: int = DEFAULT_SCALE, *, css_class: str = "qr") -> str:
    """An SVG of the QR code for `url`: `scale` user units per module, with a viewBox so it scales cleanly.

    No XML declaration, so the same text is a valid .svg file and can be inlined in HTML.
    """
    qr = _qr(url)
    out = io.BytesIO()
    qr.save(
        out, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False, omitsize=True, svgclass=css_class,
        lineclass=None,
    )
    svg = out.getvalue().decode("utf-8")
    # segno writes either a size or a viewBox; with both, an <img> or a CSS box can resize it without clipping.
    width, height = qr.symbol_size(scale=scale, border=QUIET_ZONE)
    return svg.replace("<svg ", f'<svg width="{int(width)}" height="{int(height)}" ', 1)
