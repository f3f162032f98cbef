"""The recovery API: the organisation's playbooks with their steps, and resolving a case under the playbook rule
(409 `playbook_steps_open` with the open steps listed, unless a supervisor gives an override reason); the
apology: `POST /api/v1/apology/lint` answers the warnings, with their spans, for a text in one of our languages
(the built-in phrases and the token's organisation's own); `POST /api/v1/cases/{reference}/apology` sends a
five-part apology through the same service as the page."""

from __future__ import annotations

from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from kintsugi.accounts.apiauth import ApiPrincipal
from kintsugi.cases.api import request_principal, serialise_event, show_case, visible_case
from kintsugi.cases.models import EventKind
from kintsugi.cases.schemas import CaseOut, EventOut, InputModel, Message, Storable
from kintsugi.cases.services import resolve
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import json_response
from kintsugi.recovery import apology, selectors
from kintsugi.recovery.models import CategoryRecovery, Playbook, RecoverySettings
from kintsugi.recovery.services import ensure_builtins, lint_phrases, send_apology

router = Router(tags=["recovery"])


class StepOut(BaseModel):
    position: int
    code: str
    name: dict[str, str]
    guidance: dict[str, str]
    phrases: dict[str, list[str]]
    target_minutes: int
    is_required: bool
    completes_on: str


class PlaybookOut(BaseModel):
    code: str
    name: str
    description: str
    is_default: bool
    categories: list[str] = Field(description="Codes of the categories that follow this playbook.")
    steps: list[StepOut]


class PlaybookList(BaseModel):
    items: list[PlaybookOut]


def serialise_playbook(playbook: Playbook, *, is_default: bool, categories: list[str]) -> dict[str, object]:
    steps = []
    for step in playbook.steps.all():
        frozen = step.snapshot()
        steps.append({"position": step.position, **{k: frozen[k] for k in (
            "code", "name", "guidance", "phrases", "target_minutes", "is_required", "completes_on")}})
    return {"code": playbook.code, "name": playbook.name, "description": playbook.description,
            "is_default": is_default, "categories": categories, "steps": steps}


@router.get("/playbooks", response={200: PlaybookList, **ERRORS}, summary="The organisation's playbooks")
def list_playbooks(request: HttpRequest) -> HttpResponse:
    """Every playbook of the token's organisation with its steps (names, guidance and phrases in en, vi, th)."""
    organisation = request_principal(request).user.organisation
    assert organisation is not None
    settings: RecoverySettings = ensure_builtins(organisation)
    by_playbook: dict[int, list[str]] = {}
    for playbook_id, code in CategoryRecovery.objects.filter(
        category__organisation=organisation, playbook__isnull=False
    ).values_list("playbook_id", "category__code"):
        by_playbook.setdefault(playbook_id, []).append(code)
    items = [serialise_playbook(p, is_default=p.pk == settings.default_playbook_id,
                                categories=sorted(by_playbook.get(p.pk, [])))
             for p in selectors.playbooks_of(organisation.pk)]
    return json_response({"items": items})


Reason = Annotated[str, Field(max_length=2000), Storable]


class ResolveIn(InputModel):
    """`summary`: how it was put right (staff only). `override_reason`: supervisors and above only, to resolve
    while required playbook steps are open (recorded on the timeline with the skipped steps)."""

    summary: Message = ""
    override_reason: Reason = ""


@router.post("/cases/{reference}/resolve", response={200: CaseOut, **ERRORS}, summary="Resolve a case")
def resolve_case(request: HttpRequest, reference: str, payload: ResolveIn) -> HttpResponse:
    """Refused with 409 `playbook_steps_open` (the open steps in `steps`) while a required step is open (the
    API's ServiceError handler writes that body, here and for a status change to `resolved`)."""
    case = visible_case(request, reference)
    user = request_principal(request).user
    with transaction.atomic():
        resolve(case, by=user, summary=payload.summary, override_reason=payload.override_reason)
    case = visible_case(request, reference)
    return json_response(show_case(case))


# --------------------------------------------------------------------------------------------- the apology

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


# The operation ids are the ones these had in the OpenAPI document before api_messages.py was folded in here.
@router.post("/apology/lint", response={200: LintOut, **ERRORS}, summary="Lint an apology",
             operation_id="kintsugi_recovery_api_messages_lint_apology")
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


@router.post("/cases/{reference}/apology", response={201: EventOut, **ERRORS}, summary="Send the apology",
             operation_id="kintsugi_recovery_api_messages_create_apology")
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
