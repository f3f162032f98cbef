"""merge_customers: two records of one person become one; every identity and case moves to the survivor, the
merge is on the timeline of every case of both, and refusals change nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_staff
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer, CustomerIdentity, EventKind


@pytest.fixture
def duplicate(org: Organisation, hanoi: Location, bangkok: Location) -> Customer:
    """Hoa again, as a second record: she once wrote from her email and LINE, and once called from another phone."""
    customer = services.find_or_create_customer(organisation=org, email="hoa.nguyen@example.com",
                                                line_id="U-hoa-line", phone="0987 654 321")
    for location, text in ((hanoi, "Bữa sáng nguội."), (bangkok, "Check-in took an hour.")):
        services.open_case(by=None, organisation=org, location=location, channel=Channel.EMAIL, customer=customer,
                           description=text)
    return customer


def identities(customer: Customer) -> list[tuple[str, str]]:
    return sorted(CustomerIdentity.objects.filter(customer=customer).values_list("kind", "value"))


def snapshot() -> dict[str, Any]:
    return {
        "customers": sorted(Customer.objects.values_list("pk", "name", "language", "merged_into_id")),
        "identities": sorted(CustomerIdentity.objects.values_list("pk", "customer_id", "kind", "value")),
        "cases": sorted(Case.objects.values_list("pk", "customer_id", "updated_at")),
        "events": CaseEvent.objects.count(),
    }


def test_merge_moves_every_identity_and_case_and_records_it_on_every_case(
    supervisor: User, case: Case, vi_customer: Customer, duplicate: Customer
) -> None:
    moved = list(duplicate.cases.order_by("pk"))
    at = timezone.now() + timedelta(minutes=5)

    survivor = services.merge_customers(duplicate, vi_customer, by=supervisor, at=at)

    duplicate.refresh_from_db()
    vi_customer.refresh_from_db()
    assert survivor == vi_customer
    assert duplicate.merged_into_id == vi_customer.pk
    assert identities(vi_customer) == [
        ("email", "hoa.nguyen@example.com"), ("line", "U-hoa-line"), ("phone", "+84912345678"),
        ("phone", "+84987654321"), ("zalo", "zalo-hoa"),
    ]
    assert identities(duplicate) == []
    every = [case, *moved]
    assert sorted(vi_customer.cases.values_list("pk", flat=True)) == sorted(c.pk for c in every)
    assert duplicate.cases.count() == 0
    events = CaseEvent.objects.filter(kind=EventKind.CUSTOMER_MERGED).order_by("case_id")
    data = {"source_id": duplicate.pk, "source_name": "", "target_id": vi_customer.pk, "target_name": "Nguyễn Thị Hoa"}
    assert [(e.case_id, e.actor_id, e.is_customer_visible, e.created_at, e.data) for e in events] == [
        (c.pk, supervisor.pk, False, at, {**data, "moved": c.pk != case.pk}) for c in sorted(every, key=lambda c: c.pk)
    ]
    assert set(Case.objects.values_list("updated_at", flat=True)) == {at}
    assert (vi_customer.name, vi_customer.language) == ("Nguyễn Thị Hoa", "vi")


def test_the_survivor_learns_the_name_and_language_only_the_merged_record_knew(
    manager: User, case: Case, vi_customer: Customer, duplicate: Customer
) -> None:
    services.merge_customers(vi_customer, duplicate, by=manager)

    duplicate.refresh_from_db()
    assert (duplicate.name, duplicate.language) == ("Nguyễn Thị Hoa", "vi")
    assert case.events.filter(kind=EventKind.CUSTOMER_MERGED).get().data == {
        "source_id": vi_customer.pk, "source_name": "Nguyễn Thị Hoa", "target_id": duplicate.pk, "target_name": "",
        "moved": True,
    }


def test_the_old_identities_find_the_survivor_afterwards(
    org: Organisation, supervisor: User, vi_customer: Customer, duplicate: Customer
) -> None:
    services.merge_customers(duplicate, vi_customer, by=supervisor)

    for found in (
        services.find_or_create_customer(organisation=org, email="HOA.NGUYEN@example.com"),
        services.find_or_create_customer(organisation=org, phone="+84 98 765 4321"),
        services.find_or_create_customer(organisation=org, line_id="U-hoa-line", name="Someone else"),
    ):
        assert found == vi_customer
    assert Customer.objects.count() == 2


def test_a_new_case_for_the_old_identity_is_a_repeat_failure_of_the_survivor(
    org: Organisation, hanoi: Location, supervisor: User, agent: User, vi_customer: Customer, duplicate: Customer
) -> None:
    services.merge_customers(duplicate, vi_customer, by=supervisor)
    customer = services.find_or_create_customer(organisation=org, email="hoa.nguyen@example.com")

    new = services.open_case(by=agent, organisation=org, location=hanoi, channel=Channel.PHONE, customer=customer,
                             description="Again no hot water.")

    assert (new.customer_id, new.is_repeat_failure) == (vi_customer.pk, True)


@pytest.mark.parametrize("who", ["agent", "bangkok_agent"])
def test_frontline_staff_cannot_merge_and_nothing_changes(
    staff_cast: dict[str, User], case: Case, vi_customer: Customer, duplicate: Customer, who: str
) -> None:
    before = snapshot()

    with pytest.raises(services.NotAllowed, match=re.escape("Only supervisors can merge customers.")):
        services.merge_customers(duplicate, vi_customer, by=staff_cast[who])

    assert snapshot() == before


def test_customers_of_two_organisations_cannot_be_merged(
    supervisor: User, other_org: Organisation, case: Case, vi_customer: Customer
) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, name="Hoa", phone="0912 000 111")
    before = snapshot()

    refused = re.escape("Customers of different organisations cannot be merged.")
    with pytest.raises(services.InvalidInput, match=refused):
        services.merge_customers(theirs, vi_customer, by=supervisor)
    with pytest.raises(services.InvalidInput, match=refused):
        services.merge_customers(vi_customer, theirs, by=supervisor)

    assert snapshot() == before


def test_the_outsider_cannot_merge_our_customers(
    outsider: User, case: Case, vi_customer: Customer, duplicate: Customer
) -> None:
    before = snapshot()

    with pytest.raises(services.NotAllowed, match=re.escape("You can only merge your own organisation's customers.")):
        services.merge_customers(duplicate, vi_customer, by=outsider)

    assert snapshot() == before


def test_a_customer_cannot_be_merged_into_themselves(supervisor: User, case: Case, vi_customer: Customer) -> None:
    before = snapshot()

    with pytest.raises(services.InvalidInput, match=re.escape("A customer cannot be merged into themselves.")):
        services.merge_customers(vi_customer, Customer.objects.get(pk=vi_customer.pk), by=supervisor)

    assert snapshot() == before


def test_a_merged_record_cannot_be_merged_again(
    org: Organisation, supervisor: User, case: Case, vi_customer: Customer, en_customer: Customer,
    duplicate: Customer
) -> None:
    stale = Customer.objects.get(pk=duplicate.pk)
    services.merge_customers(duplicate, vi_customer, by=supervisor)
    before = snapshot()

    with pytest.raises(services.InvalidTransition, match=re.escape("was already merged into another customer.")):
        services.merge_customers(stale, en_customer, by=supervisor)  # a second tab, still showing the old record
    with pytest.raises(services.InvalidTransition, match=re.escape("was already merged into another customer.")):
        services.merge_customers(en_customer, duplicate, by=supervisor)

    assert snapshot() == before


def test_a_location_scoped_supervisor_merges_only_customers_they_can_see(
    org: Organisation, bangkok: Location, case: Case, vi_customer: Customer, duplicate: Customer
) -> None:
    bangkok_supervisor = make_staff(org, "bkk_supervisor", Role.SUPERVISOR, locations=[bangkok])
    before = snapshot()

    with pytest.raises(services.NotAllowed, match=re.escape("You do not have access to both customers.")):
        services.merge_customers(duplicate, vi_customer, by=bangkok_supervisor)  # Hoa's own record: Hà Nội only

    assert snapshot() == before
