"""The remedies API: give a remedy on a case (granted at once or sent for approval from the caller's limits),
list a case's remedies, approve, reject and fulfil. Amounts travel as decimal strings with their currency
("150000" VND, "12.50" THB), checked against the currency's minor units. Every write goes through
remedies.services; a case or remedy the token's user may not see is a 404."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import BaseModel, Field

from kintsugi.accounts.apiauth import ApiPrincipal
from kintsugi.accounts.models import User
from kintsugi.cases import access
from kintsugi.cases.api import visible_case
from kintsugi.cases.schemas import InputModel, Storable
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import ApiError, field_error, json_response
from kintsugi.remedies import policy, services
from kintsugi.remedies.models import Remedy, RemedyKind

router = Router(tags=["remedies"])
MAX_ID = 2**63 - 1

KindIn = Literal["refund", "partial_refund", "replacement", "reperform", "voucher", "upgrade", "gesture", "apology",
                 "other"]
assert set(KindIn.__args__) == set(RemedyKind.values)  # type: ignore[attr-defined]
Amount = Annotated[str, Field(max_length=30, examples=["150000", "12.50"])]
Text = Annotated[str, Field(max_length=services.MAX_TEXT), Storable]
Proof = Annotated[str, Field(max_length=200), Storable]


class RemedyIn(InputModel):
    kind: KindIn
    amount: Amount = Field(description="Decimal string in the currency's units: no decimals for VND, two for THB/USD.")
    currency: Literal["VND", "THB", "USD"]
    description: Text = ""
    transaction_value: Amount | None = Field(default=None, description="What the affected purchase cost.")
    is_goodwill: bool = False


class DecisionIn(InputModel):
    reason: Text = ""


class FulfilIn(InputModel):
    proof: Proof = ""


class RemedyOut(BaseModel):
    id: int
    case: str
    kind: str
    amount: str
    currency: str
    description: str
    transaction_value: str | None
    is_goodwill: bool
    is_above_150_percent: bool
    status: str
    exceeded: list[str]
    requested_by: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    proof: str
    created_at: datetime


class RemedyList(BaseModel):
    items: list[RemedyOut]


def _user(request: HttpRequest) -> User:
    principal: ApiPrincipal = request.auth  # type: ignore[attr-defined]
    return principal.user


def show_remedy(remedy: Remedy) -> dict[str, Any]:
    return {
        "id": remedy.pk, "case": remedy.case.reference, "kind": remedy.kind,
        "amount": policy.decimal_string(remedy.amount_minor, remedy.currency), "currency": remedy.currency,
        "description": remedy.description,
        "transaction_value": None if remedy.transaction_value_minor is None
        else policy.decimal_string(remedy.transaction_value_minor, remedy.currency),
        "is_goodwill": remedy.is_goodwill, "is_above_150_percent": remedy.is_above_useful_share,
        "status": remedy.status, "exceeded": list(remedy.exceeded),
        "requested_by": remedy.requested_by.username if remedy.requested_by else None,
        "decided_by": remedy.decided_by.username if remedy.decided_by else None,
        "decided_at": remedy.decided_at, "decision_reason": remedy.decision_reason, "proof": remedy.proof,
        "created_at": remedy.created_at,
    }


def _minor(value: str, currency: str, field: str) -> int:
    try:
        return policy.parse_decimal_string(value, currency)
    except policy.AmountError as exc:
        message = {
            "precision": _("Too many decimals for %(currency)s (it has %(exponent)d).") % {
                "currency": currency, "exponent": policy.currency(currency).exponent},
            "negative": _("The amount must be zero or more."),
            "too_large": _("The amount is too large."),
        }.get(exc.code, _("Write the amount as a decimal string such as “150000” or “12.50”."))
        raise ApiError(422, _("The request is not valid."), details=[field_error(field, message, exc.code)]) from None


def _visible_remedy(request: HttpRequest, remedy_id: int) -> Remedy:
    """The remedy if the token's user may see its case; the same 404 whether it is missing or out of reach."""
    found = Remedy.objects.select_related("case__location", "case__organisation", "requested_by", "decided_by")
    try:
        remedy = found.get(pk=remedy_id) if 0 < remedy_id < MAX_ID else None
    except Remedy.DoesNotExist:
        remedy = None
    if remedy is None:
        raise ApiError(404, _("No such remedy."))
    if not access.can_view_case(_user(request), remedy.case):
        raise ApiError(404, _("No such remedy."))
    return remedy


@router.get("/cases/{reference}/remedies", response={200: RemedyList, **ERRORS}, summary="The case's remedies")
def list_remedies(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference)
    remedies = Remedy.objects.filter(case=case).select_related("requested_by", "decided_by").order_by("id")
    items = []
    for remedy in remedies:
        remedy.case = case
        items.append(show_remedy(remedy))
    return json_response({"items": items})


@router.post("/cases/{reference}/remedies", response={201: RemedyOut, **ERRORS}, summary="Give a remedy")
def create_remedy(request: HttpRequest, reference: str, payload: RemedyIn) -> HttpResponse:
    """`granted` at once when within the caller's authority (per remedy, per case, per day), else
    `pending_approval`, and the case's supervisors and CX managers are notified."""
    case = visible_case(request, reference)
    amount = _minor(payload.amount, payload.currency, "amount")
    value = None if payload.transaction_value is None else _minor(
        payload.transaction_value, payload.currency, "transaction_value")
    remedy = services.propose_remedy(
        case, kind=payload.kind, amount_minor=amount, currency=payload.currency, by=_user(request),
        description=payload.description, transaction_value_minor=value, is_goodwill=payload.is_goodwill,
    )
    return json_response(show_remedy(remedy), status=201)


def _decide(request: HttpRequest, remedy_id: int, approve: bool, reason: str) -> HttpResponse:
    remedy = _visible_remedy(request, remedy_id)
    with transaction.atomic():
        if approve:
            remedy = services.approve_remedy(remedy, by=_user(request), reason=reason)
        else:
            remedy = services.reject_remedy(remedy, reason, by=_user(request))
    return json_response(show_remedy(remedy))


@router.post("/remedies/{remedy_id}/approve", response={200: RemedyOut, **ERRORS}, summary="Approve a remedy")
def approve(request: HttpRequest, remedy_id: int, payload: DecisionIn | None = None) -> HttpResponse:
    """Supervisors and CX managers in the case's scope; 403 for others, 409 when it is already decided."""
    return _decide(request, remedy_id, True, payload.reason if payload else "")


@router.post("/remedies/{remedy_id}/reject", response={200: RemedyOut, **ERRORS}, summary="Reject a remedy")
def reject(request: HttpRequest, remedy_id: int, payload: DecisionIn) -> HttpResponse:
    """As approve; `reason` is required."""
    return _decide(request, remedy_id, False, payload.reason)


@router.post("/remedies/{remedy_id}/fulfil", response={200: RemedyOut, **ERRORS}, summary="Fulfil a remedy")
def fulfil(request: HttpRequest, remedy_id: int, payload: FulfilIn) -> HttpResponse:
    """Record what proves it was given (refund reference, voucher code, replacement order); the customer is told
    in their language through the outbox."""
    remedy = _visible_remedy(request, remedy_id)
    remedy = services.fulfil_remedy(remedy, payload.proof, by=_user(request))
    return json_response(show_remedy(remedy))

