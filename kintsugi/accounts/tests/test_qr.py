"""The pure QR module: the images it makes are read back module by module and compared with segno's own matrix
for the URL at level Q, so a test fails if they encode anything else (the matrix includes the format bits that
carry the error correction level)."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
import segno

from kintsugi.accounts import qr

URL = "https://kintsugi.example/t/ABCD2345/"
# 36 bytes: version 4 (33 x 33 modules) at level Q, plus a quiet zone of 4 on each side: 41 modules across.
MODULES = 33
ACROSS = MODULES + 2 * 4


def expected_dark_modules(url: str) -> set[tuple[int, int]]:
    code = segno.make_qr(url, error="q")
    return {(r, c) for r, row in enumerate(code.matrix) for c, value in enumerate(row) if value}


def read_png(data: bytes) -> tuple[int, int, list[list[int]]]:
    """Width, height and the 0/1 pixels of a 1-bit greyscale PNG (what segno writes for black on white)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (depth, colour) == (1, 0)
    raw = zlib.decompress(idat)
    stride = (width + 7) // 8
    rows: list[list[int]] = []
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - 1] if i else 0
            up, up_left = previous[i], previous[i - 1] if i else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append([(line[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
        previous = line
    return width, height, rows


def png_dark_modules(data: bytes, scale: int) -> set[tuple[int, int]]:
    width, _height, pixels = read_png(data)
    modules = width // scale - 8
    # Sample the centre of each module; black is 0 in greyscale.
    return {
        (r, c)
        for r in range(modules)
        for c in range(modules)
        if pixels[(r + 4) * scale + scale // 2][(c + 4) * scale + scale // 2] == 0
    }


def svg_dark_modules(svg: str) -> set[tuple[int, int]]:
    """Replay segno's path ('M4 4.5h7m1 0h1...': a horizontal line per run of dark modules)."""
    (path,) = re.findall(r' d="([^"]+)"', svg)
    x = y = 0.0
    dark = set()
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            run = int(float(a))
            dark |= {(int(y - 0.5) - 4, int(x) - 4 + i) for i in range(run)}
            x += run
    return dark


@pytest.mark.parametrize("scale", [1, 3, 10, 40])
def test_png_is_a_png_of_the_expected_size(scale: int) -> None:
    width, height, _pixels = read_png(qr.make_qr_png(URL, scale))

    assert (width, height) == (ACROSS * scale, ACROSS * scale)
    assert qr.size_px(URL, scale) == ACROSS * scale


@pytest.mark.parametrize("scale", [1, 4])
def test_png_encodes_the_url(scale: int) -> None:
    assert png_dark_modules(qr.make_qr_png(URL, scale), scale) == expected_dark_modules(URL)


def test_png_of_another_url_differs() -> None:
    assert png_dark_modules(qr.make_qr_png(URL + "x", 2), 2) != expected_dark_modules(URL)


def test_png_has_a_white_quiet_zone_of_four_modules() -> None:
    _width, _height, pixels = read_png(qr.make_qr_png(URL, 2))

    assert all(pixel == 1 for row in pixels[:8] + pixels[-8:] for pixel in row)
    assert all(row[:8] == [1] * 8 and row[-8:] == [1] * 8 for row in pixels)


def test_svg_encodes_the_url_in_segnos_path() -> None:
    svg = qr.make_qr_svg(URL, 1)
    reference = segno.make_qr(URL, error="q").svg_inline(scale=1, border=4)

    assert svg_dark_modules(svg) == expected_dark_modules(URL)
    assert re.findall(r' d="([^"]+)"', svg) == re.findall(r' d="([^"]+)"', reference)


def test_svg_has_a_size_per_scale_and_a_viewbox() -> None:
    svg = qr.make_qr_svg(URL, 5)

    assert svg.startswith('<svg width="205" height="205" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 205 205" '
                          'class="qr"><path transform="scale(5)" stroke="#000" d="M4 4.5h7')
    assert svg.endswith("</svg>\n")
    assert "<?xml" not in svg


def test_svg_takes_a_css_class_for_inlining() -> None:
    assert 'class="sheet-qr"' in qr.make_qr_svg(URL, 1, css_class="sheet-qr")
