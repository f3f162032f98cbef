"""A refused panel form, kept in the staff member's session until the case page shows it again: what they typed
and the refusal, so its errors sit at their fields after the redirect (post/redirect/get) without the form ever
riding on the URL. One draft per case and form; showing it takes it away."""

from __future__ import annotations

from typing import Any, TypedDict

from django.http import HttpRequest, QueryDict

from kintsugi.cases.models import Case

REMEDY = "remedy"
COST = "cost"
MAX_VALUE = 2000  # characters kept per field: the longest field (a description) is this long


class Draft(TypedDict):
    data: dict[str, str]
    error: str  # the service's refusal, "" when the form itself refused


def _key(case: Case, form: str) -> str:
    return f"remedies.draft.{case.pk}.{form}"


def keep(request: HttpRequest, case: Case, form: str, data: QueryDict, error: str = "") -> None:
    """Keep what was posted (the CSRF token aside) for the next rendering of the case's panel."""
    kept = {name: str(data.get(name, ""))[:MAX_VALUE] for name in data if name != "csrfmiddlewaretoken"}
    request.session[_key(case, form)] = Draft(data=kept, error=error)


def take(request: Any, case: Case, form: str) -> Draft | None:
    """The draft kept for this case and form, removed from the session; None when there is none."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    found = session.pop(_key(case, form), None)
    if not isinstance(found, dict) or not isinstance(found.get("data"), dict):
        return None
    return Draft(data={str(k): str(v) for k, v in found["data"].items()}, error=str(found.get("error") or ""))
