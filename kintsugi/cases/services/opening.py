"""The one door into a case: `open_cases` (and `open_case`, its one-item form). Every channel, the API, the staff
log form and the demo open their cases here; batching many requests into one transaction for throughput happens
at the web edge (kintsugi.db.grouped), which hands this function several requests at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts import access
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import sla
from kintsugi.cases.errors import InvalidInput, NotAllowed
from kintsugi.cases.facts import check_booking_reference, check_occurred_at, in_utc
from kintsugi.cases.hooks import extensions
from kintsugi.cases.models import (
    Case,
    CaseCounter,
    Category,
    Channel,
    Customer,
    EventKind,
    FailureType,
    Priority,
    Status,
    Timer,
)
from kintsugi.cases.selectors import calendar_for, sla_policy_for
from kintsugi.cases.services.customers import CustomerContact, attach_customers, identities_of
from kintsugi.cases.services.events import Entry, now, record_many
from kintsugi.cases.services.timers import escalation, refresh_sla, tell_supervisors
from kintsugi.cases.triage import LANGUAGES, detect_language, subject_from

# Fallback targets when an organisation has no SLA policy at all: answer within a working day, resolve in three.
DEFAULT_FIRST_RESPONSE_S = 8 * 3600
DEFAULT_RESOLUTION_S = 3 * 8 * 3600
MAX_DESCRIPTION = 10_000


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """One case to open. The customer is given as a Customer, or as `contact` details that find or create them
    together with the case."""

    by: User | None
    organisation: Organisation
    description: str
    channel: str
    location: Location | None = None
    touchpoint: Touchpoint | None = None
    customer: Customer | None = None
    contact: CustomerContact | None = None
    category: Category | None = None
    severity: int = 3
    failure_type: str | None = None
    language: str | None = None
    subject: str = ""
    at: datetime | None = None
    booking_reference: str = ""
    occurred_at: datetime | None = None
    follows: Case | None = None  # the closed case the customer wrote to again
    data: dict[str, Any] | None = None  # more for the created event (the inbound pipeline: the payload it came in)


@dataclass(slots=True)
class _Prepared:
    """A validated request with its case built (SLA deadlines and timers included), before anything is written."""

    request: CaseRequest
    case: Case
    identities: dict[str, str]
    hint: str  # the language hint the detected language was based on ("" when the language was given)


def _location(request: CaseRequest) -> Location:
    organisation, touchpoint, location = request.organisation, request.touchpoint, request.location
    if touchpoint is not None:
        if touchpoint.organisation_id != organisation.pk:
            raise InvalidInput(_("Unknown touchpoint."))
        if location is None:
            location = touchpoint.location
        elif touchpoint.location_id != location.pk:
            raise InvalidInput(_("The touchpoint is not at this location."))
    if location is None:
        raise InvalidInput(_("Please choose a location."))
    if location.organisation_id != organisation.pk:
        raise InvalidInput(_("Unknown location."))
    return location


def _validate(request: CaseRequest, at: datetime) -> tuple[str, Location]:
    """The request checked, all of it, before anything is written: its description and location."""
    organisation, by = request.organisation, request.by
    if request.customer is not None and request.contact is not None:
        raise ValueError("Give the customer or their contact details, not both.")
    description = request.description.strip()
    if not description:
        raise InvalidInput(_("Please describe what happened."))
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("The description is too long (at most %(max)d characters).") % {"max": MAX_DESCRIPTION})
    if request.channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."))
    if not 1 <= int(request.severity) <= 5:
        raise InvalidInput(_("Severity must be between 1 and 5."))
    if request.failure_type is not None and request.failure_type not in FailureType.values:
        raise InvalidInput(_("Unknown failure type."))
    if by is not None and by.organisation_id != organisation.pk:
        raise NotAllowed(_("You can only open cases for your own organisation."))
    location = _location(request)
    if by is not None and not access.can_see_location(by, location.pk):
        raise NotAllowed(_("You cannot open cases for this location."))
    if request.follows is not None and request.follows.organisation_id != organisation.pk:
        raise InvalidInput(_("Unknown case."))
    if request.category is not None and request.category.organisation_id != organisation.pk:
        raise InvalidInput(_("Unknown category."))
    if request.customer is not None and request.customer.organisation_id != organisation.pk:
        raise InvalidInput(_("Unknown customer."))
    if request.language is not None and request.language not in LANGUAGES:
        raise InvalidInput(_("Unknown language; use en, vi or th."))
    check_booking_reference(request.booking_reference)
    check_occurred_at(request.occurred_at, at)
    return description, location


def _prepare(request: CaseRequest, at: datetime) -> _Prepared:
    description, location = _validate(request, at)
    organisation, customer, contact = request.organisation, request.customer, request.contact
    category = request.category
    identities = identities_of(organisation, contact) if contact is not None else {}
    language, hint = request.language, ""
    if language is None:
        # A customer found by contact may turn out to prefer another language: open_cases checks the hint.
        hint = (customer.language if customer else contact.language if contact else "") or organisation.default_language
        language = detect_language(description, hint)
    severity = int(request.severity)
    case = Case(
        organisation=organisation,
        customer=customer,
        location=location,
        touchpoint=request.touchpoint,
        channel=request.channel,
        category=category,
        severity=severity,
        failure_type=(
            request.failure_type or (category.default_failure_type if category else FailureType.SERVICE_PROCESS)
        ),
        language=language,
        subject=(request.subject.strip() or subject_from(description))[:200],
        description=description,
        booking_reference=request.booking_reference.strip(),
        occurred_at=in_utc(request.occurred_at),
        status=Status.NEW,
        is_open=True,
        priority=Priority.HIGH if severity >= 5 else Priority.NORMAL,
        created_by=request.by,
        created_at=at,
        updated_at=at,
        follows=request.follows,
    )
    # Staff logging a phone or walk-in complaint are answering the customer as they write it down.
    if request.by is not None and request.channel in {Channel.PHONE, Channel.IN_PERSON}:
        case.first_response_at = at
    policy = sla_policy_for(organisation.pk, severity, request.channel)
    case.sla_policy = policy
    case.first_response_target_s = policy.first_response_minutes * 60 if policy else DEFAULT_FIRST_RESPONSE_S
    case.resolution_target_s = policy.resolution_minutes * 60 if policy else DEFAULT_RESOLUTION_S
    if case.first_response_at is None:
        case.first_response_due_at = sla.add_working_time(at, case.first_response_target_s, calendar_for(location))
    case.resolution_running_since = sla.start_clock(at, case.resolution_target_s).running_since
    for extension in extensions():
        case.playbook_due_at = extension.first_step_due(case) or case.playbook_due_at
    return _Prepared(request=request, case=case, identities=identities, hint=hint)


def _attach_customers(batch: Sequence[_Prepared]) -> set[int]:
    """Find or create the customer of every request that came with contact details; the positions of those
    customers created by this batch (they have no history to look up)."""
    new: set[int] = set()
    by_organisation: dict[int, list[int]] = {}
    for index, p in enumerate(batch):
        if p.request.contact is not None:
            by_organisation.setdefault(p.request.organisation.pk, []).append(index)
    for indexes in by_organisation.values():
        organisation = batch[indexes[0]].request.organisation
        contacts = [(batch[i].request.contact, batch[i].identities) for i in indexes]
        found = attach_customers(organisation, contacts, [batch[i].case.created_at for i in indexes])  # type: ignore[arg-type]
        for index, (customer, is_new) in zip(indexes, found, strict=True):
            case, contact = batch[index].case, batch[index].request.contact
            case.customer = customer
            if is_new:
                new.add(index)
            elif contact is not None and not contact.verified:
                # Anyone can type a phone number: a known customer found by unverified details is only claimed.
                case.customer_claimed = True
                case.claim = {"name": contact.name.strip()[:200], "identities": batch[index].identities}
    return new


def _repeat_failures(batch: Sequence[_Prepared], new_customers: set[int]) -> list[bool]:
    """Whether each case is a repeat failure: its customer had another case in the organisation's window before
    it, in the database or earlier in this batch; a claimed customer's cases neither are nor count. One query for
    the whole batch."""
    windows = {
        index: (p.case.customer_id, p.case.created_at - p.request.organisation.repeat_failure_window)
        for index, p in enumerate(batch)
        if p.case.customer_id is not None and index not in new_customers and not p.case.customer_claimed
    }
    earlier: dict[int, list[datetime]] = {}
    if windows:
        since = min(start for _customer, start in windows.values())
        for customer_id, created_at in Case.objects.filter(
            customer_id__in={customer for customer, _start in windows.values()}, created_at__gte=since,
            customer_claimed=False,
        ).values_list("customer_id", "created_at"):
            earlier.setdefault(customer_id, []).append(created_at)
    in_batch: dict[int, list[datetime]] = {}
    repeats = []
    for p in batch:
        case = p.case
        if case.customer is None or case.customer_claimed:
            repeats.append(False)
            continue
        start = case.created_at - p.request.organisation.repeat_failure_window
        # An earlier case of this batch counts even at the same instant (requests without a time of their own).
        batch_seen = in_batch.setdefault(case.customer.pk, [])
        repeats.append(any(start <= when < case.created_at for when in earlier.get(case.customer.pk, ()))
                       or any(start <= when <= case.created_at for when in batch_seen))
        batch_seen.append(case.created_at)
    return repeats


def _reserve_references(organisation_id: int, year: int, count: int) -> list[str]:
    """`count` consecutive references of the organisation's year, with a conditional UPDATE of its counter."""
    counter = CaseCounter.objects.filter(organisation_id=organisation_id, year=year)
    if not counter.update(last_number=F("last_number") + count):
        # The year's first case: create the counter (a concurrent creator's row wins).
        CaseCounter.objects.bulk_create(
            [CaseCounter(organisation_id=organisation_id, year=year, last_number=0)], ignore_conflicts=True
        )
        counter.update(last_number=F("last_number") + count)
    last = counter.values_list("last_number", flat=True).get()
    return [f"K-{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


def open_cases(requests: Sequence[CaseRequest]) -> list[Case]:
    """Open a case for each service failure, in one transaction and in order (consecutive references per
    organisation and year), start their SLA clocks and record them on their timelines; all or none, every
    request validated before anything is written. A repeat failure (the customer's second case in the window) is
    escalated."""
    moment = now(None)
    batch = [_prepare(request, request.at or moment) for request in requests]
    # All or none: inside a caller's transaction (the group commit's batch) it takes no savepoint of its own, so a
    # failure here fails the caller's transaction as a whole.
    with transaction.atomic(savepoint=False):
        new_customers = _attach_customers(batch)
        for p in batch:
            customer = p.case.customer
            if p.hint and customer is not None and customer.language and customer.language != p.hint:
                # Found by contact, the customer prefers another language than the one the detection assumed.
                p.case.language = detect_language(p.case.description, customer.language)
        repeats = _repeat_failures(batch, new_customers)
        years: dict[tuple[int, int], list[Case]] = {}
        for p in batch:
            year = p.case.created_at.astimezone(calendar_for(p.case.location).tz).year
            years.setdefault((p.case.organisation_id, year), []).append(p.case)
        for (organisation_id, year), cases in years.items():
            for case, reference in zip(cases, _reserve_references(organisation_id, year, len(cases)), strict=True):
                case.reference = reference
        # A repeat failure is escalated as it opens: its priority is raised before it is written.
        escalations = []
        for p, repeat in zip(batch, repeats, strict=True):
            p.case.is_repeat_failure = repeat
            if repeat:
                escalations.append(escalation(p.case, by=None, at=p.case.created_at, reason="repeat_failure"))
        # The SLA's derived fields are set on each case before it is written; its timers are written after it.
        timers = [timer for p in batch for timer in refresh_sla(p.case, p.case.created_at)]
        cases = Case.objects.bulk_create([p.case for p in batch])
        Timer.objects.bulk_create(timers)
        record_many([
            *(Entry(case, EventKind.CREATED, case.created_by, case.created_at, case.description, visible=True,
                    data={"channel": case.channel, "severity": case.severity,
                          "repeat_failure": case.is_repeat_failure,
                          **({"follows": case.follows.reference} if case.follows else {}),
                          **(p.request.data or {})})
              for case, p in zip(cases, batch, strict=True)),
            *escalations,
        ])
        tell_supervisors(escalations)
    return cases


def open_case(
    *,
    by: User | None,
    organisation: Organisation,
    description: str,
    channel: str,
    location: Location | None = None,
    touchpoint: Touchpoint | None = None,
    customer: Customer | None = None,
    contact: CustomerContact | None = None,
    category: Category | None = None,
    severity: int = 3,
    failure_type: str | None = None,
    language: str | None = None,
    subject: str = "",
    at: datetime | None = None,
) -> Case:
    """Open one case: open_cases for a single request."""
    return open_cases([CaseRequest(
        by=by, organisation=organisation, description=description, channel=channel, location=location,
        touchpoint=touchpoint, customer=customer, contact=contact, category=category, severity=severity,
        failure_type=failure_type, language=language, subject=subject, at=at,
    )])[0]
