"""Public form submissions arriving together in one web worker are written in one transaction (group commit),
each with its own case, status link and acknowledgement; a submission over a rate limit is refused alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from pytest_django import Settings

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Location, Organisation, Touchpoint
from kintsugi.cases.models import Case, CaseEvent, EventKind, SlaPolicy
from kintsugi.cases.tests.test_services_open_cases_batch import queued, run_threads, warm_caches
from kintsugi.comms.models import Message
from kintsugi.intake import services, touchpoints
from kintsugi.intake.limits import RateLimited
from kintsugi.intake.models import CaseAccessLink, PublicRateLimit
from kintsugi.lib.groupcommit import GroupCommitter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def grouped(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The process's submission committer, replaced by a fresh one whose first batch waits for a signal."""
    release = threading.Event()
    first = threading.Event()

    def write_batch(batch: Sequence[Any]) -> list[Any]:
        if not first.is_set():
            first.set()
            release.wait(5)
        return services._write_submissions(batch)

    committer = GroupCommitter(write_batch, write_one=services._write_submission_again)
    monkeypatch.setattr(services, "_submissions", committer)
    yield release
    release.set()


def submit(touchpoint: Touchpoint, n: int, client_ip: str, touchpoint_stamp: str | None = None) -> tuple[Case, str]:
    return services.submit_public_complaint(
        touchpoint=touchpoint, description=f"Phòng {300 + n} chưa được dọn.", severity=3,
        email=f"khach{n}@example.com", form_language="vi", client_ip=client_ip, at=MONDAY_10AM,
        touchpoint_stamp=touchpoint_stamp,
    )


def test_concurrent_submissions_share_a_transaction_and_each_gets_its_own_case_and_link(
    org: Organisation, hanoi: Location, front_desk: Touchpoint, policy: SlaPolicy, grouped: threading.Event
) -> None:
    warm_caches(org, hanoi)
    committer = services._submissions

    results = run_threads(committer, range(8), before_release=lambda: queued(committer, 7), release=grouped,
                          submit=lambda n: submit(front_desk, n, f"203.0.113.{n}"))

    assert all(isinstance(result, tuple) for result in results.values()), results
    cases = {n: case for n, (case, _raw) in results.items()}
    assert {n: case.description for n, case in cases.items()} == {
        n: f"Phòng {300 + n} chưa được dọn." for n in range(8)
    }
    assert sorted(case.reference for case in cases.values()) == [f"K-2026-{n:06d}" for n in range(1, 9)]
    assert (committer.batches, committer.items) == (2, 8)
    for n, (case, raw) in results.items():
        link = services.link_for_token(raw)
        assert link is not None
        assert link.case_id == case.pk
        message = Message.objects.get(case=case)
        assert message.recipient == f"khach{n}@example.com"
        assert services.status_url(raw) in message.body  # each acknowledgement carries its own case's link
    assert CaseAccessLink.objects.count() == 8
    assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 8


@pytest.fixture
def committer(
    org: Organisation, hanoi: Location, policy: SlaPolicy, grouped: threading.Event
) -> GroupCommitter[Any, Any]:
    """The (replaced) submission committer, with the process's caches warm."""
    warm_caches(org, hanoi)
    return services._submissions


def test_a_submission_over_the_limit_is_refused_alone_and_its_batch_is_written(
    front_desk: Touchpoint, committer: GroupCommitter[Any, Any], grouped: threading.Event, settings: Settings
) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_IP = "2/600"
    # Three submissions from one address (the third is over its limit of two) among others from elsewhere.
    addresses = {0: "198.51.100.9", 1: "203.0.113.1", 2: "198.51.100.9", 3: "203.0.113.3", 4: "198.51.100.9"}

    results = run_threads(committer, range(5), before_release=lambda: queued(committer, 4), release=grouped,
                          submit=lambda n: submit(front_desk, n, addresses[n]))

    # Whichever of the address's later two queued second is the one over the limit.
    refused = [n for n, result in results.items() if isinstance(result, RateLimited)]
    assert refused in ([2], [4])
    written = sorted(set(range(5)) - set(refused))
    assert sorted(results[n][0].description for n in written) == [
        f"Phòng {300 + n} chưa được dọn." for n in written
    ]
    assert Case.objects.count() == 4
    assert CaseAccessLink.objects.count() == 4
    assert not Message.objects.filter(recipient=f"khach{refused[0]}@example.com").exists()


def test_a_submission_made_against_an_out_of_date_touchpoint_is_refused_alone_and_not_counted(
    front_desk: Touchpoint, committer: GroupCommitter[Any, Any], grouped: threading.Event, settings: Settings
) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_IP = "3/600"
    _touchpoint, current = touchpoints.kept_touchpoint(front_desk.public_code)  # None on PostgreSQL: fresh
    # Submissions 1 and 3 were made from a copy of the touchpoint kept before a change (another stamp), all from
    # one address allowed three: only the three others count.
    stamps = {n: "before-the-change" if n in (1, 3) else current for n in range(5)}

    results = run_threads(committer, range(5), before_release=lambda: queued(committer, 4), release=grouped,
                          submit=lambda n: submit(front_desk, n, "198.51.100.9", stamps[n]))

    assert {n for n, result in results.items() if isinstance(result, services.TouchpointChanged)} == {1, 3}
    assert all(isinstance(results[n], tuple) for n in (0, 2, 4)), results
    assert sorted(Case.objects.values_list("description", flat=True)) == [
        f"Phòng {300 + n} chưa được dọn." for n in (0, 2, 4)
    ]
    assert not Message.objects.filter(recipient__in=["khach1@example.com", "khach3@example.com"]).exists()
    assert PublicRateLimit.objects.get(key__startswith="ip:").hits == 3  # the refused were not counted


def test_a_lone_submission_against_an_out_of_date_touchpoint_writes_nothing(
    org: Organisation, hanoi: Location, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    with pytest.raises(services.TouchpointChanged):
        submit(front_desk, 1, "198.51.100.9", "before-the-change")

    assert not Case.objects.exists()
    assert not PublicRateLimit.objects.exists()
    assert not Message.objects.exists()
