"""The Message-IDs of the mails Kintsugi sends: one per outbound message, the same on every attempt (a mail sent
twice because the worker died before recording it is one mail to the receiving server and the customer's
client), and recognisable when a customer's reply names it in In-Reply-To or References even if its sending
was never recorded: `kintsugi.<message pk>.<signature>@<domain>`, the signature an HMAC of the pk under
SECRET_KEY so a made-up id cannot pick someone else's case."""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import urlsplit

from django.conf import settings

_OURS = re.compile(r"^kintsugi\.(\d{1,18})\.([0-9a-f]{16})@")


def _signature(pk: int) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"message-id {pk}".encode(), hashlib.sha256).hexdigest()[:16]


def mail_domain() -> str:
    """The domain our Message-IDs carry: the site's host name (SITE_URL), else the sender address's domain."""
    host = urlsplit(str(getattr(settings, "SITE_URL", ""))).hostname
    if host and host not in {"localhost", "127.0.0.1"}:
        return host
    return str(settings.DEFAULT_FROM_EMAIL).rpartition("@")[2] or "kintsugi.local"


def message_id_for(pk: int) -> str:
    """The Message-ID (without angle brackets) of outbound message `pk`."""
    return f"kintsugi.{pk}.{_signature(pk)}@{mail_domain()}"


def message_pk_from_id(message_id: str) -> int | None:
    """The pk of our outbound message this Message-ID names, or None (not ours, or its signature is wrong)."""
    match = _OURS.match(message_id.strip().strip("<>"))
    if match is None:
        return None
    pk = int(match.group(1))
    return pk if hmac.compare_digest(match.group(2), _signature(pk)) else None
