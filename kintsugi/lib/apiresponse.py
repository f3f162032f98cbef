"""The API's responses: JSON bodies, the one error shape `{"error": {"code", "message", "details"?}}`, and the
exception that carries an error out of any endpoint, auth check or guard."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from pydantic import BaseModel
from pydantic_core import to_json

__all__ = [
    "ERROR_RESPONSES", "STATUS_CODES", "ApiError", "ErrorOut", "error_response", "field_error", "json_response",
]

# The code for an HTTP status when nothing more specific applies.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "server_error",
}


class ApiError(Exception):
    """Answer the request with `status` and the error shape; `headers` are added to the response."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        details: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or STATUS_CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers or {}


def field_error(field: str, message: str, code: str = "invalid") -> dict[str, str]:
    return {"field": field, "code": code, "message": str(message)}


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {"code": code or STATUS_CODES.get(status, "error"), "message": str(message)}
    if details:
        body["details"] = details
    response = HttpResponse(
        json.dumps({"error": body}, ensure_ascii=False), status=status, content_type="application/json"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """`data` (dicts, lists, datetimes) as JSON. Endpoints build their dicts to match their response schemas (a
    test holds them to it) and skip ninja's validate-and-dump round trip, which would double a list page's cost."""
    return HttpResponse(to_json(data), status=status, content_type="application/json")


class FieldErrorOut(BaseModel):
    field: str
    code: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[FieldErrorOut] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


# For the OpenAPI document: the statuses any endpoint may answer with the error shape.
ERROR_RESPONSES: dict[int, Any] = dict.fromkeys((400, 401, 403, 404, 409, 413, 415, 422, 429), ErrorOut)
