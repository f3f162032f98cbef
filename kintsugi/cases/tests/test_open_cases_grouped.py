"""Cases opened by many threads at once through group commit, as the API's create view opens them
(`grouped(services.open_cases)`): distinct consecutive references, customers found across the batch, and a request
that breaks the batch fails alone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.db import IntegrityError

from kintsugi.accounts import access
from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases import selectors, services, triage
from kintsugi.cases.models import Case, CaseCounter, CaseEvent, Category, Channel, Customer, EventKind, SlaPolicy
from kintsugi.db.grouped import GroupCommitter, grouped
from kintsugi.db.tests.threads import queued, run_threads

type Open = Callable[[services.CaseRequest], Case]


@pytest.fixture
def open_grouped() -> Iterator[tuple[Open, GroupCommitter[Any, Any], threading.Event]]:
    """A fresh grouped open_cases whose first batch waits for a signal, so the others queue behind it."""
    release = threading.Event()
    first = threading.Event()

    def write_batch(batch: Sequence[services.CaseRequest]) -> list[Case]:
        if not first.is_set():
            first.set()
            release.wait(5)
        return services.open_cases(batch)

    submit = grouped(write_batch)
    yield submit, submit.committer, release  # type: ignore[attr-defined]
    release.set()


def warm_caches(org: Organisation, location: Location, *users: User) -> None:
    # The threads then wait in the queue, not for the language model's first load.
    triage.warm_up()
    selectors.calendar_for(location)
    for severity in range(1, 6):
        selectors.sla_policy_for(org.pk, severity, Channel.API)
    for user in users:
        access.location_scope(user)


def api_request(supervisor: User, org: Organisation, hanoi: Location, description: str,
                **kwargs: Any) -> services.CaseRequest:
    return services.CaseRequest(by=supervisor, organisation=org, location=hanoi, channel=Channel.API,
                                description=description, **kwargs)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_each_open_one_case_with_distinct_consecutive_references(
    org: Organisation, hanoi: Location, policy: SlaPolicy, supervisor: User,
    open_grouped: tuple[Open, GroupCommitter[Any, Any], threading.Event],
) -> None:
    submit, committer, release = open_grouped
    warm_caches(org, hanoi, supervisor)
    requests = {
        n: api_request(supervisor, org, hanoi, f"Complaint number {n}: the air conditioning does not work.",
                       contact=services.CustomerContact(name=f"Guest {n}", email=f"guest{n % 5}@example.com"))
        for n in range(12)
    }

    results = run_threads(committer, requests, before_release=lambda: queued(committer, 11), release=release,
                          submit=lambda n: submit(requests[n]))

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
    open_grouped: tuple[Open, GroupCommitter[Any, Any], threading.Event],
) -> None:
    submit, committer, release = open_grouped
    warm_caches(org, hanoi, supervisor)
    gone = Category.objects.create(organisation=org, code="gone", name="Gone")
    requests = {
        n: api_request(supervisor, org, hanoi, f"Complaint number {n}.", category=gone if n == 3 else rooms,
                       contact=services.CustomerContact(email=f"guest{n}@example.com"))
        for n in range(6)
    }
    requests[5] = api_request(supervisor, org, hanoi, " ")  # refused by validation
    # Valid when the request was made, but its category is deleted before the batch is written.
    Category.objects.filter(pk=gone.pk).delete()

    results = run_threads(committer, range(6), before_release=lambda: queued(committer, 5), release=release,
                          submit=lambda n: submit(requests[n]))

    assert isinstance(results.pop(3), IntegrityError)
    assert isinstance(results.pop(5), services.InvalidInput)
    assert sorted(case.description for case in results.values()) == [f"Complaint number {n}." for n in (0, 1, 2, 4)]
    assert sorted(Case.objects.values_list("description", flat=True)) == [
        f"Complaint number {n}." for n in (0, 1, 2, 4)
    ]
    assert Customer.objects.count() == 4
    assert CaseEvent.objects.count() == 4
    assert CaseCounter.objects.get().last_number == 4  # the failed batch's numbers were rolled back with it
