"""The WSGI handler: Django's own, keeping the URL match of each path it has resolved.

Django resolves every request's path against the URL patterns afresh. For `POST /api/v1/cases` that is about a
dozen regular expressions (the public pages' patterns come first, then the API's) and a new `ResolverMatch`:
38 us of a request's CPU here with nothing else running, 46-48 us under load, on every API call, form
submission and inbox page. The paths a web process sees repeat (the API's endpoints, the QR codes' forms, the
inbox), so the handler keeps each path's match, for the URLconf that gave it: a URLconf reloaded or swapped in a
test (Django then makes a new resolver) is never answered from an older one's matches. Nothing in the
project's URL patterns depends on anything but the path (no `i18n_patterns`, no translated routes), which a test
holds. A request with its own `request.urlconf`, and a path that matches nothing (404), are resolved as Django
does, every time. At `MAX_KEPT` paths the memo starts again, so paths seen once (each status page's token) cannot
grow it without bound.

A kept match is shared by the requests of its path: Django and this project only read it (the view is called
with a copy of its keyword arguments).
"""

from __future__ import annotations

from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest
from django.urls import ResolverMatch, URLResolver, get_resolver

__all__ = ["MAX_KEPT", "Handler", "clear"]

MAX_KEPT = 2048

_kept: dict[str, tuple[URLResolver, ResolverMatch]] = {}


def clear() -> None:
    _kept.clear()


class Handler(WSGIHandler):
    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        if hasattr(request, "urlconf"):
            return super().resolve_request(request)
        resolver = get_resolver()
        path = request.path_info
        kept = _kept.get(path)
        if kept is not None and kept[0] is resolver:
            match = kept[1]
        else:
            match = resolver.resolve(path)  # raises Resolver404 for a path that matches nothing: not kept
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[path] = (resolver, match)
        request.resolver_match = match
        return match
