"""The cases API: open, list, read a case and its timeline, and add notes, replies and status changes.

Every write goes through cases.services; every read through access (the same permission-checked fetches as
the pages). A case the token's user may not see is answered 404, as if it did not exist.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router

from kintsugi.accounts import access, apiauth
from kintsugi.accounts.apiauth import ApiPrincipal
from kintsugi.accounts.models import Location, Touchpoint, User
from kintsugi.cases import access as case_access
from kintsugi.cases import search, selectors, services
from kintsugi.cases.models import Case, CaseEvent, Category, CustomerIdentity, EventKind, Status
from kintsugi.cases.schemas import (
    CASE_FILTER_NAMES,
    BulkIn,
    BulkOut,
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePage,
    EventIn,
    EventList,
    EventOut,
)
from kintsugi.cases.workload import staff_in_scope
from kintsugi.db.grouped import grouped
from kintsugi.lib.apiresponse import ERROR_RESPONSES as ERRORS
from kintsugi.lib.apiresponse import ApiError, field_error, json_response
from kintsugi.lib.cursor import decode_cursor, encode_cursor

router = Router(tags=["cases"])

REFERENCE = re.compile(r"[A-Za-z0-9-]{1,20}")
MAX_ID = 2**63 - 1


def request_principal(request: HttpRequest) -> ApiPrincipal:
    """The authenticated token's principal (its user and scope), for every app's endpoints."""
    principal: ApiPrincipal = request.auth  # type: ignore[attr-defined]
    return principal


# --------------------------------------------------------------------------------------------- serialisers


@cache
def _case_url_parts() -> tuple[str, str]:
    marker = "K-0000-000000"
    path = reverse("case_detail", kwargs={"reference": marker})
    before, after = path.split(marker)
    return settings.SITE_URL.rstrip("/") + before, after


def case_url(reference: str) -> str:
    before, after = _case_url_parts()
    return f"{before}{reference}{after}"


# The columns a case is shown with: the list reads them with .values() (no model instances, no JSON decoding of
# unrelated fields), and a single case fetched as a model is flattened to the same keys.
CASE_COLUMNS = (
    "id", "reference", "status", "priority", "severity", "channel", "language", "subject", "description",
    "is_open", "is_repeat_failure", "booking_reference", "occurred_at", "created_at", "first_response_at",
    "resolved_at", "first_response_due_at", "resolution_due_at", "first_response_breached", "resolution_breached",
    "resolution_running_since",
    "location__code", "location__name", "touchpoint__code", "touchpoint__name", "category__code", "category__name",
    "customer_id", "customer__name", "assignee__username", "assignee__first_name", "assignee__last_name",
)


def _staff(username: str | None, first_name: str = "", last_name: str = "") -> dict[str, str] | None:
    if username is None:
        return None
    return {"username": username, "name": f"{first_name} {last_name}".strip() or username}


def case_row(case: Case) -> dict[str, Any]:
    """A case model flattened to CASE_COLUMNS."""
    row = {name: getattr(case, name) for name in CASE_COLUMNS if "__" not in name}
    for name in CASE_COLUMNS:
        if "__" in name:
            relation, field = name.split("__")
            related = getattr(case, relation)
            row[name] = getattr(related, field) if related is not None else None
    return row


def serialise_case(row: dict[str, Any], identities: list[tuple[str, str]]) -> dict[str, Any]:
    """The case as the API shows it, from a CASE_COLUMNS row and its customer's identities."""
    customer = None
    if row["customer_id"] is not None:
        customer = {
            "id": row["customer_id"],
            "name": row["customer__name"],
            "identities": [{"kind": kind, "value": value} for kind, value in identities],
        }
    return {
        "reference": row["reference"],
        "status": row["status"],
        "priority": row["priority"],
        "severity": row["severity"],
        "channel": row["channel"],
        "language": row["language"],
        "subject": row["subject"],
        "description": row["description"],
        "location": {"code": row["location__code"], "name": row["location__name"]},
        "touchpoint": (
            {"code": row["touchpoint__code"], "name": row["touchpoint__name"]} if row["touchpoint__code"] else None
        ),
        "category": (
            {"code": row["category__code"], "name": row["category__name"]} if row["category__code"] else None
        ),
        "customer": customer,
        "assignee": _staff(row["assignee__username"], row["assignee__first_name"], row["assignee__last_name"]),
        "is_repeat_failure": row["is_repeat_failure"],
        "booking_reference": row["booking_reference"],
        "occurred_at": row["occurred_at"],
        "created_at": row["created_at"],
        "first_response_at": row["first_response_at"],
        "resolved_at": row["resolved_at"],
        "sla": {
            "first_response_due_at": row["first_response_due_at"],
            "resolution_due_at": row["resolution_due_at"],
            "first_response_breached": row["first_response_breached"],
            "resolution_breached": row["resolution_breached"],
            "paused": row["is_open"] and row["resolution_running_since"] is None,
        },
        "url": case_url(row["reference"]),
    }


def identities_of(customer_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Each customer's identities, oldest first, in one query."""
    found: dict[int, list[tuple[str, str]]] = {pk: [] for pk in customer_ids}
    if customer_ids:
        rows = CustomerIdentity.objects.filter(customer_id__in=customer_ids).order_by("id")
        for customer_id, kind, value in rows.values_list("customer_id", "kind", "value"):
            found[customer_id].append((kind, value))
    return found


def show_case(case: Case) -> dict[str, Any]:
    """The case as the API shows it. Its customer's identities are read unless they were prefetched (the cases
    the API has just opened come with them: _open_with_identities)."""
    customer = case.customer
    identities = (
        [(identity.kind, identity.value) for identity in sorted(customer.identities.all(), key=lambda i: i.pk)]
        if customer is not None else []
    )
    return serialise_case(case_row(case), identities)


def serialise_event(event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "actor": _staff(event.actor.username, event.actor.first_name, event.actor.last_name) if event.actor else None,
        "body": event.body,
        "is_customer_visible": event.is_customer_visible,
        "data": event.data,
        "created_at": event.created_at,
    }


# --------------------------------------------------------------------------------------------- reads


def visible_case(request: HttpRequest, reference: str) -> Case:
    """The case if the token's user may see it; the same 404 whether it is missing or out of their reach. Every
    app's case endpoints (recovery, remedies) fetch their case through this."""
    if REFERENCE.fullmatch(reference):
        try:
            return case_access.get_case_for(request_principal(request).user, reference)
        except Http404:
            pass
    raise ApiError(404, _("No such case."))


def _filtered(qs: QuerySet[Case], filters: CaseFilters, request: HttpRequest) -> QuerySet[Case]:
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.location:
        qs = qs.filter(location__code=filters.location)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.severity:
        qs = qs.filter(severity=filters.severity)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.assignee == "me":
        qs = qs.filter(assignee_id=request_principal(request).user.pk)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee__username=filters.assignee)
    return qs


def _cursor_id(cursor: str) -> int:
    try:
        _created_at, pk = decode_cursor(cursor)
    except ValueError:
        pk = 0
    if not 0 < pk <= MAX_ID:
        raise ApiError(400, _("The cursor is not valid; start again without it."), code="invalid",
                       details=[field_error("cursor", _("Not a cursor from this API."))])
    return pk


@router.get("/cases", response={200: CasePage, **ERRORS}, summary="List cases, newest first")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> HttpResponse:
    """Cases the token's user may see, newest first, `limit` at a time; follow `next_cursor` for more."""
    unknown = sorted(set(request.GET) - CASE_FILTER_NAMES)
    if unknown:
        raise ApiError(422, _("Unknown query parameter."),
                       details=[field_error(name[:50], _("Unknown parameter."), "extra_forbidden")
                                for name in unknown[:10]])
    after_id = _cursor_id(filters.cursor) if filters.cursor is not None else None
    if not access.is_staff_member(request_principal(request).user):  # pragma: no cover - tokens belong to staff
        return json_response({"items": [], "next_cursor": None})
    user = request_principal(request).user
    assert user.organisation_id is not None  # a staff member
    qs = _filtered(case_access.visible_cases(user), filters, request)
    found = search.matching(qs, user.organisation_id, search.parse(filters.q or ""), filters.limit + 1,
                            columns=CASE_COLUMNS, before_id=after_id)
    rows = [dict(zip(CASE_COLUMNS, row, strict=True)) for row in found]
    next_cursor = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        next_cursor = encode_cursor(rows[-1]["created_at"], rows[-1]["id"])
    customers = identities_of(sorted({row["customer_id"] for row in rows if row["customer_id"] is not None}))
    items = [serialise_case(row, customers.get(row["customer_id"], [])) for row in rows]
    return json_response({"items": items, "next_cursor": next_cursor})


# Before /cases/{reference}, whose route would otherwise take this path first.
@router.post("/cases/bulk", response={200: BulkOut, **ERRORS}, summary="One action over many cases")
def bulk_cases(request: HttpRequest, payload: BulkIn) -> HttpResponse:
    """Assign, change the status of, resolve or close up to 100 cases, each through its one-case action in its own
    transaction (as the inbox's bulk select does): what a case's action refuses is skipped with the reason, and a
    reference the token's user may not see is listed as not found and left alone."""
    user = request_principal(request).user
    assignee = None
    if payload.assignee is not None:
        people = staff_in_scope(user) if user.is_supervisor_or_above else User.objects.filter(pk=user.pk)
        assignee = people.filter(username=payload.assignee).first()
        if assignee is None:
            raise ApiError(400, _("You cannot assign cases to that person."), code="invalid",
                           details=[field_error("assignee", _("Not someone you may assign cases to."))])
    wanted = {reference.upper() for reference in payload.references}
    found = dict(case_access.visible_cases(user).filter(reference__in=wanted).values_list("reference", "pk"))
    done: list[str] = []
    skipped: list[dict[str, str]] = []
    if found:
        outcome = services.bulk_act(found.values(), payload.action, by=user, assignee=assignee,
                                    status=payload.status or "")
        done = [case.reference for case in outcome.done]
        skipped = [{"reference": case.reference, "reason": reason} for case, reason in outcome.skipped]
    return json_response({"done": done, "skipped": skipped, "not_found": sorted(wanted - found.keys())})


@router.get("/cases/{reference}", response={200: CaseOut, **ERRORS}, summary="Read a case")
def get_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference)
    return json_response(show_case(case))


@router.get("/cases/{reference}/events", response={200: EventList, **ERRORS}, summary="The case's timeline")
def list_events(request: HttpRequest, reference: str) -> HttpResponse:
    """Every event on the case's timeline, oldest first, internal notes included."""
    case = visible_case(request, reference)
    return json_response({"items": [serialise_event(event) for event in selectors.timeline(case)]})


# --------------------------------------------------------------------------------------------- writes


# Locations, touchpoints and categories by code, per token and for as long as apiauth keeps the token's grant: an
# integration opening cases names the same few over and over. A renamed code, or a touchpoint or category made
# inactive, takes effect within TOKEN_CACHE_SECONDS, like a changed scope; a code not (yet) known is looked up
# every time.
_by_code_lock = threading.Lock()
_by_code: dict[tuple[int, str, str, str], tuple[float, Any]] = {}
MAX_CACHED_CODES = 10_000


def _cached_by_code[T](principal: ApiPrincipal, kind: str, code: str, find: Callable[[], T | None]) -> T | None:
    key = (principal.token_id, principal.token_prefix, kind, code)
    now = time.monotonic()
    cached = _by_code.get(key)
    if cached is not None and now - cached[0] <= apiauth.TOKEN_CACHE_SECONDS:
        found: T = cached[1]
        return found
    value = find()
    if value is not None:
        with _by_code_lock:
            if len(_by_code) >= MAX_CACHED_CODES:
                _by_code.clear()
            _by_code[key] = (now, value)
    return value


def _forget_codes(principal: ApiPrincipal) -> None:
    with _by_code_lock:
        for key in [key for key in _by_code if key[:2] == (principal.token_id, principal.token_prefix)]:
            del _by_code[key]


def _default_location(principal: ApiPrincipal) -> Location:
    # The user's only location, else the organisation's only one: both are "the one location they can see".
    candidates = list(access.visible_locations(principal.user).order_by()[:2])
    if len(candidates) == 1:
        return candidates[0]
    raise ApiError(400, _("Please say where it happened."), code="invalid",
                   details=[field_error("location", _("Give a location code (or a touchpoint)."), "missing")])


def _open_with_identities(requests: Sequence[services.CaseRequest]) -> list[Case]:
    """open_cases, and the identities of the cases' customers that the answer shows, read in one query for the
    batch inside its transaction (one read a request after the commit had been a tenth of a creation's CPU)."""
    cases = services.open_cases(requests)
    prefetch_related_objects([case.customer for case in cases if case.customer is not None], "identities")
    return cases


# Concurrent creations in one web worker share a transaction (one commit for the burst): the seam's group commit.
_open_grouped = grouped(_open_with_identities)


@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn) -> HttpResponse:
    """Open a case for the customer (found by any known identity, else created).

    The location defaults to the touchpoint's, else the token user's only location, else the organisation's only
    location; the language is detected from the description when not given.
    """
    principal = request_principal(request)
    organisation = principal.organisation
    errors = []
    location = touchpoint = category = None
    if code := payload.touchpoint:
        touchpoint = _cached_by_code(principal, "touchpoint", code, lambda: (
            Touchpoint.objects.select_related("location")
            .filter(organisation_id=organisation.pk, code=code, is_active=True).first()
        ))
        if touchpoint is None:
            errors.append(field_error("touchpoint", _("Unknown touchpoint.")))
    if code := payload.location:
        location = _cached_by_code(principal, "location", code, lambda: (
            Location.objects.filter(organisation_id=organisation.pk, code=code).first()
        ))
        if location is None:
            errors.append(field_error("location", _("Unknown location.")))
    if code := payload.category:
        category = _cached_by_code(principal, "category", code, lambda: (
            Category.objects.filter(organisation_id=organisation.pk, code=code, is_active=True).first()
        ))
        if category is None:
            errors.append(field_error("category", _("Unknown category.")))
    if errors:
        raise ApiError(400, errors[0]["message"], code="invalid", details=errors)
    if location is None and touchpoint is None:
        location = _default_location(principal)
    # Committed with the other cases this worker is opening at the same moment; answered once committed.
    case_request = services.CaseRequest(
        by=principal.user,
        organisation=organisation,
        description=payload.description,
        channel=payload.channel,
        location=location,
        touchpoint=touchpoint,
        contact=services.CustomerContact(**payload.customer.model_dump()),
        category=category,
        severity=payload.severity,
        failure_type=payload.failure_type,
        language=payload.language,
        subject=payload.subject,
        booking_reference=payload.booking_reference,
        occurred_at=payload.occurred_at,
    )
    try:
        case = _open_grouped(case_request)
    except IntegrityError:
        # What the codes named changed meanwhile (a category removed, say): the retry looks them up again.
        _forget_codes(principal)
        raise
    return json_response(show_case(case), status=201)


STATUS_EVENTS = (
    EventKind.STATUS_CHANGED, EventKind.ACKNOWLEDGED, EventKind.RESOLVED, EventKind.REOPENED, EventKind.CLOSED,
)


@router.post("/cases/{reference}/events", response={201: EventOut, **ERRORS}, summary="Add a note, reply or status")
def create_event(request: HttpRequest, reference: str, payload: EventIn) -> HttpResponse:
    """`note`: an internal note. `reply`: a message to the customer, sent after commit. `status`: move the case
    to `status` (`body` is the reason); asking for the status it already has is a 409."""
    case = visible_case(request, reference)
    user = request_principal(request).user
    with transaction.atomic():
        if payload.type == "note":
            event = services.add_note(case, payload.body, by=user)
        elif payload.type == "reply":
            message = services.reply(case, payload.body, by=user)
            event = case.events.get(kind=EventKind.MESSAGE_OUT, data__message_id=message.pk)
        else:
            assert payload.status is not None
            if payload.status == case.status:
                raise ApiError(409, _("The case is already “%(status)s”.") % {"status": Status(case.status).label},
                               code="conflict")
            services.change_status(case, payload.status, by=user, reason=payload.body)
            event = case.events.filter(kind__in=STATUS_EVENTS, actor_id=user.pk).latest("id")
    event.actor = user
    return json_response(serialise_event(event), status=201)

