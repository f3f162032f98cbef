"""open_cases: many cases in one transaction (references in order, customers found or created by contact, repeat
failures within the batch), written as open_case writes one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Channel,
    Customer,
    CustomerIdentity,
    EventKind,
    Priority,
    Timer,
)
from kintsugi.comms.models import Notification

EN_TEXT = "The room was not cleaned when we arrived and the towels in the bathroom were dirty."
VI_TEXT = "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát."


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "timers": Timer.objects.count(),
        "counters": CaseCounter.objects.count(),
        "customers": Customer.objects.count(),
        "identities": CustomerIdentity.objects.count(),
        "notifications": Notification.objects.count(),
    }


def web_request(org: Organisation, touchpoint: Touchpoint, *, minutes: int = 0, **kwargs: Any) -> services.CaseRequest:
    return services.CaseRequest(
        by=kwargs.pop("by", None), organisation=org, touchpoint=touchpoint, channel=kwargs.pop("channel", Channel.WEB),
        description=kwargs.pop("description", EN_TEXT), at=MONDAY_10AM + timedelta(minutes=minutes), **kwargs,
    )


def contact(**kwargs: Any) -> services.CustomerContact:
    return services.CustomerContact(**kwargs)


# --------------------------------------------------------------------------------------------- open_cases


@pytest.mark.usefixtures("policy")
def test_a_batch_of_mixed_customers_gets_consecutive_references_in_order(
    org: Organisation, front_desk: Touchpoint, vi_customer: Customer
) -> None:
    cases = services.open_cases([
        web_request(org, front_desk, contact=contact(name="Emma", email="Emma@Example.com")),
        web_request(org, front_desk, customer=vi_customer, description=VI_TEXT),
        web_request(org, front_desk, contact=contact(name="Lan", phone="0987 654 321", language="vi")),
        web_request(org, front_desk),
        web_request(org, front_desk, contact=contact(zalo_id="zalo-hoa", email="hoa@example.vn")),
    ])

    assert [case.reference for case in cases] == [f"K-2026-00000{n}" for n in range(1, 6)]
    assert list(Case.objects.order_by("id").values_list("reference", "customer__name")) == [
        ("K-2026-000001", "Emma"),
        ("K-2026-000002", "Nguyễn Thị Hoa"),
        ("K-2026-000003", "Lan"),
        ("K-2026-000004", None),
        ("K-2026-000005", "Nguyễn Thị Hoa"),  # found by her Zalo id, and her email is learnt
    ]
    assert CaseCounter.objects.get(organisation=org, year=2026).last_number == 5
    assert sorted(vi_customer.identities.values_list("kind", "value")) == [
        ("email", "hoa@example.vn"), ("phone", "+84912345678"), ("zalo", "zalo-hoa"),
    ]
    assert sorted(CustomerIdentity.objects.exclude(customer=vi_customer).values_list("kind", "value")) == [
        ("email", "emma@example.com"), ("phone", "+84987654321"),
    ]
    assert Customer.objects.get(name="Lan").language == "vi"
    # Every case is complete: two timers each (the warnings, carrying their breaches) and its created event, as
    # open_case makes them.
    assert Timer.objects.count() == 10
    assert list(CaseEvent.objects.order_by("id").values_list("case__reference", "kind")) == [
        *((f"K-2026-00000{n}", EventKind.CREATED) for n in range(1, 6)),
        ("K-2026-000005", EventKind.ESCALATED),
    ]
    # Hoa's second case of the batch is a repeat failure, though both carry the same moment: the batch's order says
    # which came first.
    assert [case.is_repeat_failure for case in cases] == [False, False, False, False, True]


@pytest.mark.usefixtures("policy")
def test_a_contact_with_only_a_name_is_a_new_customer_every_time(org: Organisation, front_desk: Touchpoint) -> None:
    first, second = services.open_cases([
        web_request(org, front_desk, contact=contact(name="Emma")),
        web_request(org, front_desk, minutes=1, contact=contact(name="Emma")),
    ])

    assert first.customer_id != second.customer_id
    assert list(Customer.objects.values_list("name", flat=True)) == ["Emma", "Emma"]
    assert CustomerIdentity.objects.count() == 0
    assert (first.is_repeat_failure, second.is_repeat_failure) == (False, False)


@pytest.mark.usefixtures("policy")
def test_the_batch_continues_the_counter_of_cases_opened_one_by_one(
    org: Organisation, front_desk: Touchpoint
) -> None:
    first = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                               description=EN_TEXT, at=MONDAY_10AM)

    batch = services.open_cases([web_request(org, front_desk, minutes=n) for n in (1, 2, 3)])

    assert first.reference == "K-2026-000001"
    assert [case.reference for case in batch] == ["K-2026-000002", "K-2026-000003", "K-2026-000004"]


@pytest.mark.usefixtures("policy")
def test_the_same_new_customer_twice_in_a_batch_is_created_once_and_the_second_case_is_a_repeat(
    org: Organisation, front_desk: Touchpoint, supervisor: User, manager: User, agent: User
) -> None:
    first, second = services.open_cases([
        web_request(org, front_desk, contact=contact(name="Emma", email="emma@example.com")),
        web_request(org, front_desk, minutes=5, contact=contact(email="EMMA@example.com", phone="0912 000 111")),
    ])

    assert Customer.objects.count() == 1
    assert first.customer_id == second.customer_id
    assert sorted(CustomerIdentity.objects.values_list("kind", "value")) == [
        ("email", "emma@example.com"), ("phone", "+84912000111"),
    ]
    assert (first.is_repeat_failure, first.priority) == (False, Priority.NORMAL)
    assert (second.is_repeat_failure, second.priority) == (True, Priority.HIGH)
    assert list(CaseEvent.objects.filter(case=second).values_list("kind", "data")) == [
        (EventKind.CREATED, {"channel": "web", "severity": 3, "repeat_failure": True}),
        (EventKind.ESCALATED, {"reason": "repeat_failure", "from": "normal", "to": "high"}),
    ]
    assert sorted(Notification.objects.values_list("case__reference", "user__username", "kind", "data")) == [
        ("K-2026-000002", "manager", "escalated", {"reason": "repeat_failure"}),
        ("K-2026-000002", "supervisor", "escalated", {"reason": "repeat_failure"}),
    ]


@pytest.mark.usefixtures("policy")
def test_a_returning_customer_is_a_repeat_in_the_batch_and_their_history_counts_once(
    org: Organisation, front_desk: Touchpoint, vi_customer: Customer, en_customer: Customer
) -> None:
    services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB, customer=vi_customer,
                       description=VI_TEXT, at=MONDAY_10AM - timedelta(days=30))

    cases = services.open_cases([
        web_request(org, front_desk, customer=vi_customer),
        web_request(org, front_desk, minutes=1, contact=contact(phone="+84 912 345 678")),
        web_request(org, front_desk, minutes=2, customer=en_customer),
        web_request(org, front_desk, minutes=3, contact=contact(email="emma@example.com")),
    ])

    assert [(case.customer, case.is_repeat_failure) for case in cases] == [
        (vi_customer, True), (vi_customer, True), (en_customer, False), (en_customer, True),
    ]
    assert CaseEvent.objects.filter(kind=EventKind.ESCALATED).count() == 3


@pytest.mark.usefixtures("policy")
def test_an_explicit_moment_before_the_latest_case_is_judged_by_its_own_window(
    org: Organisation, front_desk: Touchpoint, vi_customer: Customer
) -> None:
    # Cases at day 0 and day 400, then one logged afterwards for day 380: only day 0 counts for it, and that is
    # more than 365 days earlier.
    for days in (0, 400):
        services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                           customer=vi_customer, description=VI_TEXT, at=MONDAY_10AM + timedelta(days=days))

    late, early = services.open_cases([
        web_request(org, front_desk, customer=vi_customer, minutes=401 * 24 * 60),
        web_request(org, front_desk, customer=vi_customer, minutes=380 * 24 * 60),
    ])

    assert (late.is_repeat_failure, early.is_repeat_failure) == (True, False)


@pytest.mark.usefixtures("policy")
def test_an_invalid_request_refuses_the_whole_batch_and_nothing_is_written(
    org: Organisation, front_desk: Touchpoint
) -> None:
    before = counts()

    with pytest.raises(services.InvalidInput, match="Please describe what happened"):
        services.open_cases([
            web_request(org, front_desk, contact=contact(email="emma@example.com")),
            web_request(org, front_desk, description="   "),
        ])

    assert counts() == before


@pytest.mark.usefixtures("policy")
def test_a_bad_contact_is_refused_before_anything_is_written(org: Organisation, front_desk: Touchpoint) -> None:
    before = counts()

    with pytest.raises(services.InvalidInput, match="is not a valid phone number"):
        services.open_cases([web_request(org, front_desk, contact=contact(name="X", phone="12345"))])

    assert counts() == before


@pytest.mark.usefixtures("policy")
def test_open_case_and_a_batch_of_one_write_the_same_case(
    org: Organisation, front_desk: Touchpoint, rooms: Category, vi_customer: Customer, agent: User
) -> None:
    kwargs: dict[str, Any] = {"by": agent, "organisation": org, "touchpoint": front_desk, "channel": Channel.PHONE,
                              "customer": vi_customer, "category": rooms, "severity": 5, "description": VI_TEXT}
    single = services.open_case(**kwargs, at=MONDAY_10AM)
    batched = services.open_cases([services.CaseRequest(**kwargs, at=MONDAY_10AM + timedelta(days=400))])[0]

    def shape(case: Case) -> tuple[Any, ...]:
        case.refresh_from_db()
        return (case.customer_id, case.location_id, case.category_id, case.failure_type, case.language,
                case.priority, case.subject, case.created_by_id, case.sla_policy_id, case.first_response_at is not None,
                case.resolution_target_s, sorted(case.timers.values_list("kind", flat=True)))

    assert shape(single) == shape(batched)


@pytest.mark.usefixtures("policy")
def test_repeat_failures_of_a_batch_are_escalated_together_with_one_look_up_of_the_supervisors(
    org: Organisation, front_desk: Touchpoint, supervisor: User, manager: User, django_assert_num_queries: Any
) -> None:
    emails = [f"guest{n}@example.com" for n in range(3)]
    services.open_cases([web_request(org, front_desk, minutes=-60, contact=contact(email=e)) for e in emails])

    # identities; history; reference (update, read); cases; timers; events; supervisors; notifications.
    # (One by one, each escalation was four more: priority, event, supervisors, notifications.)
    with django_assert_num_queries(9):
        repeats = services.open_cases([web_request(org, front_desk, contact=contact(email=e)) for e in emails])

    assert [(case.is_repeat_failure, case.priority) for case in repeats] == [(True, Priority.HIGH)] * 3
    assert list(Case.objects.filter(pk__in=[c.pk for c in repeats]).values_list("priority", flat=True)) == [
        Priority.HIGH] * 3
    assert sorted(Notification.objects.values_list("case__reference", "user__username")) == [
        (case.reference, user) for case in repeats for user in ("manager", "supervisor")
    ]
    for case in repeats:
        assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
            EventKind.CREATED, EventKind.ESCALATED]
