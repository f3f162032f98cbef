"""The recovery API: the organisation's playbooks with their steps, and resolving a case under the playbook rule
(409 `playbook_steps_open` with the open steps listed, unless a supervisor gives an override reason)."""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Router
from pydantic import BaseModel, Field

from kintsugi.cases.api import request_principal, show_case, visible_case
from kintsugi.cases.schemas import CaseOut, InputModel, Message, Storable
from kintsugi.cases.services import resolve
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import json_response
from kintsugi.recovery import selectors
from kintsugi.recovery.models import Playbook, RecoverySettings
from kintsugi.recovery.services import ensure_builtins

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
    from kintsugi.recovery.models import CategoryRecovery

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


