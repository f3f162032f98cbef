"""reply and receive_message: the first answer stops the first-response clock; replies go out on the right channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer, EventKind, SlaPolicy, Status, Timer, TimerState
from kintsugi.comms.models import DeliveryStatus, Direction, Message, Notification
from kintsugi.recovery.testing import complete_steps

LATER = MONDAY_10AM + timedelta(minutes=20)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def open_case(org: Organisation, touchpoint: Touchpoint, channel: str, customer: Customer | None,
              by: User | None = None) -> Case:
    return services.open_case(by=by, organisation=org, touchpoint=touchpoint, channel=channel, customer=customer,
                              description="The air conditioning does not work.", at=MONDAY_10AM)


@pytest.fixture
def web_case(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Customer) -> Case:
    return open_case(org, front_desk, Channel.WEB, en_customer)


# ------------------------------------------------------------------------------------------ first response


def test_first_reply_answers_the_case(web_case: Case, agent: User) -> None:
    message = services.reply(web_case, "  We are sending someone now.  ", by=agent, at=LATER)

    web_case.refresh_from_db()
    assert (web_case.first_response_at, web_case.status, web_case.assignee, web_case.updated_at) == (
        LATER, Status.IN_PROGRESS, agent, LATER
    )
    assert web_case.sla_sort == web_case.resolution_due_at == utc(11, 17, 2, 0)
    assert web_case.sla_warn_at == utc(11, 16, 9, 0)
    event = web_case.events.get(kind=EventKind.MESSAGE_OUT)
    assert (event.actor, event.body, event.is_customer_visible, event.created_at, event.data) == (
        agent, "We are sending someone now.", True, LATER, {"message_id": message.pk, "channel": "email"}
    )


def test_first_reply_cancels_the_first_response_timers(web_case: Case, agent: User) -> None:
    services.reply(web_case, "We are on it.", by=agent, at=LATER)

    assert list(
        Timer.objects.filter(case=web_case, state=TimerState.PENDING).values_list("kind", "due_at", "then_due_at")
    ) == [("res_warning", utc(11, 16, 9, 0), utc(11, 17, 2, 0))]
    assert list(Timer.objects.filter(case=web_case, kind__startswith="fr_").values_list("kind", "state")) == [
        ("fr_warning", "cancelled"),
    ]


def test_a_later_reply_keeps_the_first_response_time(web_case: Case, agent: User, supervisor: User) -> None:
    services.reply(web_case, "We are on it.", by=agent, at=LATER)
    services.change_status(web_case, Status.AWAITING_CUSTOMER, by=agent, at=LATER + timedelta(minutes=1))
    timers = Timer.objects.count()

    services.reply(web_case, "Any news?", by=supervisor, at=LATER + timedelta(hours=1))

    web_case.refresh_from_db()
    assert (web_case.first_response_at, web_case.assignee, web_case.status) == (
        LATER, agent, Status.AWAITING_CUSTOMER
    )
    assert Timer.objects.count() == timers
    assert web_case.events.filter(kind=EventKind.MESSAGE_OUT).count() == 2


def test_reply_to_a_reopened_case_puts_it_back_in_progress(web_case: Case, agent: User) -> None:
    services.reply(web_case, "Fixed.", by=agent, at=LATER)
    complete_steps(web_case, by=agent)
    services.resolve(web_case, by=agent, at=LATER + timedelta(minutes=1))
    services.reopen(web_case, by=None, at=LATER + timedelta(minutes=2))

    services.reply(web_case, "Looking again.", by=agent, at=LATER + timedelta(minutes=3))

    web_case.refresh_from_db()
    assert (web_case.status, web_case.first_response_at) == (Status.IN_PROGRESS, LATER)


@pytest.mark.parametrize("body", ["", "   \n", "x" * (services.MAX_MESSAGE + 1)])
def test_empty_or_overlong_reply_is_refused(web_case: Case, agent: User, body: str) -> None:
    with pytest.raises(services.InvalidInput):
        services.reply(web_case, body, by=agent, at=LATER)

    web_case.refresh_from_db()
    assert (web_case.first_response_at, web_case.status, Message.objects.count()) == (None, Status.NEW, 0)


def test_reply_on_a_closed_case_is_refused(web_case: Case, agent: User) -> None:
    complete_steps(web_case, by=agent)
    services.resolve(web_case, by=agent, at=LATER)
    services.close_case(web_case, by=agent, at=LATER)
    events = CaseEvent.objects.count()

    with pytest.raises(services.InvalidTransition, match="closed"):
        services.reply(web_case, "One more thing.", by=agent, at=LATER + timedelta(minutes=1))

    web_case.refresh_from_db()
    assert (web_case.status, web_case.first_response_at, web_case.updated_at) == (Status.CLOSED, None, LATER)
    assert (Message.objects.count(), CaseEvent.objects.count()) == (0, events)


# ------------------------------------------------------------------------------------------ routing


def test_web_case_of_an_email_customer_is_answered_by_email(
    web_case: Case, agent: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.reply(web_case, "We are sending someone now.", by=agent, at=LATER)

    message.refresh_from_db()
    assert len(callbacks) == 1
    assert (message.direction, message.channel, message.recipient, message.status, message.attempts) == (
        Direction.OUTBOUND, Channel.EMAIL, "emma@example.com", DeliveryStatus.SENT, 1
    )
    assert message.sent_at is not None
    assert message.subject == "[K-2026-000001] The air conditioning does not work."
    [email] = mail.outbox
    assert (email.to, email.from_email, email.subject, email.body) == (
        ["emma@example.com"], "care@kintsugi.local", "[K-2026-000001] The air conditioning does not work.",
        "We are sending someone now.\n\n-- \nK-2026-000001 · Lotus Test Hotels\n",
    )
    assert email.extra_headers == {"Message-ID": f"<{message.external_id}>", "X-Kintsugi-Case": "K-2026-000001"}


def test_nothing_is_sent_before_the_transaction_commits(web_case: Case, agent: User) -> None:
    message = services.reply(web_case, "We are sending someone now.", by=agent, at=LATER)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (DeliveryStatus.QUEUED, 0, LATER)
    assert mail.outbox == []


def test_line_case_reply_fails_because_line_is_not_connected(
    org: Organisation, bangkok_desk: Touchpoint, policy: SlaPolicy, th_customer: Customer, bangkok_agent: User,
    supervisor: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = open_case(org, bangkok_desk, Channel.LINE, th_customer)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.reply(case, "ขออภัยค่ะ", by=bangkok_agent, at=LATER)

    reason = "LINE is not connected yet; tell the customer another way."
    message.refresh_from_db()
    assert (message.channel, message.recipient, message.status, message.attempts, message.error) == (
        Channel.LINE, "U4af4980629", DeliveryStatus.FAILED, 1, reason
    )
    assert message.next_attempt_at is None
    event = case.events.get(kind=EventKind.MESSAGE_STATUS)
    assert (event.body, event.actor, event.data) == (
        reason, None, {"message_id": message.pk, "status": "failed", "channel": "line"}
    )
    notes = list(Notification.objects.values_list("user__username", "kind", "data"))
    assert notes == [("bkk_agent", "delivery_failed", {"reason": reason})]
    case.refresh_from_db()
    assert case.first_response_at == LATER  # the agent did answer; only the delivery failed
    assert mail.outbox == []


def test_email_case_without_an_address_fails_at_once(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer, agent: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = open_case(org, front_desk, Channel.EMAIL, vi_customer)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.reply(case, "Xin lỗi quý khách.", by=agent, at=LATER)

    message.refresh_from_db()
    assert (message.channel, message.recipient, message.status, message.error) == (
        Channel.EMAIL, "", DeliveryStatus.FAILED, "The customer gave no email address; reach them another way."
    )
    assert list(Notification.objects.values_list("user__username", "kind")) == [("agent", "delivery_failed")]


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.IN_PERSON])
def test_phone_and_walk_in_replies_are_recorded_not_sent(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer, agent: User, channel: str,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = open_case(org, front_desk, channel, vi_customer, by=agent)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.reply(case, "Told the guest we will move them.", by=agent, at=LATER)

    message.refresh_from_db()
    assert (message.channel, message.recipient, message.status, message.sent_at, message.next_attempt_at) == (
        channel, "", DeliveryStatus.RECORDED, LATER, None
    )
    assert callbacks == []
    case.refresh_from_db()
    assert case.first_response_at == MONDAY_10AM  # logged by staff: answered when it was written down


def test_web_case_without_email_is_answered_on_the_status_page(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer, agent: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = open_case(org, front_desk, Channel.WEB, vi_customer)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.reply(case, "Chúng tôi xin lỗi.", by=agent, at=LATER)

    message.refresh_from_db()
    assert (message.channel, message.recipient, message.status, message.sent_at, message.language) == (
        Channel.WEB, "", DeliveryStatus.SENT, LATER, "en"
    )
    assert callbacks == []
    assert mail.outbox == []


# ------------------------------------------------------------------------------------------ receive


def test_customer_message_joins_the_case_and_the_assignee_is_told(web_case: Case, agent: User) -> None:
    services.reply(web_case, "We are on it.", by=agent, at=LATER)

    message = services.receive_message(web_case, "  Thank you, still waiting.  ", at=LATER + timedelta(hours=1))

    message.refresh_from_db()
    assert (message.direction, message.channel, message.status, message.body, message.author) == (
        Direction.INBOUND, Channel.WEB, DeliveryStatus.RECEIVED, "Thank you, still waiting.", None
    )
    event = web_case.events.get(kind=EventKind.MESSAGE_IN)
    assert (event.actor, event.is_customer_visible, event.body, event.data) == (
        None, True, "Thank you, still waiting.", {"message_id": message.pk, "channel": "web"}
    )
    web_case.refresh_from_db()
    assert (web_case.status, web_case.updated_at) == (Status.IN_PROGRESS, LATER + timedelta(hours=1))
    assert list(Notification.objects.values_list("user__username", "kind")) == [("agent", "customer_replied")]


def test_customer_message_on_an_unassigned_case_tells_nobody(web_case: Case) -> None:
    services.receive_message(web_case, "Hello?", at=LATER, channel=Channel.EMAIL)

    web_case.refresh_from_db()
    assert (web_case.status, web_case.first_response_at) == (Status.NEW, None)
    assert Message.objects.get().channel == Channel.EMAIL
    assert Notification.objects.count() == 0


def test_empty_customer_message_is_refused(web_case: Case) -> None:
    with pytest.raises(services.InvalidInput):
        services.receive_message(web_case, "  ", at=LATER)

    assert (Message.objects.count(), web_case.events.count()) == (0, 1)
