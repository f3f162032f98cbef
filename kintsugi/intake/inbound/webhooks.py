"""The chat channels' webhooks (LINE, Messenger, Zalo): what each provider plugs in, and the one view they share.

A provider registers a Webhook for its channel (intake/registrations.py). The view finds the connection by the
key in its URL (/hooks/<channel>/<key>/), checks the provider's signature on the raw body before anything else
(a bad or missing one answers 401 and stores nothing), splits the delivery into its events (LINE sends several
in one), stores each raw with the provider's id of it (a redelivery is a no-op) and answers 200 at once: the
worker reads them later (kintsugi.intake.inbound.pipeline). A delivery that is signed but cannot be split is
stored whole, under the digest of its bytes, and shows in the inbound problems: nothing signed is ever lost.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Protocol

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from kintsugi.comms.models import ChannelConnection
from kintsugi.db.grouped import grouped
from kintsugi.intake.inbound.store import Arrival, store_deliveries
from kintsugi.lib.registry import Registry

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # bytes: providers send events of a few kilobytes (media are fetched separately)


class Webhook(Protocol):
    """A provider's side of the webhook view."""

    def verify(self, connection: ChannelConnection, raw: bytes, headers: Mapping[str, str]) -> bool:
        """Whether the delivery carries the provider's valid signature for this connection."""

    def arrivals(self, connection: ChannelConnection, raw: bytes, headers: Mapping[str, str]) -> list[Arrival]:
        """The delivery's events, each with the provider's id of it (raise ValueError when it cannot be read)."""

    def handshake(self, connection: ChannelConnection, query: Mapping[str, str]) -> str | None:
        """The answer to the provider's GET verification (Messenger's hub.challenge), None to refuse it."""


WEBHOOKS: Registry[str, Webhook] = Registry("webhooks")

# Concurrent deliveries in one web worker share a transaction (one commit for the burst): the seam's group commit.
_store_grouped = grouped(store_deliveries)


def _headers(request: HttpRequest) -> dict[str, str]:
    """The delivery's headers, names in lower case (what the signatures and the original page read)."""
    return {name.lower(): value for name, value in request.headers.items()
            if name.lower() not in {"cookie", "authorization"}}


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
def webhook(request: HttpRequest, channel: str, key: str) -> HttpResponse:
    provider = WEBHOOKS.get(channel)
    connection = (ChannelConnection.objects.select_related("organisation")
                  .filter(channel=channel, webhook_key=key, is_active=True).first()) if provider else None
    if provider is None or connection is None:
        return _plain(404, "unknown webhook")
    if request.method == "GET":
        answer = provider.handshake(connection, request.GET.dict())
        return _plain(200, answer) if answer is not None else _plain(403, "verification refused")
    if request.method != "POST":
        return _plain(405, "POST only")
    raw = request.body  # Django refuses one over DATA_UPLOAD_MAX_MEMORY_SIZE (400) before reading it
    if len(raw) > MAX_BODY:  # the length read, not the header's claim (which may be missing or not a number)
        return _plain(413, "delivery too large")
    headers = _headers(request)
    if not provider.verify(connection, raw, headers):
        return _plain(401, "bad signature")
    try:
        arrivals = provider.arrivals(connection, raw, headers)
    except Exception as exc:  # signed but unreadable: kept whole, listed as a problem
        log.warning("%s webhook delivery for connection %s could not be split: %s", channel, connection.pk, exc)
        arrivals = [Arrival(f"sha256:{hashlib.sha256(raw).hexdigest()}", raw, headers)]
    if arrivals:
        _store_grouped((connection, arrivals))
    return _plain(200, "ok")


def webhook_url(connection: ChannelConnection) -> str:
    """The address to paste into the provider's console (SITE_URL, the site's public https address)."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('webhook', args=[connection.channel, connection.webhook_key])}"
