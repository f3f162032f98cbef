"""Email out, end to end against a real SMTP server: a customer's mail comes in through the inbound pipeline, staff
answer, and what the server receives is read back as the customer's client would read it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pytest_django import Settings

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, Customer, EventKind, SlaPolicy
from kintsugi.comms.delivery import deliver
from kintsugi.comms.mailids import message_id_for
from kintsugi.comms.models import ChannelConnection, DeliveryStatus, Direction, Message, Notification
from kintsugi.comms.services import requeue_due_messages
from kintsugi.comms.tests.conftest import SMTP_USER, closed_port, use_default_smtp
from kintsugi.comms.tests.smtpserver import Received, SmtpServer
from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.inbound import pipeline
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.intake.tests.inbound.conftest import mail

T = MONDAY_10AM + timedelta(minutes=5)


def customer_writes(mailbox: ChannelConnection, raw: bytes, *, at: datetime = MONDAY_10AM) -> None:
    """The customer's mail arrives in the mailbox and goes through the inbound pipeline."""
    ids = store_payloads(mailbox, [Arrival(external_id_of(raw), raw, received_at=at)])
    pipeline.process_payloads(ids)


@pytest.fixture
def mailed_case(smtp_mailbox: ChannelConnection) -> Case:
    """A Vietnamese customer's complaint by email, its acknowledgement queued (not sent yet)."""
    customer_writes(smtp_mailbox, mail())
    return Case.objects.get()


def acknowledgement(case: Case) -> Message:
    return Message.objects.get(case=case, direction=Direction.OUTBOUND, author=None)


def only(server: SmtpServer) -> Received:
    [received] = server.received
    return received


def test_a_staff_reply_arrives_threaded_in_the_customers_client(
    mailed_case: Case, agent: User, smtp_server: SmtpServer
) -> None:
    reply = services.reply(mailed_case, "Dạ, chúng tôi xin lỗi anh chị.\n\nXem thêm: https://hotel.example/help",
                           by=agent, at=T)

    assert deliver(reply.pk, now=T) == "sent"

    received = only(smtp_server)
    assert (received.mail_from, received.rcpt_tos, received.login) == (
        "care@hotel.example", ("lan@example.vn",), SMTP_USER
    )
    email = received.message
    [sender] = email["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Lotus Hà Nội", "care@hotel.example")
    assert received.header("To") == "lan@example.vn"
    assert received.header("Subject") == "Re: Phòng bẩn [K-2026-000001]"
    assert received.header("Message-ID") == f"<{message_id_for(reply.pk)}>"
    assert received.header("In-Reply-To") == "<m1@example.vn>"
    assert received.header("References") == "<m1@example.vn>"
    assert received.header("X-Kintsugi-Case") == "K-2026-000001"
    assert email["Auto-Submitted"] is None  # a person wrote it
    assert email.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in email.iter_parts()] == ["text/plain", "text/html"]
    assert received.text == (
        "Dạ, chúng tôi xin lỗi anh chị.\n\nXem thêm: https://hotel.example/help\n\n-- \n"
        "K-2026-000001 · Lotus Test Hotels\nHãy trả lời email này để gửi thư cho chúng tôi.\n"
    )
    page = received.html
    assert '<html lang="vi" dir="ltr">' in page
    assert "<p>Dạ, chúng tôi xin lỗi anh chị.</p>" in page
    assert ('<p>Xem thêm: <a href="https://hotel.example/help" rel="nofollow">https://hotel.example/help</a></p>'
            in page)
    assert "<strong style=\"color:#1f2328;\">K-2026-000001</strong> · Lotus Test Hotels" in page
    reply.refresh_from_db()
    assert (reply.status, reply.external_id, reply.error) == (DeliveryStatus.SENT, message_id_for(reply.pk), "")


def test_the_acknowledgement_is_marked_automatic_and_answers_the_customers_mail(
    mailed_case: Case, smtp_server: SmtpServer
) -> None:
    ack = acknowledgement(mailed_case)

    assert deliver(ack.pk, now=T) == "sent"

    received = only(smtp_server)
    assert received.header("Subject") == "Re: Phòng bẩn [K-2026-000001]"
    assert (received.header("Auto-Submitted"), received.header("X-Auto-Response-Suppress")) == ("auto-replied", "All")
    assert received.header("In-Reply-To") == "<m1@example.vn>"
    assert received.header("Message-ID") == f"<{message_id_for(ack.pk)}>"


def test_the_customers_answer_joins_the_case_and_the_next_reply_names_the_whole_conversation(
    mailed_case: Case, smtp_mailbox: ChannelConnection, agent: User, smtp_server: SmtpServer
) -> None:
    ack = acknowledgement(mailed_case)
    deliver(ack.pk, now=T)
    ours = message_id_for(ack.pk)
    customer_writes(smtp_mailbox, mail("Re: Phòng bẩn [K-2026-000001]", "Tôi vẫn đang chờ.", message_id="m2@example.vn",
                                       headers={"In-Reply-To": f"<{ours}>", "References": f"<m1@example.vn> <{ours}>"}),
                    at=T + timedelta(minutes=1))
    assert Case.objects.count() == 1
    reply = services.reply(mailed_case, "Nhân viên đang lên phòng.", by=agent, at=T + timedelta(minutes=2))

    deliver(reply.pk, now=T + timedelta(minutes=2))

    received = smtp_server.received[-1]
    assert received.header("In-Reply-To") == "<m2@example.vn>"
    assert received.header("References") == f"<m1@example.vn> <{ours}> <m2@example.vn>"
    assert received.header("Subject") == "Re: Phòng bẩn [K-2026-000001]"


def test_a_refused_recipient_fails_the_message_with_the_reason_on_the_timeline(
    mailed_case: Case, agent: User, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse("lan@example.vn", "550 5.1.1 <lan@example.vn>: Recipient address rejected")
    reply = services.reply(mailed_case, "Dạ, chúng tôi xin lỗi.", by=agent, at=T)

    assert deliver(reply.pk, now=T) == "failed"

    reason = ("The mail server refused the address lan@example.vn: "
              "550 5.1.1 <lan@example.vn>: Recipient address rejected")
    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.error, reply.next_attempt_at, reply.external_id) == (
        DeliveryStatus.FAILED, 1, reason, None, ""
    )
    event = mailed_case.events.get(kind=EventKind.MESSAGE_STATUS)
    assert (event.body, event.data) == (reason, {"message_id": reply.pk, "status": "failed", "channel": "email"})
    assert list(Notification.objects.filter(kind="delivery_failed").values_list("user__username", "data")) == [
        ("agent", {"reason": reason})
    ]
    assert smtp_server.received == []


def test_a_greylisting_server_is_tried_again_and_the_mail_keeps_its_message_id(
    mailed_case: Case, agent: User, smtp_server: SmtpServer
) -> None:
    smtp_server.refuse("lan@example.vn", "451 4.7.1 Greylisted, try again in a minute")
    reply = services.reply(mailed_case, "Dạ, chúng tôi xin lỗi.", by=agent, at=T)

    assert deliver(reply.pk, now=T) == "retry"

    reply.refresh_from_db()
    assert (reply.status, reply.attempts, reply.next_attempt_at, reply.error) == (
        DeliveryStatus.QUEUED, 1, T + timedelta(seconds=30),
        "The mail server refused the address lan@example.vn: 451 4.7.1 Greylisted, try again in a minute",
    )
    assert mailed_case.events.filter(kind=EventKind.MESSAGE_STATUS).count() == 0
    smtp_server.refuse("lan@example.vn", "")  # the greylisting is over

    assert deliver(reply.pk, now=T + timedelta(seconds=30)) == "sent"

    assert only(smtp_server).header("Message-ID") == f"<{message_id_for(reply.pk)}>"


def test_a_mail_sent_again_after_a_worker_died_carries_the_same_message_id(
    mailed_case: Case, agent: User, smtp_server: SmtpServer
) -> None:
    reply = services.reply(mailed_case, "Dạ, chúng tôi xin lỗi.", by=agent, at=T)
    deliver(reply.pk, now=T)
    # As if the worker had died after the server took the mail and before it recorded so: the lease ran out.
    Message.objects.filter(pk=reply.pk).update(status=DeliveryStatus.SENDING, next_attempt_at=T)

    requeue_due_messages(now=T + timedelta(minutes=11))
    reply.refresh_from_db()
    assert reply.status == DeliveryStatus.QUEUED

    assert deliver(reply.pk, now=T + timedelta(minutes=11)) == "sent"

    ours = f"<{message_id_for(reply.pk)}>"
    assert [mail.header("Message-ID") for mail in smtp_server.received if mail.header("Message-ID") == ours] == [
        ours, ours
    ]


def test_a_refused_login_fails_at_once_and_says_what_to_check(
    mailed_case: Case, smtp_mailbox: ChannelConnection, agent: User, smtp_server: SmtpServer
) -> None:
    smtp_mailbox.set_secrets({"smtp_password": "an-old-password"})
    smtp_mailbox.save()
    reply = services.reply(mailed_case, "Dạ, chúng tôi xin lỗi.", by=agent, at=T)

    assert deliver(reply.pk, now=T) == "failed"

    reply.refresh_from_db()
    assert reply.error == (
        "The mailbox could not log in to 127.0.0.1: 535 5.7.8 Authentication credentials invalid. An admin should "
        "check its SMTP user and password in the settings."
    )
    assert smtp_server.received == []


def test_a_mail_server_that_is_down_is_tried_again(
    mailed_case: Case, smtp_mailbox: ChannelConnection, agent: User, smtp_server: SmtpServer
) -> None:
    smtp_mailbox.config["smtp_port"] = closed_port()
    smtp_mailbox.save()
    reply = services.reply(mailed_case, "Dạ, chúng tôi xin lỗi.", by=agent, at=T)

    assert deliver(reply.pk, now=T) == "retry"

    reply.refresh_from_db()
    assert (reply.status, reply.error) == (DeliveryStatus.QUEUED, "Could not reach 127.0.0.1: Connection refused")


def test_the_project_default_sends_when_the_organisation_has_no_mailbox(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, en_customer: Customer, agent: User,
    smtp_server: SmtpServer, settings: Settings,
) -> None:
    use_default_smtp(settings, smtp_server)
    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB,
                              customer=en_customer, description="The air conditioning does not work.",
                              at=MONDAY_10AM)
    reply = services.reply(case, "We are sending someone now.", by=agent, at=T)

    assert deliver(reply.pk, now=T) == "sent"

    received = only(smtp_server)
    assert (received.mail_from, received.rcpt_tos, received.login) == (
        "care@kintsugi.local", ("emma@example.com",), ""
    )
    assert received.header("From") == "care@kintsugi.local"
    assert received.header("Subject") == "[K-2026-000001] The air conditioning does not work."
    assert received.header("Message-ID") == f"<{message_id_for(reply.pk)}>"
    assert [received.header(name) for name in ("In-Reply-To", "References", "Auto-Submitted")] == [None] * 3
    # The default address may be no one's inbox: the customer is not told to answer it.
    assert received.text == "We are sending someone now.\n\n-- \nK-2026-000001 · Lotus Test Hotels\n"
