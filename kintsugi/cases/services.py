"""Every state change of a case: one function each, which checks permission and invariants, writes, appends
a CaseEvent to the timeline and queues side effects after commit. Views, the API, commands and tasks call
these; none re-implements them. The actor is always passed as `by=` (None means the system or the customer).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts import access
from kintsugi.accounts.models import Location, Organisation, Role, Touchpoint, User
from kintsugi.cases import sla
from kintsugi.cases.models import (
    BREACH_AFTER,
    OPEN_STATUSES,
    SLA_SORT_NEVER,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Channel,
    Customer,
    CustomerIdentity,
    EventKind,
    FailureType,
    IdentityKind,
    Priority,
    Status,
    Timer,
    TimerKind,
    TimerState,
)
from kintsugi.cases.selectors import calendar_for, sla_policy_for, supervisors_for
from kintsugi.cases.triage import LANGUAGES, detect_language, subject_from
from kintsugi.lib import dbdatetime
from kintsugi.lib.fastinsert import insert_rows, new
from kintsugi.lib.groupcommit import GroupCommitter
from kintsugi.lib.rawexec import execute
from kintsugi.lib.writelock import serialised_writes

log = logging.getLogger("kintsugi.timers")

# Fallback targets when an organisation has no SLA policy at all: answer within a working day, resolve in three.
DEFAULT_FIRST_RESPONSE_S = 8 * 3600
DEFAULT_RESOLUTION_S = 3 * 8 * 3600
MAX_DESCRIPTION = 10_000
MAX_MESSAGE = 5_000
PHONE_REGIONS = ("VN", "TH")

# Which statuses a case may move to from each status. Resolve, reopen and close have their own services.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.RESOLVED}),
    Status.ACKNOWLEDGED: frozenset({Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.RESOLVED}),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_CUSTOMER, Status.RESOLVED}),
    Status.AWAITING_CUSTOMER: frozenset({Status.IN_PROGRESS, Status.RESOLVED}),
    Status.REOPENED: frozenset(
        {Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.AWAITING_CUSTOMER, Status.RESOLVED}
    ),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
}


# Events after which kintsugi.recovery recomputes Case.playbook_due_at (they complete or skip playbook steps, or
# open or close the case); recovery/rules.py says which kind completes which step.
PLAYBOOK_KINDS = frozenset({
    EventKind.MESSAGE_OUT, EventKind.APOLOGY_SENT, EventKind.THANKS_SENT, EventKind.REMEDY_GRANTED,
    EventKind.REMEDY_APPROVED, EventKind.FOLLOW_UP_ANSWERED, EventKind.STEP_DONE, EventKind.STEP_OVERRIDE,
    EventKind.RESOLVED, EventKind.REOPENED, EventKind.CLOSED,
})


class ServiceError(Exception):
    """A request the service refuses; `code` maps to the API's error code and HTTP status."""

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


# --------------------------------------------------------------------------------------------- helpers


def _now(at: datetime | None) -> datetime:
    return at if at is not None else timezone.now()


def _event(
    case: Case,
    kind: str,
    *,
    by: User | None,
    at: datetime,
    body: str = "",
    visible: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    if kind in PLAYBOOK_KINDS:
        from kintsugi.recovery import services as recovery

        recovery.bind(case, at=at)  # the first time a step can move, the case's playbook is fixed (PLAYBOOK_SET)
    event = CaseEvent.objects.create(
        case=case,
        organisation_id=case.organisation_id,
        kind=kind,
        actor=by,
        is_customer_visible=visible,
        body=body,
        data=data or {},
        created_at=at,
    )
    if kind in PLAYBOOK_KINDS:
        recovery.refresh_due(case, at=at)  # the steps this event completes move the case's playbook due time
    return event


def _require_view(case: Case, by: User | None) -> None:
    if by is not None and not access.can_view_case(by, case):
        raise NotAllowed(_("You do not have access to this case."))


def _save(case: Case, at: datetime, *fields: str) -> None:
    case.updated_at = at
    case.save(update_fields=[*fields, "updated_at"])


def normalise_phone(raw: str, regions: tuple[str, ...] = PHONE_REGIONS) -> str:
    """The number in E.164 (+84912345678), trying Vietnam then Thailand for national numbers."""
    raw = raw.strip()
    if not raw:
        return ""
    for region in regions:
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    raise InvalidInput(_("“%(phone)s” is not a valid phone number.") % {"phone": raw[:40]})


def _phone_regions(language: str) -> tuple[str, ...]:
    # 081 234 5678 is a valid mobile number in Vietnam and in Thailand: a Thai speaker's is tried as Thai first.
    return ("TH", "VN") if language == "th" else PHONE_REGIONS


def normalise_email(raw: str) -> str:
    value = raw.strip().lower()
    if not value:
        return ""
    local, _sep, domain = value.partition("@")
    if not local or "." not in domain or " " in value or len(value) > 254:
        raise InvalidInput(_("“%(email)s” is not a valid email address.") % {"email": raw[:60]})
    return value


# --------------------------------------------------------------------------------------------- customers


@dataclass(frozen=True, slots=True)
class CustomerContact:
    """Who complains, for a case opened without a Customer: any known identity finds them, else they are created."""

    name: str = ""
    email: str = ""
    phone: str = ""
    line_id: str = ""
    messenger_id: str = ""
    zalo_id: str = ""
    language: str = ""


def _identities(organisation: Organisation, contact: CustomerContact) -> dict[str, str]:
    """The contact's identities, normalised (kind -> value); raises InvalidInput for a bad email or phone."""
    identities = {
        IdentityKind.EMAIL: normalise_email(contact.email),
        IdentityKind.PHONE: normalise_phone(
            contact.phone, _phone_regions(contact.language or organisation.default_language)
        ),
        IdentityKind.LINE: contact.line_id.strip(),
        IdentityKind.MESSENGER: contact.messenger_id.strip(),
        IdentityKind.ZALO: contact.zalo_id.strip(),
    }
    return {str(kind): value for kind, value in identities.items() if value}


def find_or_create_customer(
    *,
    organisation: Organisation,
    name: str = "",
    email: str = "",
    phone: str = "",
    line_id: str = "",
    messenger_id: str = "",
    zalo_id: str = "",
    language: str = "",
    at: datetime | None = None,
) -> Customer:
    """The customer any of these identities belongs to, or a new one; new identities are attached to it."""
    at = _now(at)
    wanted = _identities(
        organisation, CustomerContact(email=email, phone=phone, line_id=line_id, messenger_id=messenger_id,
                                      zalo_id=zalo_id, language=language),
    )
    customer: Customer | None = None
    known: set[tuple[str, str]] = set()
    if wanted:
        from django.db.models import Q

        match = Q()
        for kind, value in wanted.items():
            match |= Q(kind=kind, value=value)
        rows = list(
            CustomerIdentity.objects.filter(match, organisation=organisation).select_related("customer")
        )
        for row in rows:
            known.add((row.kind, row.value))
        if rows:
            customer = rows[0].customer
            while customer.merged_into_id is not None:
                customer = Customer.objects.get(pk=customer.merged_into_id)
    if customer is None:
        customer = Customer.objects.create(
            organisation=organisation, name=name.strip()[:200], language=language, created_at=at
        )
    else:
        changed = []
        if name.strip() and not customer.name:
            customer.name = name.strip()[:200]
            changed.append("name")
        if language and not customer.language:
            customer.language = language
            changed.append("language")
        if changed:
            customer.save(update_fields=changed)
    added = [
        CustomerIdentity(organisation=organisation, customer=customer, kind=kind, value=value)
        for kind, value in wanted.items()
        if (kind, value) not in known
    ]
    if added:
        CustomerIdentity.objects.bulk_create(added)
    return customer


@transaction.atomic
def merge_customers(source: Customer, target: Customer, *, by: User, at: datetime | None = None) -> Customer:
    """Fold `source` into `target` (supervisors and above): every identity and case moves to `target`, `source`
    points at it, and the timeline of every case of both records the merge. Returns `target`."""
    at = _now(at)
    if not by.is_supervisor_or_above:
        raise NotAllowed(_("Only supervisors can merge customers."))
    if source.organisation_id != target.organisation_id:
        raise InvalidInput(_("Customers of different organisations cannot be merged."))
    if by.organisation_id != source.organisation_id:
        raise NotAllowed(_("You can only merge your own organisation's customers."))
    if source.pk == target.pk:
        raise InvalidInput(_("A customer cannot be merged into themselves."))
    if access.visible_customers(by).filter(pk__in=[source.pk, target.pk]).count() != 2:
        raise NotAllowed(_("You do not have access to both customers."))
    if Customer.objects.filter(pk=target.pk, merged_into__isnull=False).exists():
        raise InvalidTransition(_("“%(name)s” was already merged into another customer.") % {"name": target})
    # A conditional update: of two merges of the same record racing each other, exactly one wins.
    if not Customer.objects.filter(pk=source.pk, merged_into__isnull=True).update(merged_into=target):
        raise InvalidTransition(_("“%(name)s” was already merged into another customer.") % {"name": source})
    source.merged_into = target
    cases = list(Case.objects.filter(customer_id__in=[source.pk, target.pk]).order_by("pk").values_list(
        "pk", "customer_id"))
    CustomerIdentity.objects.filter(customer_id=source.pk).update(customer_id=target.pk)
    Case.objects.filter(customer_id__in=[source.pk, target.pk]).update(customer_id=target.pk, updated_at=at)
    data = {"source_id": source.pk, "source_name": source.name, "target_id": target.pk, "target_name": target.name}
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, organisation_id=target.organisation_id, kind=EventKind.CUSTOMER_MERGED, actor=by,
                  data={**data, "moved": customer_id == source.pk}, created_at=at)
        for pk, customer_id in cases
    )
    # The surviving record keeps what it knows and learns what only the merged one knew.
    changed = []
    if source.name and not target.name:
        target.name = source.name
        changed.append("name")
    if source.language and not target.language:
        target.language = source.language
        changed.append("language")
    if changed:
        target.save(update_fields=changed)
    return target


# --------------------------------------------------------------------------------------------- SLA


def _reserve_references(organisation_id: int, year: int, count: int) -> list[str]:
    """`count` consecutive references of the organisation's year: one conditional UPDATE, whatever `count` is."""
    table = CaseCounter._meta.db_table
    sql = (
        f"UPDATE {table} SET last_number = last_number + %s "
        "WHERE organisation_id = %s AND year = %s RETURNING last_number"
    )
    rows = execute(sql, [count, organisation_id, year])
    if not rows:
        # The year's first case: create the counter (a concurrent creator's row wins; no savepoint needed).
        CaseCounter.objects.bulk_create(
            [CaseCounter(organisation_id=organisation_id, year=year, last_number=0)], ignore_conflicts=True
        )
        rows = execute(sql, [count, organisation_id, year])
    last = int(rows[0][0])
    return [f"K-{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


def _warn_fraction(case: Case) -> float:
    return case.organisation.sla_warning_percent / 100


def _resolution_clock(case: Case) -> sla.Clock:
    return sla.Clock(
        target_seconds=case.resolution_target_s,
        consumed_seconds=case.resolution_consumed_s,
        running_since=case.resolution_running_since,
    )


def _refresh_sla(case: Case, at: datetime) -> list[Timer]:
    """Recompute the derived SLA fields and the pending timers that belong to them (caller saves the case): a
    warning per running target, each carrying its breach's moment (the breach's row is written when the warning
    is claimed, see claim_timer)."""
    calendar = calendar_for(case.location)
    fraction = _warn_fraction(case)
    timers: list[Timer] = []
    warn_at: datetime | None = None
    running: datetime | None = None
    if case.is_open and case.first_response_at is None and case.first_response_due_at is not None:
        start = case.created_at
        fr_warn = sla.add_working_time(start, case.first_response_target_s * fraction, calendar)
        running = case.first_response_due_at
        warn_at = fr_warn
        if not case.first_response_breached:
            timers.append(new(
                Timer, case=case, organisation_id=case.organisation_id, kind=TimerKind.FIRST_RESPONSE_WARNING,
                due_at=fr_warn, then_due_at=case.first_response_due_at,
            ))
    clock = _resolution_clock(case)
    case.resolution_due_at = sla.due_at(clock, calendar) if case.is_open else None
    if case.is_open and case.resolution_due_at is not None:
        res_warn = sla.due_at(clock, calendar, fraction)
        assert res_warn is not None
        if running is None:
            running = case.resolution_due_at
            warn_at = res_warn
        if not case.resolution_breached:
            timers.append(new(
                Timer, case=case, organisation_id=case.organisation_id, kind=TimerKind.RESOLUTION_WARNING,
                due_at=res_warn, then_due_at=case.resolution_due_at,
            ))
    case.sla_sort = running or SLA_SORT_NEVER
    case.sla_warn_at = warn_at
    return timers


def _reschedule(case: Case, at: datetime) -> None:
    """Replace the case's pending timers with those of its current clocks (a resolved or closed case keeps its
    pending follow-up; reopening cancels it)."""
    pending = Timer.objects.filter(case=case, state=TimerState.PENDING)
    if not case.is_open:
        pending = pending.exclude(kind=TimerKind.FOLLOW_UP)
    pending.update(state=TimerState.CANCELLED)
    timers = _refresh_sla(case, at)
    if timers:
        Timer.objects.bulk_create(timers)


SLA_FIELDS = (
    "first_response_due_at", "resolution_due_at", "resolution_consumed_s", "resolution_running_since",
    "sla_sort", "sla_warn_at", "first_response_breached", "resolution_breached",
)


# --------------------------------------------------------------------------------------------- cases


@dataclass(frozen=True, slots=True)
class CaseRequest:
    """One case to open: open_case's arguments, where `contact` (instead of `customer`) finds or creates the
    customer together with the case."""

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


@dataclass(slots=True)
class _PreparedCase:
    """A validated request with its case built (SLA deadlines and timers included), short of what needs the write
    lock: its customer (when found by contact), repeat-failure flag, reference and ids."""

    request: CaseRequest  # with `at` fixed, so a retry prepares the same case
    case: Case
    timers: list[Timer]
    identities: dict[str, str]
    year: int
    since: datetime  # the start of the repeat-failure window
    hint: str  # the language hint the detected language was based on ("" when the language was given)
    created: CaseEvent  # its "created" event, built here (outside the write lock); repeat_failure set when written
    is_new_customer: bool = False


def _prepare(request: CaseRequest) -> _PreparedCase:
    """Validate a request and build its case; no writes, and no queries beyond the cached policies and calendars."""
    organisation = request.organisation
    at = _now(request.at)
    by, channel, severity, location = request.by, request.channel, request.severity, request.location
    touchpoint, category, customer, contact = request.touchpoint, request.category, request.customer, request.contact
    if customer is not None and contact is not None:
        raise ValueError("Give the customer or their contact details, not both.")
    identities = _identities(organisation, contact) if contact is not None else {}
    description = request.description.strip()
    if not description:
        raise InvalidInput(_("Please describe what happened."))
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_("The description is too long (at most %(max)d characters).") % {"max": MAX_DESCRIPTION})
    if channel not in Channel.values:
        raise InvalidInput(_("Unknown channel."))
    if not 1 <= int(severity) <= 5:
        raise InvalidInput(_("Severity must be between 1 and 5."))
    if request.failure_type is not None and request.failure_type not in FailureType.values:
        raise InvalidInput(_("Unknown failure type."))
    if by is not None and by.organisation_id != organisation.pk:
        raise NotAllowed(_("You can only open cases for your own organisation."))
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
    if by is not None and not access.can_see_location(by, location.pk):
        raise NotAllowed(_("You cannot open cases for this location."))
    if category is not None and category.organisation_id != organisation.pk:
        raise InvalidInput(_("Unknown category."))
    if customer is not None and customer.organisation_id != organisation.pk:
        raise InvalidInput(_("Unknown customer."))

    language = request.language
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(_("Unknown language; use en, vi or th."))
    hint = ""
    if language is None:
        # A customer found by contact may turn out to prefer another language: _open_prepared checks the hint.
        hint = (customer.language if customer else contact.language if contact else "") or organisation.default_language
        language = detect_language(description, hint)
    failure_type = request.failure_type
    if failure_type is None:
        failure_type = category.default_failure_type if category else FailureType.SERVICE_PROCESS
    calendar = calendar_for(location)
    case = new(
        Case,
        organisation=organisation,
        customer=customer,
        location=location,
        touchpoint=touchpoint,
        channel=channel,
        category=category,
        severity=int(severity),
        failure_type=failure_type,
        language=language,
        subject=(request.subject.strip() or subject_from(description))[:200],
        description=description,
        status=Status.NEW,
        is_open=True,
        priority=Priority.HIGH if int(severity) >= 5 else Priority.NORMAL,
        created_by=by,
        is_repeat_failure=False,
        created_at=at,
        updated_at=at,
    )
    # Staff logging a phone or walk-in complaint are answering the customer as they write it down.
    if by is not None and channel in {Channel.PHONE, Channel.IN_PERSON}:
        case.first_response_at = at
    policy = sla_policy_for(organisation.pk, case.severity, channel)
    case.sla_policy = policy
    case.first_response_target_s = policy.first_response_minutes * 60 if policy else DEFAULT_FIRST_RESPONSE_S
    case.resolution_target_s = policy.resolution_minutes * 60 if policy else DEFAULT_RESOLUTION_S
    if case.first_response_at is None:
        case.first_response_due_at = sla.add_working_time(at, case.first_response_target_s, calendar)
    clock = sla.start_clock(at, case.resolution_target_s)
    case.resolution_running_since = clock.running_since
    # The playbook's first required step, from a per-process cache (no query per case); recovery keeps it after.
    from kintsugi.recovery.selectors import first_due_minutes

    minutes = first_due_minutes(organisation.pk, category.pk if category else None)
    case.playbook_due_at = at + timedelta(minutes=minutes) if minutes is not None else None
    return _PreparedCase(
        request=request,
        case=case,
        timers=_refresh_sla(case, at),
        identities=identities,
        year=at.astimezone(calendar.tz).year,
        since=at - timedelta(days=organisation.repeat_failure_window_days),
        hint=hint,
        created=new(
            CaseEvent, case=case, organisation_id=case.organisation_id, kind=EventKind.CREATED, actor=by,
            is_customer_visible=True, body=case.description, created_at=at,
            data={"channel": case.channel, "severity": case.severity, "repeat_failure": False},
        ),
    )


# The hot reads of a batch write are plain SQL (portable: SQLite and PostgreSQL). They run while the write lock is
# held, and building one through the ORM costs 0.3-0.7 ms here against 20-30 us for the statement itself.


def _customers_by_identity(organisation_id: int, pairs: set[tuple[str, str]]) -> list[tuple[int, str, str, Customer]]:
    """Every identity (id, kind, value, customer) of every customer of the organisation that holds any of these
    (kind, value) pairs, oldest identity first; a customer appears once, as one instance."""
    identity, customer = CustomerIdentity._meta.db_table, Customer._meta.db_table
    kinds = sorted({kind for kind, _value in pairs})
    values = sorted({value for _kind, value in pairs})
    sql = (
        f"SELECT i.id, i.kind, i.value, c.id, c.organisation_id, c.name, c.language, c.merged_into_id "
        f"FROM {identity} i INNER JOIN {customer} c ON c.id = i.customer_id "
        f"WHERE i.customer_id IN (SELECT customer_id FROM {identity} WHERE organisation_id = %s "
        f"AND kind IN ({', '.join(['%s'] * len(kinds))}) AND value IN ({', '.join(['%s'] * len(values))})) "
        "ORDER BY i.id"
    )
    rows = execute(sql, [organisation_id, *kinds, *values])
    customers: dict[int, Customer] = {}
    found = []
    for identity_id, kind, value, *columns in rows:
        if columns[0] not in customers:
            customers[columns[0]] = Customer.from_db(connection.alias, _CUSTOMER_FIELDS, columns)
        found.append((identity_id, kind, value, customers[columns[0]]))
    return found


_CUSTOMER_FIELDS = ["id", "organisation_id", "name", "language", "merged_into_id"]  # created_at is left deferred


def _attach_customers(batch: Sequence[_PreparedCase]) -> None:
    """Find or create the customer of every request that came with contact details, in request order, as
    find_or_create_customer would one by one: a later request finds the customer an earlier one created, and a
    contact without any identity (a name only) is a new customer every time."""
    wanted = [p for p in batch if p.request.contact is not None]
    if not wanted:
        return
    # (organisation, kind, value) -> (identity id, customer); identities created in this batch sort after all others.
    owners: dict[tuple[int, str, str], tuple[float, Customer]] = {}
    known: dict[int, list[tuple[str, str]]] = {}  # customer id -> all its identities, oldest first
    customers: dict[int, Customer] = {}
    for organisation_id in dict.fromkeys(p.case.organisation_id for p in wanted):
        pairs = {pair for p in wanted if p.case.organisation_id == organisation_id for pair in p.identities.items()}
        if not pairs:
            continue
        # All the identities of the matching customers, so the caller can show them without reading them again.
        for identity_id, kind, value, customer in _customers_by_identity(organisation_id, pairs):
            customers[customer.pk] = customer
            owners[(organisation_id, kind, value)] = (identity_id, customer)
            known.setdefault(customer.pk, []).append((kind, value))
    created: list[Customer] = []
    attach: list[tuple[Customer, str, str]] = []
    changed: dict[int, tuple[Customer, set[str]]] = {}
    for p in wanted:
        organisation = p.request.organisation
        contact = p.request.contact
        assert contact is not None
        at = p.case.created_at
        matches = [owners[key] for key in ((organisation.pk, k, v) for k, v in p.identities.items()) if key in owners]
        if matches:
            customer = min(matches, key=lambda match: match[0])[1]
            # A customer an earlier request of this batch created (no id yet) has no history to look up.
            p.is_new_customer = customer.pk is None
            if customer.pk is not None:
                while customer.merged_into_id is not None:
                    customer = Customer.objects.get(pk=customer.merged_into_id)
                fields = changed.setdefault(id(customer), (customer, set()))[1]
                if contact.name.strip() and not customer.name:
                    customer.name = contact.name.strip()[:200]
                    fields.add("name")
                if contact.language and not customer.language:
                    customer.language = contact.language
                    fields.add("language")
        else:
            customer = new(Customer, organisation=organisation, name=contact.name.strip()[:200],
                           language=contact.language, created_at=at)
            created.append(customer)
            p.is_new_customer = True
        for kind, value in p.identities.items():
            if (organisation.pk, kind, value) not in owners:
                owners[(organisation.pk, kind, value)] = (float("inf"), customer)
                attach.append((customer, kind, value))
        p.case.customer = customer
    if created:
        insert_rows(created, returning_pk=True)
    for customer, fields in changed.values():
        if fields:
            customer.save(update_fields=sorted(fields))
    if attach:
        insert_rows([
            new(CustomerIdentity, organisation_id=customer.organisation_id, customer=customer, kind=kind, value=value)
            for customer, kind, value in attach
        ])
    for customer, kind, value in attach:
        known.setdefault(customer.pk, []).append((kind, value))
    for p in wanted:
        found = p.case.customer
        assert found is not None
        if found.pk in customers or p.is_new_customer:
            # What the API shows with the case, without reading it again (absent for a merged customer).
            found._identities = known.get(found.pk, [])  # type: ignore[attr-defined]


def _repeat_failures(batch: Sequence[_PreparedCase]) -> list[bool]:
    """Whether each case is a repeat failure: its customer had another case in the window before it, in the
    database or earlier in this batch. One query for the whole batch; none for customers created in it."""
    checks = [
        (index, p.case.customer_id, p.since, p.case.created_at)
        for index, p in enumerate(batch)
        if p.case.customer_id is not None and not p.is_new_customer
    ]
    repeats = [False] * len(batch)
    if checks:
        # is_repeat_failure for each case, as one statement: the indexes of those with a case in their window.
        table, adapt = Case._meta.db_table, dbdatetime.adapter(connection.alias)
        sql = " UNION ALL ".join(
            f"SELECT {index} WHERE EXISTS (SELECT 1 FROM {table} WHERE customer_id = %s "
            "AND created_at >= %s AND created_at < %s)"
            for index, *_rest in checks
        )
        params = [value for _i, customer_id, since, at in checks for value in (customer_id, adapt(since), adapt(at))]
        for (index,) in execute(sql, params):
            repeats[index] = True
    earlier: dict[int, list[datetime]] = {}
    for index, p in enumerate(batch):
        customer, at = p.case.customer, p.case.created_at
        if customer is None:
            continue
        assert customer.pk is not None
        seen = earlier.setdefault(customer.pk, [])
        repeats[index] = repeats[index] or any(p.since <= when < at for when in seen)
        seen.append(at)
    return repeats


def _open_prepared(batch: Sequence[_PreparedCase]) -> list[Case]:
    """Write prepared cases in the current transaction with a fixed number of statements per batch: customers,
    references, cases, timers, the created events, and the escalation of repeat failures."""
    _attach_customers(batch)
    for p in batch:
        customer = p.case.customer
        if p.hint and customer is not None and customer.language and customer.language != p.hint:
            # Found by contact, the customer prefers another language than the one the detection assumed.
            p.case.language = detect_language(p.case.description, customer.language)
    repeats = _repeat_failures(batch)
    groups: dict[tuple[int, int], list[Case]] = {}
    for p in batch:
        groups.setdefault((p.case.organisation_id, p.year), []).append(p.case)
    for (organisation_id, year), cases in groups.items():
        for case, reference in zip(cases, _reserve_references(organisation_id, year, len(cases)), strict=True):
            case.reference = reference
    events: list[CaseEvent] = []
    escalated: list[tuple[Case, datetime]] = []
    for p, repeat in zip(batch, repeats, strict=True):
        case = p.case
        case.is_repeat_failure = repeat
        p.created.data["repeat_failure"] = repeat
        events.append(p.created)
        if repeat:
            # The same escalation as _escalate, folded into the insert: priority up one level, on the timeline.
            old = case.priority
            case.priority = PRIORITY_UP[Priority(old)]
            events.append(new(
                CaseEvent, case=case, organisation_id=case.organisation_id, kind=EventKind.ESCALATED, actor=None,
                created_at=case.created_at, data={"reason": "repeat_failure", "from": old, "to": case.priority},
            ))
            escalated.append((case, case.created_at))
    cases = [p.case for p in batch]
    insert_rows(cases, returning_pk=True)
    insert_rows([timer for p in batch for timer in p.timers])
    insert_rows(events)
    if escalated:
        _notify_escalations(escalated)
    return cases


def _notify_escalations(escalated: list[tuple[Case, datetime]]) -> None:
    """comms.services.notify(supervisors_for(case), "escalated", case) for every repeat failure of a batch, in
    two statements for the whole batch: one read of the supervisors, one insert of the notifications."""
    from kintsugi.comms.services import notify_many

    supervisors = _supervisors_by_location({case.organisation_id for case, _at in escalated})
    def told(case: Case) -> list[int]:  # supervisors of every location, then those scoped to this one
        org = case.organisation_id
        return supervisors.get((org, None), []) + supervisors.get((org, case.location_id), [])

    notify_many([(told(case), "escalated", case, at, {"reason": "repeat_failure"}) for case, at in escalated])


def _supervisors_by_location(organisation_ids: set[int]) -> dict[tuple[int, int | None], list[int]]:
    """The active supervisors and CX managers of these organisations by (organisation, location in their scope),
    location None for those who see every location: supervisors_for for many cases in one query."""
    users, scopes = User._meta.db_table, User.locations.through._meta.db_table
    ids = sorted(organisation_ids)
    sql = (
        f"SELECT u.organisation_id, s.location_id, u.id FROM {users} u LEFT JOIN {scopes} s ON s.user_id = u.id "
        f"WHERE u.organisation_id IN ({', '.join(['%s'] * len(ids))}) AND u.is_active = %s "
        f"AND u.role IN ({', '.join(['%s'] * len(SUPERVISOR_ROLES))}) ORDER BY u.id"
    )
    found: dict[tuple[int, int | None], list[int]] = {}
    for organisation_id, location_id, user_id in execute(sql, [*ids, True, *(str(role) for role in SUPERVISOR_ROLES)]):
        found.setdefault((organisation_id, location_id), []).append(user_id)
    return found


def open_cases(requests: Sequence[CaseRequest]) -> list[Case]:
    """Open several cases in one transaction, in order (consecutive references per organisation and year): all
    or none, the first invalid request raising before anything is written."""
    prepared = [_prepare(request) for request in requests]
    with transaction.atomic():
        return _open_prepared(prepared)


def open_case(
    *,
    by: User | None,
    organisation: Organisation,
    description: str,
    channel: str,
    location: Location | None = None,
    touchpoint: Touchpoint | None = None,
    customer: Customer | None = None,
    category: Category | None = None,
    severity: int = 3,
    failure_type: str | None = None,
    language: str | None = None,
    subject: str = "",
    at: datetime | None = None,
) -> Case:
    """Open a case for one service failure, start its SLA clocks and record it on the timeline."""
    request = CaseRequest(
        by=by, organisation=organisation, description=description, channel=channel, location=location,
        touchpoint=touchpoint, customer=customer, category=category, severity=severity,
        failure_type=failure_type, language=language, subject=subject, at=at,
    )
    return open_cases([request])[0]


def _commit_cases(batch: Sequence[_PreparedCase]) -> list[Case]:
    # In the order of their moments, not of their arrival: references, and which of two cases of one customer is
    # the repeat, follow time as they would one by one.
    with serialised_writes(), transaction.atomic(durable=True):
        _open_prepared(sorted(batch, key=lambda p: p.case.created_at))
    return [p.case for p in batch]


def prepare_again(prepared: _PreparedCase) -> _PreparedCase:
    """The request prepared afresh at the same moment: after a failed batch the prepared objects may hold ids of
    rows that were rolled back."""
    return _prepare(replace(prepared.request, at=prepared.case.created_at))


def _commit_case_again(prepared: _PreparedCase) -> Case:
    return _commit_cases([prepare_again(prepared)])[0]


# The leader queues for the write lock before it takes the batch, so what arrives meanwhile joins it.
_case_committer = GroupCommitter(_commit_cases, write_one=_commit_case_again, max_batch=64, hold=serialised_writes)

# For intake's own group commit of public form submissions, which writes more than the cases in the batch.
PreparedCase = _PreparedCase
prepare_case = _prepare


def open_prepared_cases(batch: Sequence[_PreparedCase]) -> list[Case]:
    """Write prepared cases in the caller's transaction, in the order of their moments (as _commit_cases)."""
    _open_prepared(sorted(batch, key=lambda p: p.case.created_at))
    return [p.case for p in batch]


def open_case_grouped(request: CaseRequest) -> Case:
    """open_cases for one request, from a thread of a multi-threaded web worker: validated here (a refusal is
    raised to this caller alone), then written in one transaction with the other cases this process is opening
    at the same moment (group commit). Returns once that transaction has committed. Within a transaction, it
    writes in that transaction instead."""
    prepared = _prepare(request)
    if transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return _open_prepared([prepared])[0]
    return _case_committer.submit(prepared)


@transaction.atomic
def acknowledge(case: Case, *, by: User, at: datetime | None = None) -> Case:
    """Staff take the case in hand: status acknowledged, and the case assigned to them if nobody has it."""
    at = _now(at)
    _require_view(case, by)
    if case.status not in {Status.NEW, Status.REOPENED}:
        raise InvalidTransition(_("Only a new or reopened case can be acknowledged."))
    old = case.status
    case.status = Status.ACKNOWLEDGED
    case.acknowledged_at = case.acknowledged_at or at
    fields = ["status", "acknowledged_at"]
    if case.assignee_id is None:
        case.assignee = by
        fields.append("assignee")
    _save(case, at, *fields)
    _event(case, EventKind.ACKNOWLEDGED, by=by, at=at, visible=True, data={"from": old})
    return case


@transaction.atomic
def assign(case: Case, assignee: User | None, *, by: User, at: datetime | None = None) -> Case:
    """Give the case to `assignee` (None: unassign). Frontline staff may only take it or let it go themselves."""
    at = _now(at)
    _require_view(case, by)
    if assignee is not None:
        # Permission first: a frontline agent learns nothing about who else could work on the case.
        if assignee.pk != by.pk and not by.is_supervisor_or_above:
            raise NotAllowed(_("Only supervisors can assign cases to someone else."))
        if not access.can_view_case(assignee, case):
            raise InvalidInput(_("This person cannot work on cases at this location."))
    elif case.assignee_id not in {None, by.pk} and not by.is_supervisor_or_above:
        raise NotAllowed(_("Only supervisors can unassign someone else's case."))
    if (assignee.pk if assignee else None) == case.assignee_id:
        return case
    previous = case.assignee_id
    case.assignee = assignee
    _save(case, at, "assignee")
    _event(
        case,
        EventKind.ASSIGNED,
        by=by,
        at=at,
        data={"from": previous, "to": assignee.pk if assignee else None,
              "to_name": assignee.display_name if assignee else ""},
    )
    if assignee is not None and assignee.pk != by.pk:
        from kintsugi.comms.services import notify

        notify([assignee], "assigned", case, at=at, data={"by": by.display_name})
    return case


@transaction.atomic
def add_note(case: Case, body: str, *, by: User, at: datetime | None = None) -> CaseEvent:
    """An internal note: on the timeline for staff, never shown to the customer."""
    at = _now(at)
    _require_view(case, by)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The note is empty."))
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(_("The note is too long (at most %(max)d characters).") % {"max": MAX_MESSAGE})
    _save(case, at)
    return _event(case, EventKind.NOTE, by=by, at=at, body=body)


def record_event(
    case: Case,
    kind: str,
    *,
    by: User | None,
    at: datetime | None = None,
    body: str = "",
    visible: bool = False,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event to the case's timeline; for the services of other apps (recovery, remedies), which check
    permission and invariants themselves and call this inside their own transaction."""
    at = _now(at)
    case.updated_at = at
    Case.objects.filter(pk=case.pk).update(updated_at=at)
    return _event(case, kind, by=by, at=at, body=body, visible=visible, data=data)


def send_to_customer(
    case: Case,
    body: str,
    *,
    by: User | None,
    at: datetime | None = None,
    kind: str = EventKind.MESSAGE_OUT,
    data: dict[str, Any] | None = None,
) -> Any:
    """Write to the customer on the case's channel (outbox, after commit) and record it as `kind`: a reply, an
    apology, thanks-and-explain, a follow-up. The first one is the first response; it moves the case on and
    gives it an assignee. `by` None: the system (the follow-up). Call it inside a transaction."""
    from kintsugi.comms.services import queue_outbound

    at = _now(at)
    _require_view(case, by)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The reply is empty."))
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(_("The reply is too long (at most %(max)d characters).") % {"max": MAX_MESSAGE})
    if case.status == Status.CLOSED and kind != EventKind.FOLLOW_UP_SENT:
        raise InvalidTransition(_("This case is closed; reopen it to write to the customer."))
    message = queue_outbound(case, body, by=by, at=at)
    fields: list[str] = []
    if case.first_response_at is None:
        case.first_response_at = at
        fields.append("first_response_at")
    if case.status in {Status.NEW, Status.ACKNOWLEDGED, Status.REOPENED}:
        case.status = Status.IN_PROGRESS
        fields.append("status")
    if case.assignee_id is None and by is not None:
        case.assignee = by
        fields.append("assignee")
    if "first_response_at" in fields:
        _reschedule(case, at)
        fields += SLA_FIELDS
    _save(case, at, *fields)
    _event(
        case, kind, by=by, at=at, body=body, visible=True,
        data={**(data or {}), "message_id": message.pk, "channel": message.channel},
    )
    return message


@transaction.atomic
def reply(case: Case, body: str, *, by: User, at: datetime | None = None) -> Any:
    """Send a message to the customer on the case's channel (through the outbox, after commit)."""
    return send_to_customer(case, body, by=by, at=at)


@transaction.atomic
def receive_message(case: Case, body: str, *, at: datetime | None = None, channel: str | None = None) -> Any:
    """A message from the customer joins the case; a case awaiting them starts moving (and its clock) again."""
    from kintsugi.comms.services import notify, record_inbound

    at = _now(at)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The message is empty."))
    if len(body) > MAX_MESSAGE:
        raise InvalidInput(_("The message is too long (at most %(max)d characters).") % {"max": MAX_MESSAGE})
    message = record_inbound(case, body, channel=channel or case.channel, at=at)
    _event(case, EventKind.MESSAGE_IN, by=None, at=at, body=body, visible=True,
           data={"message_id": message.pk, "channel": message.channel})
    if case.status == Status.AWAITING_CUSTOMER:
        _set_status(case, Status.IN_PROGRESS, by=None, at=at, reason="customer_replied")
    else:
        _save(case, at)
    if case.assignee_id is not None:
        notify([case.assignee_id], "customer_replied", case, at=at)
    return message


def _set_status(case: Case, status: str, *, by: User | None, at: datetime, reason: str = "") -> None:
    old = case.status
    case.status = status
    was_open = case.is_open
    case.is_open = status in OPEN_STATUSES
    calendar = calendar_for(case.location)
    clock = _resolution_clock(case)
    # The resolution clock runs only while the ball is in our court.
    should_run = case.is_open and status != Status.AWAITING_CUSTOMER
    if should_run and clock.running_since is None:
        clock = sla.resume_clock(clock, at)
    elif not should_run and clock.running_since is not None:
        clock = sla.pause_clock(clock, at, calendar)
    case.resolution_consumed_s = clock.consumed_seconds
    case.resolution_running_since = clock.running_since
    if status == Status.RESOLVED:
        case.resolved_at = at
    if status == Status.CLOSED:
        case.closed_at = at
    if status == Status.REOPENED:
        case.resolved_at = None
        case.closed_at = None
    _reschedule(case, at)
    _save(case, at, "status", "is_open", "resolved_at", "closed_at", *SLA_FIELDS)
    kinds: dict[str, EventKind] = {
        Status.RESOLVED: EventKind.RESOLVED,
        Status.REOPENED: EventKind.REOPENED,
        Status.CLOSED: EventKind.CLOSED,
    }
    kind = kinds.get(status, EventKind.STATUS_CHANGED)
    _event(case, kind, by=by, at=at, body=reason if reason not in {"customer_replied"} else "", visible=True,
           data={"from": old, "to": status, "reason": reason, "was_open": was_open})


@transaction.atomic
def change_status(case: Case, status: str, *, by: User, reason: str = "", at: datetime | None = None) -> Case:
    """Move the case along its lifecycle; resolving, reopening and closing go through their own services."""
    at = _now(at)
    _require_view(case, by)
    if status not in Status.values:
        raise InvalidInput(_("Unknown status."))
    if status == Status.RESOLVED:
        return resolve(case, by=by, summary=reason, at=at)
    if status == Status.REOPENED:
        return reopen(case, by=by, reason=reason, at=at)
    if status == Status.CLOSED:
        return close_case(case, by=by, at=at)
    if status == Status.ACKNOWLEDGED:
        return acknowledge(case, by=by, at=at)
    if status == case.status:
        return case
    if status not in TRANSITIONS[case.status]:
        raise InvalidTransition(
            _("A case that is “%(old)s” cannot become “%(new)s”.")
            % {"old": Status(case.status).label, "new": Status(status).label}
        )
    _set_status(case, status, by=by, at=at, reason=reason.strip())
    return case


@transaction.atomic
def resolve(
    case: Case, *, by: User, summary: str = "", override_reason: str = "", at: datetime | None = None
) -> Case:
    """Mark the failure as put right; the clocks stop and the follow-up is scheduled. Refused (recovery.StepsOpen)
    while a required playbook step is open, unless a supervisor or above gives an `override_reason`."""
    from kintsugi.recovery import services as recovery

    at = _now(at)
    _require_view(case, by)
    if not case.is_open:
        raise InvalidTransition(_("This case is already resolved or closed."))
    recovery.check_resolve(case, by=by, override_reason=override_reason, at=at)
    _set_status(case, Status.RESOLVED, by=by, at=at, reason=summary.strip())
    recovery.schedule_follow_up(case, by=by, at=at)
    return case


@transaction.atomic
def reopen(
    case: Case, *, by: User | None, reason: str = "", at: datetime | None = None, notification: str = "reopened"
) -> Case:
    """Reopen a resolved or closed case; its resolution clock continues where it stopped. The assignee is told
    (as `notification`: a caller with a more telling reason names its own kind) unless they reopened it."""
    at = _now(at)
    _require_view(case, by)
    if case.is_open:
        raise InvalidTransition(_("This case is still open."))
    _set_status(case, Status.REOPENED, by=by, at=at, reason=reason.strip())
    if case.assignee_id is not None and (by is None or case.assignee_id != by.pk):
        from kintsugi.comms.services import notify

        notify([case.assignee_id], notification, case, at=at)
    return case


@transaction.atomic
def close_case(case: Case, *, by: User, at: datetime | None = None) -> Case:
    """Close a resolved case for good (it can still be reopened)."""
    at = _now(at)
    _require_view(case, by)
    if case.status != Status.RESOLVED:
        raise InvalidTransition(_("Only a resolved case can be closed."))
    _set_status(case, Status.CLOSED, by=by, at=at)
    return case


PRIORITY_UP = {Priority.NORMAL: Priority.HIGH, Priority.HIGH: Priority.URGENT, Priority.URGENT: Priority.URGENT}


def _escalate(case: Case, *, by: User | None, at: datetime, reason: str, body: str = "") -> None:
    from kintsugi.comms.services import notify

    old = case.priority
    # Every escalation (a repeat failure, a breach, staff asking for help) raises the priority one level.
    case.priority = PRIORITY_UP[Priority(case.priority)]
    _save(case, at, "priority")
    _event(case, EventKind.ESCALATED, by=by, at=at, body=body,
           data={"reason": reason, "from": old, "to": case.priority})
    recipients = [u for u in supervisors_for(case) if by is None or u.pk != by.pk]
    notify(recipients, "escalated", case, at=at, data={"reason": reason})


@transaction.atomic
def escalate(case: Case, *, by: User, reason: str, at: datetime | None = None) -> Case:
    """Ask for help: the priority goes up one level and the supervisors are told."""
    at = _now(at)
    _require_view(case, by)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Please say why the case needs escalating."))
    if not case.is_open:
        raise InvalidTransition(_("Only an open case can be escalated."))
    _escalate(case, by=by, at=at, reason="manual", body=reason)
    return case


@transaction.atomic
def update_details(
    case: Case,
    *,
    by: User,
    category: Category | None = None,
    severity: int | None = None,
    failure_type: str | None = None,
    at: datetime | None = None,
) -> Case:
    """Correct the case's classification; each change is recorded."""
    at = _now(at)
    _require_view(case, by)
    changes: dict[str, list[Any]] = {}
    if category is not None and category.pk != case.category_id:
        if category.organisation_id != case.organisation_id:
            raise InvalidInput(_("Unknown category."))
        changes["category"] = [case.category_id, category.pk]
        case.category = category
    if severity is not None and severity != case.severity:
        if not 1 <= severity <= 5:
            raise InvalidInput(_("Severity must be between 1 and 5."))
        changes["severity"] = [case.severity, severity]
        case.severity = severity
    if failure_type is not None and failure_type != case.failure_type:
        if failure_type not in FailureType.values:
            raise InvalidInput(_("Unknown failure type."))
        changes["failure_type"] = [case.failure_type, failure_type]
        case.failure_type = failure_type
    if not changes:
        return case
    _save(case, at, *changes)
    _event(case, EventKind.UPDATED, by=by, at=at, data=changes)
    return case


# --------------------------------------------------------------------------------------------- timers

SUPERVISOR_ROLES = (Role.SUPERVISOR, Role.CX_MANAGER)


@transaction.atomic
def fire_timer(timer: Timer, *, at: datetime | None = None) -> bool:
    """Run one due timer that this worker has claimed (a follow-up is handed to recovery before any SLA logic);
    returns False when it no longer applies."""
    from kintsugi.comms.services import notify

    at = _now(at)
    if timer.kind == TimerKind.FOLLOW_UP:
        from kintsugi.recovery.services import send_follow_up

        return send_follow_up(timer, at=at)
    case = Case.objects.select_related("organisation", "location").get(pk=timer.case_id)
    if not case.is_open:
        return False
    kind = TimerKind(timer.kind)
    is_first_response = kind in {TimerKind.FIRST_RESPONSE_WARNING, TimerKind.FIRST_RESPONSE_BREACH}
    if is_first_response and case.first_response_at is not None:
        return False
    if not is_first_response and (case.resolution_running_since is None or case.resolution_due_at is None):
        return False
    target = "first_response" if is_first_response else "resolution"
    due = case.first_response_due_at if is_first_response else case.resolution_due_at
    data = {"target": target, "due_at": due.isoformat() if due else None}
    if kind in {TimerKind.FIRST_RESPONSE_WARNING, TimerKind.RESOLUTION_WARNING}:
        _event(case, EventKind.SLA_WARNING, by=None, at=at, data=data)
        recipients: list[Any] = list(supervisors_for(case))
        if case.assignee_id is not None:
            recipients.append(case.assignee_id)
        notify(recipients, "sla_warning", case, at=at, data=data)
        return True
    if is_first_response:
        case.first_response_breached = True
    else:
        case.resolution_breached = True
    _save(case, at, "first_response_breached", "resolution_breached")
    _event(case, EventKind.SLA_BREACH, by=None, at=at, data=data)
    _escalate(case, by=None, at=at, reason=f"{target}_breach")
    if case.assignee_id is not None:
        notify([case.assignee_id], "sla_breach", case, at=at, data=data)
    return True


@transaction.atomic
def claim_timer(timer: Timer, at: datetime) -> tuple[bool, Timer | None]:
    """Claim one pending timer to fire it at `at`, with a conditional update (of two loops, one wins). A claimed
    warning that carries its breach's moment schedules that breach now, so the breach comes whether or not the
    warning itself goes through. Returns whether this loop won, and the breach's new timer if one was
    scheduled."""
    won = Timer.objects.filter(pk=timer.pk, state=TimerState.PENDING).update(state=TimerState.DONE, fired_at=at)
    if not won:
        return False, None
    timer.state, timer.fired_at = TimerState.DONE, at
    if timer.then_due_at is None or timer.kind not in BREACH_AFTER:
        return True, None
    return True, Timer.objects.create(case_id=timer.case_id, organisation_id=timer.organisation_id,
                                      kind=BREACH_AFTER[TimerKind(timer.kind)], due_at=timer.then_due_at)


def claim_due_timers(*, now: datetime | None = None, limit: int = 200) -> list[Timer]:
    """Claim due timers (up to `limit`, and the breaches that claimed warnings schedule when those are due too),
    so two loops never fire the same one; in the order they fall due."""
    now = _now(now)
    claimed: list[Timer] = []
    candidates = list(
        Timer.objects.filter(state=TimerState.PENDING, due_at__lte=now).order_by("due_at", "id")[:limit]
    )
    while candidates:
        followers: list[Timer] = []
        for timer in candidates:
            won, breach = claim_timer(timer, now)
            if not won:
                continue
            claimed.append(timer)
            if breach is not None and breach.due_at <= now:
                followers.append(breach)
        candidates = followers
    claimed.sort(key=lambda timer: (timer.due_at, timer.pk))
    return claimed


def run_due_timers(*, now: datetime | None = None) -> int:
    """Fire every due timer once; returns how many applied."""
    fired = 0
    for timer in claim_due_timers(now=now):
        try:
            if fire_timer(timer, at=now):
                fired += 1
        except Exception:
            # A claimed timer that fails is given back for the next tick (a warning or breach must not be lost),
            # and the other claimed timers still fire. A warning's breach was scheduled when it was claimed: the
            # warning goes back without it, so claiming it again schedules no second breach.
            log.exception("SLA timer %s failed", timer.pk)
            Timer.objects.filter(pk=timer.pk, state=TimerState.DONE).update(
                state=TimerState.PENDING, fired_at=None, then_due_at=None
            )
    return fired
