"""When the database takes no writes (read-only, full, locked too long, unreachable): a clear 503 instead of a
500 and a stack trace. Django's handler500 (kintsugi/urls.py) calls `server_error` for every uncaught
exception, from views and middleware alike; a database that cannot take the request answers:

- the API: `503 {"error": {"code": "unavailable", ...}}` with Retry-After;
- the public pages: a page in the customer's language saying nothing was saved and to try again, with the
  location's phone when it has one (from the touchpoint this process keeps, so without the database);
- staff pages: a plain 503 page in the staff member's language.

Anything else is the ordinary 500 page. The database's trouble is logged once a minute, not once a request.
"""

from __future__ import annotations

import re
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.defaults import server_error as django_server_error

from kintsugi.accounts.models import Touchpoint
from kintsugi.accounts.selectors import touchpoint_by_public_code
from kintsugi.intake.public import PUBLIC_PREFIXES, browser_language, render_public
from kintsugi.lib.unavailable import RETRY_AFTER_S, api_unavailable, log_once_a_minute, unavailable_database

_PUBLIC_FORM = re.compile(r"^/t/(?P<code>[^/]+)/(?:(?P<lang>en|vi|th)/)?")


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if not unavailable_database(exc):
        return django_server_error(request)
    assert exc is not None
    path = request.path_info
    if path.startswith("/api/"):
        return api_unavailable(exc)
    log_once_a_minute(exc)
    if path.startswith(PUBLIC_PREFIXES):
        form = _PUBLIC_FORM.match(path)
        touchpoint: Touchpoint | None = None
        if form:
            try:
                touchpoint = touchpoint_by_public_code(form["code"])  # kept by this process: no database needed
            except DatabaseError:
                touchpoint = None
        languages = touchpoint.location.languages if touchpoint else ()
        language = (form["lang"] if form and form["lang"] else None) or browser_language(request, languages)
        response = render_public(request, "intake/unavailable.html", {
            "phone": touchpoint.location.phone if touchpoint else "",
            "back_url": path if request.method == "POST" else "",
        }, language=language, status=503)
    else:
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response
