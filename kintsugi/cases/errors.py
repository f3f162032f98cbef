"""The refusals of every service (re-exported by kintsugi.cases.services): `code` maps to the API's error code
and `status` to its HTTP status; the message is shown to the user as it is, in their language."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """A request the service refuses."""

    code = "invalid"
    status = 400

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


class InvalidInput(ServiceError):
    code = "invalid"
    status = 400


class NotAllowed(ServiceError):
    code = "forbidden"
    status = 403


class InvalidTransition(ServiceError):
    code = "conflict"
    status = 409
