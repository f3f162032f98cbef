"""The apology over HTTP: `POST /api/v1/apology/lint` answers the warnings, with their spans, for a text in one
of our languages (the built-in phrases and the token's organisation's own); `POST /api/v1/cases/{reference}/apology`
sends a five-part apology through the same service as the page."""

from __future__ import annotations

from typing import Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from kintsugi.cases.api import serialise_event, visible_case
from kintsugi.cases.models import EventKind
from kintsugi.cases.schemas import EventOut
from kintsugi.lib.apiauth import ApiPrincipal
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import json_response
from kintsugi.recovery import apology
from kintsugi.recovery.services_messages import lint_phrases, send_apology

router = Router(tags=["recovery"])

MAX_LINT_TEXT = 20_000


class LintIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["vi", "th", "en"]
    text: str = Field(max_length=MAX_LINT_TEXT)


class LintWarningOut(BaseModel):
    start: int = Field(description="Offset of the first character (Unicode code points), inclusive.")
    end: int = Field(description="Offset after the last character, exclusive.")
    phrase: str = Field(description="The text matched, as written.")
    kind: Literal["excuse", "blame", "conditional", "minimising"]
    suggestion: str = Field(description="One line of advice in the token user's language.")


class LintOut(BaseModel):
    warnings: list[LintWarningOut]


@router.post("/apology/lint", response={200: LintOut, **ERRORS}, summary="Lint an apology")
def lint_apology(request: HttpRequest, payload: LintIn) -> HttpResponse:
    """Excuses, blame, conditional and minimising phrases in `text`, in order of position. Advice only: it never
    stops an apology from being sent."""
    principal: ApiPrincipal = request.auth  # type: ignore[attr-defined]
    extra = lint_phrases(principal.organisation.pk, payload.language)
    with translation.override(principal.user.language or translation.get_language() or "en"):
        warnings = apology.lint(payload.text, payload.language, extra)
    return json_response({"warnings": [w.as_dict() for w in warnings]})


class ApologyPartsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    restore: str = Field("", max_length=apology.MAX_PART, description="(1) The offer to put it right.")
    responsibility: str = Field("", max_length=apology.MAX_PART, description="(2) Taking responsibility.")
    explanation: str = Field("", max_length=apology.MAX_PART, description="(3) What went wrong, its root cause.")
    prevention: str = Field("", max_length=apology.MAX_PART, description="(4) The fix; how it will not recur.")
    regret: str = Field("", max_length=apology.MAX_PART, description="(5) Regret for the impact on the customer.")
    forgiveness: str = Field("", max_length=apology.MAX_PART, description="Optional: a request for forgiveness.")


class ApologyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parts: ApologyPartsIn
    include_forgiveness: bool = False


@router.post("/cases/{reference}/apology", response={201: EventOut, **ERRORS}, summary="Send the apology")
def create_apology(request: HttpRequest, reference: str, payload: ApologyIn) -> HttpResponse:
    """Compose the five parts (in the case's language, as written) and send them on the case's channel. Every
    required part must be written (else 400, nothing sent); lint warnings are counted in the event, never refused.
    The event's `data` holds `parts`, `seconds_since_complaint` and `warnings`."""
    case = visible_case(request, reference)
    user = request.auth.user  # type: ignore[attr-defined]
    with transaction.atomic():
        message = send_apology(case, payload.parts.model_dump(), by=user,
                               include_forgiveness=payload.include_forgiveness)
        event = case.events.get(kind=EventKind.APOLOGY_SENT, data__message_id=message.pk)
    event.actor = user
    return json_response(serialise_event(event), status=201)
