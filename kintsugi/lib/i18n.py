"""Language selection: the staff member's preference, else the language cookie, else the browser's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kintsugi.lib.dates import buddhist_year

SUPPORTED = tuple(code for code, _name in settings.LANGUAGES)
LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt", "th": "ภาษาไทย"}


def normalise_language(code: str | None, default: str = "en") -> str:
    """Map 'vi-VN', 'TH' or None to one of the supported codes."""
    if not code:
        return default
    short = code.strip().lower().replace("_", "-").split("-")[0]
    return short if short in SUPPORTED else default


class UserLanguageMiddleware:
    """The signed-in staff member's language, else the cookie's or the browser's. A request without a session
    cookie has nobody signed in: its user is not looked up (the lazy user and its session cost about 20 us,
    on every QR scan and form submission)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = (
            user is not None and settings.SESSION_COOKIE_NAME in request.COOKIES and user.is_authenticated
        )
        preferred = getattr(user, "language", "") if signed_in else ""
        language = preferred or translation.get_language_from_request(request)
        translation.activate(normalise_language(language))
        request.LANGUAGE_CODE = translation.get_language()
        # The Thai Buddhist year is the organisation's choice; looked up only for a Thai reader (kintsugi.lib.dates).
        organisation = getattr(user, "organisation", None) if signed_in and request.LANGUAGE_CODE == "th" else None
        with buddhist_year(bool(getattr(organisation, "thai_buddhist_year", False))):
            response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def languages(request: HttpRequest) -> dict[str, Any]:
    """Template context: the languages a user can switch to."""
    return {"language_choices": [(code, LANGUAGE_NAMES[code]) for code in SUPPORTED]}
