"""The public QR code images at /t/<public_code>/qr.png and qr.svg: no sign-in, bounded scale, cacheable."""

from __future__ import annotations

import struct

import pytest
from django.test import Client, override_settings
from pytest_django import Settings

from kintsugi.accounts import qr
from kintsugi.accounts.models import Touchpoint

SITE = "https://care.lotus.example"


@pytest.fixture(autouse=True)
def _site(settings: Settings) -> None:
    settings.SITE_URL = SITE


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    return width, height


def test_png_needs_no_sign_in_and_encodes_the_public_url(client: Client, front_desk: Touchpoint) -> None:
    response = client.get(f"/t/{front_desk.public_code}/qr.png?scale=3")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == qr.make_qr_png(f"{SITE}/t/{front_desk.public_code}/", 3)
    assert png_size(response.content) == (41 * 3, 41 * 3)


def test_svg_needs_no_sign_in_and_encodes_the_public_url(client: Client, front_desk: Touchpoint) -> None:
    response = client.get(f"/t/{front_desk.public_code}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == qr.make_qr_svg(f"{SITE}/t/{front_desk.public_code}/", qr.DEFAULT_SCALE)
    assert response.content.startswith(b'<svg width="328" height="328" ')


def test_the_default_scale_is_eight_pixels_per_module(client: Client, front_desk: Touchpoint) -> None:
    response = client.get(f"/t/{front_desk.public_code}/qr.png")
    assert png_size(response.content) == (41 * 8, 41 * 8)


@pytest.mark.parametrize("scale", ["1", "40"])
def test_scale_bounds_are_accepted(client: Client, front_desk: Touchpoint, scale: str) -> None:
    response = client.get(f"/t/{front_desk.public_code}/qr.png?scale={scale}")
    assert response.status_code == 200
    assert png_size(response.content) == (41 * int(scale), 41 * int(scale))


@pytest.mark.parametrize("scale", ["0", "41", "-1", "2.5", "abc", "", " 3", "٣", "99999999999999999999", "1e1"])
@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_bad_scale_is_400(client: Client, front_desk: Touchpoint, scale: str, kind: str) -> None:
    response = client.get(f"/t/{front_desk.public_code}/qr.{kind}", {"scale": scale})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "The scale must be a whole number from 1 to 40."


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_an_unknown_code_is_404(client: Client, front_desk: Touchpoint, kind: str) -> None:
    assert client.get(f"/t/ZZZZZZZZ/qr.{kind}").status_code == 404
    assert client.get(f"/t/{front_desk.code}/qr.{kind}").status_code == 404


def test_an_inactive_touchpoint_has_no_qr_image(client: Client, front_desk: Touchpoint) -> None:
    Touchpoint.objects.filter(pk=front_desk.pk).update(is_active=False)
    assert client.get(f"/t/{front_desk.public_code}/qr.png").status_code == 404


def test_a_lower_case_code_works(client: Client, front_desk: Touchpoint) -> None:
    response = client.get(f"/t/{front_desk.public_code.lower()}/qr.png?scale=1")
    assert response.content == qr.make_qr_png(front_desk.public_url, 1)


def test_images_are_cached_for_a_day_with_an_etag(client: Client, front_desk: Touchpoint) -> None:
    url = f"/t/{front_desk.public_code}/qr.png"
    response = client.get(url)

    assert response["Cache-Control"] == "public, max-age=86400"
    etag = response["ETag"]
    assert etag.startswith('"')
    assert len(etag) == 34

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=86400"


def test_the_etag_changes_with_scale_format_and_address(client: Client, front_desk: Touchpoint) -> None:
    base = f"/t/{front_desk.public_code}/qr"
    etags = {
        client.get(f"{base}.png")["ETag"], client.get(f"{base}.png?scale=9")["ETag"], client.get(f"{base}.svg")["ETag"],
    }
    with override_settings(SITE_URL="https://elsewhere.example"):
        etags.add(client.get(f"{base}.png")["ETag"])

    assert len(etags) == 4
    assert client.get(f"{base}.png", headers={"If-None-Match": client.get(f"{base}.svg")["ETag"]}).status_code == 200


def test_head_works_and_post_does_not(client: Client, front_desk: Touchpoint) -> None:
    url = f"/t/{front_desk.public_code}/qr.svg"
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
