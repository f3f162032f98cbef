"""deliver and requeue_due_messages: send once, retry transient failures with backoff, give up in the end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from pytest_django import Settings

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer, EventKind, SlaPolicy
from kintsugi.comms.models import DeliveryStatus, Message, Notification
from kintsugi.comms.services import FRESH_GRACE, MAX_ATTEMPTS, deliver, requeue_due_messages

T = MONDAY_10AM + timedelta(minutes=5)
SECOND = timedelta(seconds=1)
REFUSED = "Could not reach the mail server: Connection refused"
BROKEN = "kintsugi.comms.tests.test_deliver.RefusingBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: the connection is refused."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("Connection refused")


def use_mailer(settings: Settings, backend: str) -> None:
    settings.MAILERS = {"default": {"BACKEND": backend}}


@pytest.fixture
def email_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Customer) -> Case:
    return services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.EMAIL,
                              customer=en_customer, description="The room was not cleaned.", at=MONDAY_10AM)


@pytest.fixture
def queued(email_case: Case, agent: User) -> Message:
    """A reply in the outbox; its send task has not run (the test transaction never commits)."""
    message: Message = services.reply(email_case, "We are very sorry.", by=agent, at=MONDAY_10AM)
    return message


def test_deliver_sends_a_queued_message_once(queued: Message) -> None:
    assert deliver(queued.pk, now=T) == "sent"
    assert deliver(queued.pk, now=T + SECOND) == "skipped"

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.sent_at, queued.error, queued.next_attempt_at) == (
        DeliveryStatus.SENT, 1, T, "", None
    )
    assert [(email.to, email.body) for email in mail.outbox] == [
        (["emma@example.com"], "We are very sorry.\n\n-- \nK-2026-000001 · Lotus Test Hotels\n")
    ]


def test_deliver_leaves_inbound_messages_alone(email_case: Case) -> None:
    inbound = services.receive_message(email_case, "Hello?", at=T)

    assert deliver(inbound.pk, now=T) == "skipped"
    inbound.refresh_from_db()
    assert (inbound.status, inbound.attempts) == (DeliveryStatus.RECEIVED, 0)


def test_a_transient_failure_is_retried_after_30_seconds(queued: Message, settings: Settings) -> None:
    use_mailer(settings, BROKEN)

    assert deliver(queued.pk, now=T) == "retry"

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.error, queued.next_attempt_at, queued.sent_at) == (
        DeliveryStatus.QUEUED, 1, REFUSED, T + timedelta(seconds=30), None
    )
    assert CaseEvent.objects.filter(kind=EventKind.MESSAGE_STATUS).count() == 0
    assert Notification.objects.count() == 0


def test_backoff_doubles_and_delivery_gives_up_after_max_attempts(
    queued: Message, email_case: Case, settings: Settings
) -> None:
    use_mailer(settings, BROKEN)
    outcomes, delays = [], []
    now = T
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(deliver(queued.pk, now=now))
        queued.refresh_from_db()
        if queued.next_attempt_at is not None:
            delays.append((queued.next_attempt_at - now).total_seconds())
            now = queued.next_attempt_at

    assert MAX_ATTEMPTS == 6
    assert outcomes == ["retry"] * 5 + ["failed"]
    assert delays == [30, 60, 120, 240, 480]
    assert (queued.status, queued.attempts, queued.next_attempt_at, queued.error) == (
        DeliveryStatus.FAILED, 6, None, REFUSED
    )
    event = email_case.events.get(kind=EventKind.MESSAGE_STATUS)
    assert (event.body, event.created_at, event.data) == (
        REFUSED, now, {"message_id": queued.pk, "status": "failed", "channel": "email"}
    )
    # The author is also the assignee (the reply took the case): told once.
    assert list(Notification.objects.values_list("user__username", "kind", "data")) == [
        ("agent", "delivery_failed", {"reason": REFUSED})
    ]
    assert deliver(queued.pk, now=now + timedelta(hours=1)) == "skipped"


def test_author_and_assignee_are_both_told_of_a_failure(
    email_case: Case, agent: User, supervisor: User, settings: Settings
) -> None:
    services.assign(email_case, agent, by=supervisor, at=MONDAY_10AM)
    message = services.reply(email_case, "Sorry.", by=supervisor, at=MONDAY_10AM)
    Message.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    use_mailer(settings, BROKEN)

    assert deliver(message.pk, now=T) == "failed"

    assert sorted(Notification.objects.filter(kind="delivery_failed").values_list("user__username", flat=True)) == [
        "agent", "supervisor",
    ]


def test_requeue_picks_a_retry_when_its_time_comes(queued: Message, settings: Settings) -> None:
    use_mailer(settings, BROKEN)
    deliver(queued.pk, now=T)
    use_mailer(settings, WORKING)

    assert requeue_due_messages(now=T + timedelta(seconds=29)) == 0
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (DeliveryStatus.QUEUED, 1)

    assert requeue_due_messages(now=T + timedelta(seconds=30)) == 1

    queued.refresh_from_db()  # the test task backend runs the send at once
    assert (queued.status, queued.attempts, queued.error) == (DeliveryStatus.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_requeue_gives_a_fresh_message_time_for_its_own_task(queued: Message) -> None:
    """A just-queued message has its send task on the way after commit: only a lost one is picked up."""
    assert requeue_due_messages(now=MONDAY_10AM + FRESH_GRACE - SECOND) == 0

    assert requeue_due_messages(now=MONDAY_10AM + FRESH_GRACE) == 1

    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (DeliveryStatus.SENT, 1)


def test_requeue_leaves_sent_and_failed_messages_alone(queued: Message, email_case: Case, agent: User) -> None:
    deliver(queued.pk, now=T)
    failed = services.reply(email_case, "Second try.", by=agent, at=MONDAY_10AM)
    Message.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED)

    assert requeue_due_messages(now=T + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_sends_held_collects_instead_of_sending(
    case: Case, agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    from kintsugi.comms.services import queue_outbound, sends_held

    services.find_or_create_customer(organisation=case.organisation, email="hoa@example.com",
                                     phone="0912 345 678")
    case.channel = "email"
    case.save(update_fields=["channel"])
    with sends_held() as held, django_capture_on_commit_callbacks(execute=True):
        message = queue_outbound(case, "Dạ em xin lỗi anh chị.", by=agent)
    message.refresh_from_db()
    assert held == [message.pk]
    assert message.status == DeliveryStatus.QUEUED
