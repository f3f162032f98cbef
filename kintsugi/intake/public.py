"""What every public page (the complaint form, the status page) shares: the visitor's language, and rendering
in it, including the friendly pages for “not found”, “too many requests” and a failed CSRF check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.csrf import csrf_failure as django_csrf_failure

from kintsugi.cases.triage import LANGUAGES
from kintsugi.lib.dates import buddhist_year
from kintsugi.lib.i18n import LANGUAGE_NAMES, normalise_language


def browser_language(request: HttpRequest, fallbacks: Iterable[str] = ()) -> str:
    """The first of our languages the browser asks for (Accept-Language), else the first of `fallbacks` we
    speak (the location's languages), else English. No cookie: public pages choose by URL or browser."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        short = code.split("-")[0].lower()
        if short in LANGUAGES:
            return short
    for code in fallbacks:
        if normalise_language(code, "") in LANGUAGES:
            return normalise_language(code)
    return "en"


def language_links(url_for: Any, current: str) -> list[dict[str, Any]]:
    """The switcher: one plain link per language, `url_for(code)` giving its URL."""
    return [
        {"code": code, "name": LANGUAGE_NAMES[code], "url": url_for(code), "current": code == current}
        for code in LANGUAGES
    ]


def render_public(
    request: HttpRequest, template: str, context: dict[str, Any], *, language: str, status: int = 200
) -> HttpResponse:
    """Render a public page in `language` (whatever the staff interface's language middleware chose)."""
    case = context.get("case")
    buddhist = bool(case is not None and case.organisation.thai_buddhist_year)  # the organisation's choice
    with translation.override(language), buddhist_year(buddhist):
        response = render(request, template, {**context, "language": language}, status=status)
    response.headers["Content-Language"] = language
    patch_vary_headers(response, ("Accept-Language",))
    # What a customer typed and their case's story are nobody else's: no shared cache keeps these pages.
    response.headers["Cache-Control"] = "private, no-store"
    # The status link's token must not leak to another site; same-origin (not no-referrer, under which browsers
    # send "Origin: null" and the form's own CSRF check fails).
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def not_found(request: HttpRequest, language: str) -> HttpResponse:
    """The friendly 404 of public pages: an unknown form, an unknown or revoked status link."""
    return render_public(request, "intake/not_found.html", {}, language=language, status=404)


def too_many(request: HttpRequest, language: str, retry_after: int, back_url: str = "") -> HttpResponse:
    """The friendly 429: the customer sent too much too fast; Retry-After says when to try again."""
    minutes = max(1, (retry_after + 59) // 60)
    response = render_public(
        request, "intake/too_many.html", {"minutes": minutes, "back_url": back_url}, language=language, status=429
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


PUBLIC_PREFIXES = ("/t/", "/s/")


def _language_in_path(path: str) -> str | None:
    parts = [part for part in path.split("/") if part]
    return next((part for part in reversed(parts) if part in LANGUAGES), None)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: on public pages a friendly page in the customer's language (their form was kept by
    the browser: going back and sending again works); elsewhere Django's own page."""
    if not request.path.startswith(PUBLIC_PREFIXES):
        return django_csrf_failure(request, reason)
    language = _language_in_path(request.path) or browser_language(request)
    return render_public(request, "intake/csrf_failed.html", {"back_url": request.path}, language=language,
                         status=403)
