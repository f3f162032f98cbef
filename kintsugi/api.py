"""API v1: django-ninja under /api/v1/, token-authenticated, with one JSON error shape for every failure.

Order of checks for a request: route (404) and method (405); body size (413: Content-Length, then the bytes
read), content type (415) and JSON syntax (400); token (401) and rate limit (429); then the endpoint's own
validation (422 with per-field details) and the services' refusals (400/403/409). No input gets a 500.

The rate limit (settings.API_RATE_LIMIT_PER_MINUTE per token) is counted per process: with N web workers a
client may get up to N x the limit. Token lookups are cached per process for 30 s (see accounts/apiauth.py).
The API is token-authenticated only, so it needs no CSRF token (ninja marks its views csrf_exempt).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from kintsugi.accounts.api import router as accounts_router
from kintsugi.accounts.apiauth import ApiKeyAuth, BearerAuth
from kintsugi.cases.api import router as cases_router
from kintsugi.cases.services import ServiceError
from kintsugi.lib.apiresponse import ApiError, error_response, field_error
from kintsugi.lib.unavailable import api_unavailable, unavailable_database
from kintsugi.recovery.api import router as recovery_router
from kintsugi.remedies.api import router as remedies_router

logger = logging.getLogger("kintsugi.api")

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_PARSED = "_kintsugi_json"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class PreparsedJSON(Parser):
    """The body was decoded and checked by `guard_body`; hand ninja that value instead of parsing it twice."""

    def parse_body(self, request: HttpRequest) -> Any:
        return getattr(request, _PARSED)


def guard_body(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Size, content type and JSON syntax of a request body, checked before authentication and parsing."""

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method in BODY_METHODS:
            try:
                _check_body(request)
            except ApiError as exc:
                return _error_from(exc)
        return run(request, *args, **kwargs)

    return guarded


def _too_large(limit: int) -> ApiError:
    return ApiError(413, _("The request body is too large (at most %(max)d bytes).") % {"max": limit})


def _check_body(request: HttpRequest) -> None:
    limit: int = settings.API_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared:
        if not (declared.isascii() and declared.isdigit()):
            raise ApiError(400, _("The Content-Length header is not a number."))
        if len(declared) > 18 or int(declared) > limit:
            raise _too_large(limit)
    try:
        body = request.body
    except RequestDataTooBig:
        raise _too_large(limit) from None
    if len(body) > limit:
        raise _too_large(limit)
    if not body:
        setattr(request, _PARSED, None)
        return
    content_type = (request.content_type or "").lower()
    charset = (request.content_params or {}).get("charset", "utf-8").lower()
    if not (content_type == "application/json" or content_type.endswith("+json")) or charset not in {
        "utf-8", "utf8"
    }:
        raise ApiError(415, _("Send the body as JSON, with Content-Type: application/json."))
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, _("The request body is not valid JSON."), code="malformed_json") from None
    setattr(request, _PARSED, value)


class KintsugiAPI(NinjaAPI):
    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        """Ninja's URL patterns, made to answer in the error shape, plus a JSON 404 for every other path."""
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_errors(pattern.callback)
        patterns.append(re_path(r"^.*$", _json_errors(_unknown_route), name="not-found"))
        return patterns, app_name, namespace


def _unknown_route(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def _json_errors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Turn what ninja answers outside its operations (unknown path, wrong method) into the error shape."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, _("There is nothing at this address."))
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response.get("Allow", "")
            return error_response(
                405, _("This address does not accept %(method)s.") % {"method": request.method},
                headers={"Allow": allowed} if allowed else None,
            )
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


api = KintsugiAPI(
    title="Kintsugi API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Service recovery cases over HTTP. Authenticate with `Authorization: Bearer <token>` (or `X-API-Key`); "
        "create a token with `python manage.py create_api_key USERNAME`. Every error answers "
        '`{"error": {"code": ..., "message": ..., "details": [...]}}`.'
    ),
    auth=[BearerAuth(), ApiKeyAuth()],
    parser=PreparsedJSON(),
    # Served from ninja's bundled static files (ninja is in INSTALLED_APPS): nothing is fetched from a CDN.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
)
api.add_decorator(guard_body, mode="view")
api.add_router("", cases_router)
api.add_router("", accounts_router)
api.add_router("", recovery_router)
api.add_router("", remedies_router)


# --------------------------------------------------------------------------------------------- errors


def _error_from(exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.message, code=exc.code, details=exc.details, headers=exc.headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    # ("body", "payload", "customer", "email") -> "customer.email"; ("query", "limit") -> "limit".
    parts = [str(part) for part in loc[1:]]
    if loc and loc[0] == "body" and parts:
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error_from(exc)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    steps = getattr(exc, "steps", None)  # recovery.StepsOpen: the open playbook steps that stop a resolve
    if steps is not None:
        body = {"error": {"code": exc.code, "message": exc.message, "steps": steps}}
        return HttpResponse(json.dumps(body, ensure_ascii=False), status=exc.status, content_type="application/json")
    return error_response(exc.status, exc.message, code=exc.code)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = []
    for error in exc.errors[:50]:
        loc = tuple(error.get("loc", ()))
        code = str(error.get("type", "invalid"))
        message = str(error.get("msg", "Invalid value."))
        if code == "missing" and loc[:1] == ("body",) and len(loc) <= 2:
            message = str(_("A JSON object body is required."))
        details.append(field_error(_field_name(loc), message, code))
    return error_response(422, _("Some fields are missing or not valid."), details=details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        401, _("Authenticate with an API token: Authorization: Bearer <token>, or X-API-Key: <token>."),
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's own "Cannot parse request body"
        return error_response(400, _("The request body is not valid JSON."), code="malformed_json")
    return error_response(exc.status_code, exc.message)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, _("Not found."))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, _("You are not allowed to do this."))


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, _("The request is too large."))
    return error_response(400, _("The request was refused."))


@api.exception_handler(IntegrityError)
def _race(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Two requests creating the same customer identity at once (possible on PostgreSQL): the loser may retry.
    logger.warning("API integrity race on %s %s: %s", request.method, request.path, exc)
    return error_response(409, _("Someone changed the same data at the same moment; please try again."))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if unavailable_database(exc):  # read-only, full, unreachable: a 503 to retry, not a bug's 500
        return api_unavailable(exc)
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, _("Something went wrong on our side; it has been logged."))
