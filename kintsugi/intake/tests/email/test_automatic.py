"""Mail no person wrote: which automatic replies and bounces are recognised, and which customers' mails are not
taken for one."""

from __future__ import annotations

import pytest

from kintsugi.comms.mailids import message_id_for
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.automatic import is_automatic
from kintsugi.intake.channels.email.parse import parse_email
from kintsugi.intake.inbound.normalised import InboundMessage
from kintsugi.intake.models import InboundReason
from kintsugi.intake.tests.inbound.conftest import mail

REPLY = {"in-reply-to": ["<kintsugi.1.0011223344556677@hotel.example>"]}


def parsed(raw: bytes) -> InboundMessage:
    return parse_email(raw, {}, ChannelConnection(channel="email", address="care@hotel.example"))


@pytest.mark.parametrize("headers", [
    {"auto-submitted": ["auto-replied"]},
    {"auto-submitted": ["auto-generated"]},
    {"auto-submitted": ["auto-notified; owner-email=\"x@example.com\""]},
    {"x-autoreply": ["yes"]},
    {"x-autorespond": ["Out of office"]},
    {"precedence": ["bulk"]},
    {"precedence": ["list"]},
    {"precedence": ["junk"]},
    {"precedence": ["auto_reply"]},
    {"x-auto-response-suppress": ["All"], "thread-topic": ["Room"], **REPLY},
    {"x-auto-response-suppress": ["DR, OOF"], "thread-topic": ["Room"], **REPLY},
    {"list-id": ["Guests of Song Hong <guests.hotel.example>"]},
    {"list-unsubscribe": ["<https://news.example/u/1>"]},
])
def test_automatic_mail_is_known_by_its_headers(headers: dict[str, list[str]]) -> None:
    assert is_automatic(headers, "Re: [K-2026-000123] Room 204")


@pytest.mark.parametrize("subject", [
    "Out of office", "Out of Office: Re: Room 204", "Out of the office until 10 March", "Automatic reply: Room 204",
    "Auto-Reply: Room 204", "Autoreply", "RE: Automatic reply: Room 204", "Away from the office",
    "Trả lời tự động: Phòng 204", "Tự động trả lời", "Vắng mặt", "Vắng mặt: đến 10/3", "TL: Vắng mặt",
    "ตอบกลับอัตโนมัติ: ห้อง 204", "ไม่อยู่ที่สำนักงาน", "ไม่อยู่ที่สำนักงาน (3-9 มี.ค.)",
])
def test_out_of_office_subjects_in_three_languages_are_automatic(subject: str) -> None:
    assert is_automatic({}, subject)


@pytest.mark.parametrize(("headers", "subject"), [
    ({}, "Phòng 204 bẩn"),
    ({"auto-submitted": ["no"]}, "Room 204"),
    ({"x-autoreply": ["no"]}, "Room 204"),
    ({"precedence": ["first-class"]}, "Room 204"),
    ({"x-auto-response-suppress": ["All"]}, "Room 204"),  # a help desk's own mail asks for no auto-reply
    ({"x-auto-response-suppress": ["All"], **REPLY}, "Re: Room 204"),  # not from Exchange's out-of-office
    ({}, "Vắng mặt nhân viên lễ tân suốt buổi tối"),  # "no receptionist all evening": a complaint
    ({}, "ไม่อยู่ที่สำนักงานแล้วใครจะช่วย"),
    ({}, "My automatic reply to your survey was rude, sorry"),
])
def test_a_customers_mail_is_not_taken_for_an_automatic_one(headers: dict[str, list[str]], subject: str) -> None:
    assert not is_automatic(headers, subject)


def test_automatic_mail_is_ignored_and_kept_whole() -> None:
    body = "I am away.\n\nOn Tue, 3 Mar 2026, Care <care@hotel.example> wrote:\n> Dear guest"
    message = parsed(mail("Out of office", body, headers={"Auto-Submitted": "auto-replied"}))
    assert (message.ignore, message.text) == (InboundReason.AUTO_REPLY, message.full_text)
    assert message.text == body


def test_mail_whose_message_id_is_one_of_ours_is_a_loop() -> None:
    message = parsed(mail(sender="Lan <lan@example.vn>", message_id=message_id_for(77)))
    assert message.ignore == InboundReason.LOOP


def test_a_made_up_message_id_of_ours_is_not_a_loop() -> None:
    message = parsed(mail(message_id="kintsugi.77.0000000000000000@hotel.example"))
    assert message.ignore == ""


_REPORT = (
    "Content-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"
    "--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
    "--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
    "Final-Recipient: rfc822; a@example.vn\r\nAction: {action}\r\nStatus: {status}\r\n{diagnostic}\r\n"
    "--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <kintsugi.5.aaaabbbbccccdddd@hotel.example>\r\n\r\n"
    "--R--\r\n"
)


def report(action: str, status: str, diagnostic: str = "") -> bytes:
    head = "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\nTo: care@hotel.example\r\nSubject: Undelivered\r\n"
    head += "Message-ID: <dsn-1@mx.example>\r\nMIME-Version: 1.0\r\n"
    return (head + _REPORT.format(action=action, status=status, diagnostic=diagnostic)).encode()


def test_a_failed_delivery_report_names_our_mail_and_why() -> None:
    message = parsed(report("failed", "5.2.2", "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full"))
    assert (message.ignore, message.bounced, message.bounce_reason) == (
        InboundReason.BOUNCE, ("kintsugi.5.aaaabbbbccccdddd@hotel.example",), "552 5.2.2 Mailbox full")


def test_a_failure_without_a_diagnostic_gives_its_status() -> None:
    message = parsed(report("failed", "5.1.1"))
    assert (message.ignore, message.bounce_reason) == (InboundReason.BOUNCE, "5.1.1")


@pytest.mark.parametrize("action", ["delayed", "delivered", "relayed"])
def test_a_report_of_no_failure_is_automatic_and_marks_nothing(action: str) -> None:
    message = parsed(report(action, "4.4.1" if action == "delayed" else "2.0.0"))
    assert (message.ignore, message.bounced, message.bounce_reason) == (InboundReason.AUTO_REPLY, (), "")


@pytest.mark.parametrize(("sender", "headers", "subject"), [
    ("MAILER-DAEMON@mx.example", {}, "failure notice"),
    ("postmaster@corp.example", {}, "Undeliverable: Room 204"),
    ("Mail Delivery Subsystem <mailer-daemon@googlemail.com>", {}, "Delivery Status Notification (Failure)"),
    ("bounces@mx.example", {"X-Failed-Recipients": "a@example.vn"}, "Mail delivery failed"),
    ("noreply@mx.example", {"Auto-Submitted": "auto-replied"}, "Returned mail: see transcript for details"),
    ("noreply@mx.example", {"Auto-Submitted": "auto-generated"}, "Thư không gửi được"),
])
def test_a_non_standard_bounce_is_known_and_its_original_found_in_the_quote(
    sender: str, headers: dict[str, str], subject: str
) -> None:
    body = ("I could not deliver your message.\r\nRemote host said: 550 5.1.1 User unknown\r\n\r\n"
            "--- Below this line is a copy of the message.\r\n\r\nFrom: Care <care@hotel.example>\r\n"
            "Message-ID: <kintsugi.9.0123456789abcdef@hotel.example>\r\n\r\nDear guest")
    message = parsed(mail(subject, body, sender=sender, message_id="bounce-1@mx.example", headers=headers))
    assert (message.ignore, message.bounced, message.bounce_reason) == (
        InboundReason.BOUNCE, ("kintsugi.9.0123456789abcdef@hotel.example",), "550 5.1.1 User unknown")


def test_a_bounce_subject_from_a_person_is_the_customers_mail() -> None:
    message = parsed(mail("Undeliverable parcel left at reception", "Your staff refused my parcel."))
    assert message.ignore == ""
