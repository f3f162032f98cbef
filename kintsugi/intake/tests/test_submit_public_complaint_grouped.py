"""Public form submissions arriving together in one web worker are written in one transaction (group commit),
each with its own case, status link and acknowledgement; a submission over a rate limit is refused alone."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_django import Settings

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Location, Organisation, Touchpoint
from kintsugi.cases.models import Case, CaseEvent, EventKind, SlaPolicy
from kintsugi.cases.tests.test_open_cases_grouped import warm_caches
from kintsugi.comms.models import Message
from kintsugi.db.grouped import GroupCommitter, grouped
from kintsugi.db.tests.threads import queued, run_threads
from kintsugi.intake import services
from kintsugi.intake.limits import RateLimited
from kintsugi.intake.models import CaseAccessLink

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committer(org: Organisation, hanoi: Location, policy: SlaPolicy) -> Iterator[Committer]:
    """A fresh grouped submit_public_complaints, as the form view has, whose first batch waits for a signal so the
    others queue behind it; the process's caches warm."""
    warm_caches(org, hanoi)
    release = threading.Event()
    first = threading.Event()

    def write_batch(batch: Sequence[services.PublicComplaint]) -> list[Any]:
        if not first.is_set():
            first.set()
            release.wait(5)
        return services.submit_public_complaints(batch, at=MONDAY_10AM)

    submit = grouped(write_batch)
    yield Committer(submit, submit.committer, release)  # type: ignore[attr-defined]
    release.set()


@dataclass
class Committer:
    submit: Callable[[services.PublicComplaint], tuple[Case, str]]
    committer: GroupCommitter[Any, Any]
    release: threading.Event

    def run(self, touchpoint: Touchpoint, items: range, *, queued_behind: int,
            ip: Callable[[int], str]) -> dict[int, Any]:
        """Submit complaint n from its own thread and address; the first batch is released once `queued_behind`
        others wait behind it."""
        return run_threads(self.committer, items, before_release=lambda: queued(self.committer, queued_behind),
                           release=self.release, submit=lambda n: self.submit(complaint(touchpoint, n, ip(n))))


def complaint(touchpoint: Touchpoint, n: int, client_ip: str) -> services.PublicComplaint:
    return services.PublicComplaint(
        touchpoint=touchpoint, description=f"Phòng {300 + n} chưa được dọn.", severity=3,
        email=f"khach{n}@example.com", form_language="vi", client_ip=client_ip,
    )


def test_concurrent_submissions_share_a_transaction_and_each_gets_its_own_case_and_link(
    front_desk: Touchpoint, committer: Committer
) -> None:
    results = committer.run(front_desk, range(8), queued_behind=7, ip=lambda n: f"203.0.113.{n}")

    assert all(isinstance(result, tuple) for result in results.values()), results
    cases = {n: case for n, (case, _raw) in results.items()}
    assert {n: case.description for n, case in cases.items()} == {
        n: f"Phòng {300 + n} chưa được dọn." for n in range(8)
    }
    assert sorted(case.reference for case in cases.values()) == [f"K-2026-{n:06d}" for n in range(1, 9)]
    assert (committer.committer.batches, committer.committer.items) == (2, 8)
    for n, (case, raw) in results.items():
        link = services.link_for_token(raw)
        assert link is not None
        assert link.case_id == case.pk
        message = Message.objects.get(case=case)
        assert message.recipient == f"khach{n}@example.com"
        assert services.status_url(raw) in message.body  # each acknowledgement carries its own case's link
    assert CaseAccessLink.objects.count() == 8
    assert CaseEvent.objects.filter(kind=EventKind.CREATED).count() == 8


def test_a_submission_over_the_limit_is_refused_alone_and_its_batch_is_written(
    front_desk: Touchpoint, committer: Committer, settings: Settings
) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_IP = "2/600"
    # Three submissions from one address (the third is over its limit of two) among others from elsewhere.
    addresses = {0: "198.51.100.9", 1: "203.0.113.1", 2: "198.51.100.9", 3: "203.0.113.3", 4: "198.51.100.9"}

    results = committer.run(front_desk, range(5), queued_behind=4, ip=addresses.__getitem__)

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
