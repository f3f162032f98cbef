"""The public QR code images of touchpoints: no sign-in, since a code only encodes the touchpoint's public URL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from kintsugi.accounts import qr, selectors

CACHE_SECONDS = 24 * 3600


def parse_scale(raw: str | None) -> int | None:
    """`?scale=` as an int within bounds; the default when absent; None when it is not acceptable."""
    if raw is None:
        return qr.DEFAULT_SCALE
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 2:
        return None
    scale = int(raw)
    return scale if qr.MIN_SCALE <= scale <= qr.MAX_SCALE else None


def _qr_image(
    request: HttpRequest, public_code: str, content_type: str, render: Callable[[str, int], bytes | str]
) -> HttpResponse:
    touchpoint = selectors.touchpoint_by_public_code(public_code)
    if touchpoint is None:
        raise Http404("No such touchpoint")
    scale = parse_scale(request.GET.get("scale"))
    if scale is None:
        message = _("The scale must be a whole number from %(min)d to %(max)d.") % {
            "min": qr.MIN_SCALE, "max": qr.MAX_SCALE,
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    url = touchpoint.public_url
    # The image is a pure function of these, so the ETag is known before rendering and a 304 renders nothing.
    etag = quote_etag(hashlib.sha256(f"{qr.STYLE}|{content_type}|{scale}|{url}".encode()).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(render(url, scale), content_type=content_type)
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def touchpoint_qr_png(request: HttpRequest, public_code: str) -> HttpResponse:
    return _qr_image(request, public_code, "image/png", qr.make_qr_png)


@require_safe
def touchpoint_qr_svg(request: HttpRequest, public_code: str) -> HttpResponse:
    return _qr_image(request, public_code, "image/svg+xml", qr.make_qr_svg)
