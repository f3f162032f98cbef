"""The client's address behind a reverse proxy.

Behind Caddy or nginx every request reaches granian from the proxy's own address, so the sign-in lockout and the
public form's limits, which count per client address (REMOTE_ADDR), would count every customer together.
`ClientAddressMiddleware` (first after the read gate) puts the address the proxy names in `X-Real-IP` into
REMOTE_ADDR, but only for a request that came from one of TRUSTED_PROXIES (settings: KINTSUGI_TRUSTED_PROXIES;
127.0.0.1 and ::1 in production, none otherwise): from anywhere else the header is the client's own word and is
ignored. deploy/Caddyfile and deploy/nginx.conf set the header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["ClientAddressMiddleware", "client_address"]


def client_address(remote_addr: str, real_ip: str | None, trusted: frozenset[str]) -> str:
    """The client's address: the proxy's `real_ip` when the request came from a trusted proxy and it is an IP."""
    if not real_ip or remote_addr not in trusted:
        return remote_addr
    try:
        return str(ipaddress.ip_address(real_ip.strip()))
    except ValueError:
        return remote_addr


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = frozenset(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted:
            meta = request.META
            meta["REMOTE_ADDR"] = client_address(str(meta.get("REMOTE_ADDR", "")), meta.get("HTTP_X_REAL_IP"),
                                                 self.trusted)
        return self.get_response(request)
