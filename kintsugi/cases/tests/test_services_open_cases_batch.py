"""open_cases and open_case_grouped: many cases in one transaction (references in order, customers found or
created by contact, repeat failures within the batch), and the group committer that batches concurrent requests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection

from conftest import MONDAY_10AM, wait_until
from kintsugi.accounts import access
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import selectors, services, triage
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
    SlaPolicy,
    Timer,
)
from kintsugi.comms.models import Notification
from kintsugi.lib.groupcommit import GroupCommitter

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


def contact(**kwargs: str) -> services.CustomerContact:
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
        (f"K-2026-00000{n}", EventKind.CREATED) for n in range(1, 6)
    ]


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


# --------------------------------------------------------------------------------------------- group commit


def test_the_committer_gives_each_thread_its_own_result_and_writes_in_batches() -> None:
    release = threading.Event()
    batches: list[list[int]] = []

    def write_batch(items: Sequence[int]) -> list[int]:
        if not batches:
            release.wait(5)  # hold the first batch until the others are queued behind it
        batches.append(list(items))
        return [item * 10 for item in items]

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch)
    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 5), release=release)

    assert results == {n: n * 10 for n in range(6)}
    assert sorted(len(batch) for batch in batches) == [1, 5]
    assert sorted(item for batch in batches for item in batch) == list(range(6))


def test_one_failing_item_fails_alone_and_the_rest_of_its_batch_is_written_one_by_one() -> None:
    release = threading.Event()
    written: list[int] = []

    def write_batch(items: Sequence[int]) -> list[int]:
        if not written and items == [0]:
            release.wait(5)
        if 3 in items and len(items) > 1:
            raise IntegrityError("one of these breaks the batch")
        return write_one_list(items)

    def write_one_list(items: Sequence[int]) -> list[int]:
        if 3 in items:
            raise ValueError("item 3 is bad")
        written.extend(items)
        return list(items)

    committer: GroupCommitter[int, int] = GroupCommitter(write_batch)
    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 5), release=release)

    assert isinstance(results.pop(3), ValueError)
    assert results == {n: n for n in (0, 1, 2, 4, 5)}
    assert sorted(written) == [0, 1, 2, 4, 5]


def test_submitting_from_inside_a_batch_is_refused_rather_than_waiting_for_itself() -> None:
    committer: GroupCommitter[int, int] = GroupCommitter(lambda items: [committer.submit(item) for item in items])

    with pytest.raises(RuntimeError, match="called from inside write_batch"):
        committer.submit(1)

    assert committer._busy is False


def queued(committer: GroupCommitter[Any, Any], n: int) -> bool:
    return len(committer._queue) >= n


def run_threads(
    committer: GroupCommitter[Any, Any], items: Any, *, before_release: Callable[[], bool], release: threading.Event,
    submit: Callable[[Any], Any] | None = None,
) -> dict[Any, Any]:
    """Submit each item from its own thread, the first one first; release the first batch once the others wait."""
    results: dict[Any, Any] = {}
    submit = submit or committer.submit

    def run(item: Any) -> None:
        try:
            results[item] = submit(item)
        except Exception as exc:
            results[item] = exc
        finally:
            connection.close()

    items = list(items)
    first = threading.Thread(target=run, args=(items[0],))
    first.start()
    wait_until(lambda: committer.batches >= 1 or committer._busy)
    others = [threading.Thread(target=run, args=(item,)) for item in items[1:]]
    for thread in others:
        thread.start()
    wait_until(before_release)
    release.set()
    for thread in [first, *others]:
        thread.join(10)
    return results


@pytest.fixture
def grouped(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The process's case committer, replaced by a fresh one whose first batch waits for a signal."""
    release = threading.Event()
    first = threading.Event()

    def write_batch(batch: Sequence[Any]) -> list[Case]:
        if not first.is_set():
            first.set()
            release.wait(5)
        return services._commit_cases(batch)

    committer = GroupCommitter(write_batch, write_one=services._commit_case_again)
    monkeypatch.setattr(services, "_case_committer", committer)
    yield release
    release.set()


def warm_caches(org: Organisation, location: Location, *users: User) -> None:
    # Threads then prepare their cases without reading the database (only the leader's batch does), and without
    # waiting a second for the language model.
    triage.warm_up()
    selectors.calendar_for(location)
    for severity in range(1, 6):
        selectors.sla_policy_for(org.pk, severity, Channel.API)
    for user in users:
        access.location_scope(user)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_each_open_one_case_with_distinct_consecutive_references(
    org: Organisation, hanoi: Location, policy: SlaPolicy, supervisor: User, grouped: threading.Event
) -> None:
    warm_caches(org, hanoi, supervisor)
    committer = services._case_committer
    requests = {
        n: services.CaseRequest(by=supervisor, organisation=org, location=hanoi, channel=Channel.API,
                                description=f"Complaint number {n}: the air conditioning does not work.",
                                contact=contact(name=f"Guest {n}", email=f"guest{n % 5}@example.com"))
        for n in range(12)
    }

    results = run_threads(committer, requests, before_release=lambda: queued(committer, 11), release=grouped,
                          submit=lambda n: services.open_case_grouped(requests[n]))

    assert all(isinstance(case, Case) for case in results.values()), results
    assert {n: case.description for n, case in results.items()} == {n: r.description for n, r in requests.items()}
    assert sorted(case.reference for case in results.values()) == [f"K-2026-{n:06d}" for n in range(1, 13)]
    assert Case.objects.count() == 12
    assert CaseCounter.objects.get().last_number == 12
    assert (committer.batches, committer.items) == (2, 12)
    # Five customers, found again by email: the second case of each within the window is a repeat failure.
    assert Customer.objects.count() == 5
    assert Case.objects.filter(is_repeat_failure=True).count() == 7
    assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 12


@pytest.mark.django_db(transaction=True)
def test_a_request_that_breaks_the_batch_fails_alone_and_the_others_are_opened(
    org: Organisation, hanoi: Location, policy: SlaPolicy, supervisor: User, rooms: Category,
    grouped: threading.Event,
) -> None:
    warm_caches(org, hanoi, supervisor)
    committer = services._case_committer
    gone = Category.objects.create(organisation=org, code="gone", name="Gone")
    requests = {
        n: services.CaseRequest(by=supervisor, organisation=org, location=hanoi, channel=Channel.API,
                                description=f"Complaint number {n}.", category=gone if n == 3 else rooms,
                                contact=contact(email=f"guest{n}@example.com"))
        for n in range(6)
    }
    # Valid when it was prepared, but its category is deleted before the batch is written.
    Category.objects.filter(pk=gone.pk).delete()

    def submit(n: int) -> Any:
        if n == 5:
            return services.open_case_grouped(services.CaseRequest(
                by=supervisor, organisation=org, location=hanoi, channel=Channel.API, description=" "))
        return services.open_case_grouped(requests[n])

    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 4), release=grouped,
                          submit=submit)

    assert isinstance(results.pop(3), IntegrityError)
    assert isinstance(results.pop(5), services.InvalidInput)  # refused before it was queued
    assert sorted(case.description for case in results.values()) == [f"Complaint number {n}." for n in (0, 1, 2, 4)]
    assert sorted(Case.objects.values_list("description", flat=True)) == [
        f"Complaint number {n}." for n in (0, 1, 2, 4)
    ]
    assert Customer.objects.count() == 4
    assert CaseEvent.objects.count() == 4
