"""A database that cannot take the request now (read-only, full, locked too long, unreachable): how to tell it from
a bug, the API's answer to it, and its log line once a minute rather than once a request. The pages' answers are
in kintsugi/ops/unavailable.py (Django's handler500)."""

from __future__ import annotations

import logging
import threading
import time

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kintsugi.lib.apiresponse import error_response

__all__ = ["RETRY_AFTER_S", "api_unavailable", "log_once_a_minute", "unavailable_database"]

log = logging.getLogger("kintsugi.unavailable")
RETRY_AFTER_S = 60
LOG_EVERY_S = 60.0
_logged_at = float("-inf")
_lock = threading.Lock()


def unavailable_database(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot serve the request now (rather than a bug in the request)."""
    return isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "read-only" in str(exc).lower()
    )


def log_once_a_minute(exc: BaseException) -> None:
    global _logged_at  # the process's last report
    with _lock:
        now = time.monotonic()
        if now - _logged_at < LOG_EVERY_S:
            return
        _logged_at = now
    log.error("the database cannot serve requests (reported once a minute): %s: %s", type(exc).__name__, exc)


def api_unavailable(exc: BaseException) -> HttpResponse:
    """The API's 503 for it: `{"error": {"code": "unavailable", ...}}` with Retry-After."""
    log_once_a_minute(exc)
    response = error_response(503, _("Kintsugi cannot save anything at the moment. Please try again in a minute."),
                              code="unavailable")
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response
