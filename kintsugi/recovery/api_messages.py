"""The apology lint over HTTP: `POST /api/v1/apology/lint` answers the warnings, with their spans, for a text in
one of our languages, using the built-in phrases and the token's organisation's own."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from kintsugi.lib.apiauth import ApiPrincipal
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import json_response
from kintsugi.recovery import apology
from kintsugi.recovery.services_messages import lint_phrases

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
