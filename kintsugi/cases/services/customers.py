"""Customers: who complains, found by any of their identities (phone, email, LINE, Messenger, Zalo), and two
records of one person folded together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kintsugi.accounts.models import Organisation, User
from kintsugi.cases import access
from kintsugi.cases.contacts import normalise_email, normalise_phone, phone_regions
from kintsugi.cases.errors import InvalidInput, InvalidTransition, NotAllowed
from kintsugi.cases.models import Case, CaseEvent, Customer, CustomerIdentity, EventKind, IdentityKind
from kintsugi.cases.services.events import now, record, require_view, save
from kintsugi.cases.services.timers import escalate_now


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
    # False when anyone could have typed these details (the public form): a known customer found by them is only
    # claimed, learns nothing from them and gets none of their new identities.
    verified: bool = True


def identities_of(organisation: Organisation, contact: CustomerContact) -> dict[str, str]:
    """The contact's identities, normalised (kind -> value); raises InvalidInput for a bad email or phone."""
    identities = {
        IdentityKind.EMAIL: normalise_email(contact.email),
        IdentityKind.PHONE: normalise_phone(
            contact.phone, phone_regions(contact.language or organisation.default_language)
        ),
        IdentityKind.LINE: contact.line_id.strip(),
        IdentityKind.MESSENGER: contact.messenger_id.strip(),
        IdentityKind.ZALO: contact.zalo_id.strip(),
    }
    return {str(kind): value for kind, value in identities.items() if value}


def _survivor(customer: Customer) -> Customer:
    while customer.merged_into_id is not None:
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


def _learn(customer: Customer, contact: CustomerContact, changed: set[str]) -> None:
    """What a known customer learns from a new contact: a name or language it did not have."""
    if contact.name.strip() and not customer.name:
        customer.name = contact.name.strip()[:200]
        changed.add("name")
    if contact.language and not customer.language:
        customer.language = contact.language
        changed.add("language")


def attach_customers(
    organisation: Organisation, contacts: Sequence[tuple[CustomerContact, dict[str, str]]], at: Sequence[datetime]
) -> list[tuple[Customer, bool]]:
    """The customer of each (contact, its normalised identities), found by any identity or created, in order, as
    find_or_create_customer would one by one: a later contact finds the customer an earlier one created, and a
    contact without any identity (a name only) is a new customer every time. Each with whether it is new. One read
    for all the identities; new identities are attached to their customer, except from an unverified contact that
    found a known customer (the caller records that case as claimed)."""
    pairs = {pair for _contact, identities in contacts for pair in identities.items()}
    owners: dict[tuple[str, str], tuple[float, Customer]] = {}  # identity -> (its id, its customer)
    if pairs:
        # Every kind given against every value given (one index range each, whatever the batch's size: an OR of
        # one (kind, value) term per pair made the query's building cost grow with the batch); the pairs that were
        # not asked for are dropped here.
        for row in CustomerIdentity.objects.filter(
            organisation=organisation,
            kind__in=sorted({kind for kind, _value in pairs}),
            value__in=sorted({value for _kind, value in pairs}),
        ).select_related("customer").order_by("id"):
            if (row.kind, row.value) in pairs:
                owners.setdefault((row.kind, row.value), (row.pk, row.customer))
    found: list[tuple[Customer, bool]] = []
    created: list[Customer] = []
    changed: dict[int, tuple[Customer, set[str]]] = {}
    attach: list[tuple[Customer, str, str]] = []
    for (contact, identities), moment in zip(contacts, at, strict=True):
        known = [owners[pair] for pair in identities.items() if pair in owners]
        if known:
            customer = min(known, key=lambda owner: owner[0])[1]  # the one with the oldest identity
            is_new = customer.pk is None  # created by an earlier contact of these
            if not is_new:
                customer = _survivor(customer)
                if not contact.verified:
                    found.append((customer, False))
                    continue
                _learn(customer, contact, changed.setdefault(customer.pk, (customer, set()))[1])
        else:
            customer = Customer(organisation=organisation, name=contact.name.strip()[:200],
                                language=contact.language, created_at=moment)
            created.append(customer)
            is_new = True
        for pair in identities.items():
            if pair not in owners:
                owners[pair] = (float("inf"), customer)
                attach.append((customer, *pair))
        found.append((customer, is_new))
    Customer.objects.bulk_create(created)
    for customer, fields in changed.values():
        if fields:
            customer.save(update_fields=sorted(fields))
    CustomerIdentity.objects.bulk_create([
        CustomerIdentity(organisation=organisation, customer=customer, kind=kind, value=value)
        for customer, kind, value in attach
    ])
    return found


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
    contact = CustomerContact(name=name, email=email, phone=phone, line_id=line_id, messenger_id=messenger_id,
                              zalo_id=zalo_id, language=language)
    with transaction.atomic():
        [(customer, _is_new)] = attach_customers(
            organisation, [(contact, identities_of(organisation, contact))], [now(at)]
        )
    return customer


@transaction.atomic
def merge_customers(source: Customer, target: Customer, *, by: User, at: datetime | None = None) -> Customer:
    """Fold `source` into `target` (supervisors and above): every identity and case moves to `target`, `source`
    points at it, and the timeline of every case of both records the merge. Returns `target`."""
    at = now(at)
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
    changed: set[str] = set()
    _learn(target, CustomerContact(name=source.name, language=source.language), changed)
    if changed:
        target.save(update_fields=sorted(changed))
    return target


@transaction.atomic
def confirm_customer(case: Case, *, by: User, at: datetime | None = None) -> Case:
    """Staff confirm that a claimed customer is who the complaint said (they checked with the customer): the case
    becomes theirs in full. The customer learns the name and the identities the complaint gave (an identity
    another customer holds stays theirs), and the case is a repeat failure, and escalated, if their history says
    so."""
    at = now(at)
    require_view(case, by)
    # A conditional update: of two confirmations racing each other, one writes the event.
    if not Case.objects.filter(pk=case.pk, customer_claimed=True).update(customer_claimed=False, updated_at=at):
        raise InvalidTransition(_("The customer of this case is already confirmed."))
    case.customer_claimed = False
    customer = case.customer
    assert customer is not None
    claim = case.claim
    changed: set[str] = set()
    _learn(customer, CustomerContact(name=str(claim.get("name", ""))), changed)
    if changed:
        customer.save(update_fields=sorted(changed))
    CustomerIdentity.objects.bulk_create([
        CustomerIdentity(organisation_id=case.organisation_id, customer=customer, kind=kind, value=value)
        for kind, value in dict(claim.get("identities", {})).items()
    ], ignore_conflicts=True)
    record(case, EventKind.CUSTOMER_CONFIRMED, by=by, at=at,
           data={"customer_id": customer.pk, "name": customer.name})
    earlier = Case.objects.filter(
        customer_id=customer.pk, customer_claimed=False,
        created_at__gte=case.created_at - case.organisation.repeat_failure_window,
        created_at__lt=case.created_at,
    ).exclude(pk=case.pk)
    if not case.is_repeat_failure and earlier.exists():
        case.is_repeat_failure = True
        save(case, at, "is_repeat_failure")
        escalate_now(case, by=by, at=at, reason="repeat_failure")
    return case
