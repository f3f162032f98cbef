"""The subject and References of our mails: the case reference exactly once, the customer's subject kept, and the
conversation named by its first mail and its latest ones."""

from __future__ import annotations

import pytest

from kintsugi.comms.transports.mail.compose import reply_subject, with_reference
from kintsugi.comms.transports.mail.thread import MAX_REFERENCES, MailThread

REF = "K-2026-000123"


@pytest.mark.parametrize(("customer", "expected"), [
    ("Phòng bẩn", "Re: Phòng bẩn [K-2026-000123]"),
    ("Re: Phòng bẩn", "Re: Phòng bẩn [K-2026-000123]"),
    ("RE: re: Fwd: Phòng bẩn", "Re: Phòng bẩn [K-2026-000123]"),
    ("Re: Phòng bẩn [K-2026-000123]", "Re: Phòng bẩn [K-2026-000123]"),
    ("Re: [K-2026-000123] We have received your complaint", "Re: We have received your complaint [K-2026-000123]"),
    ("Trả lời: Phòng bẩn", "Re: Phòng bẩn [K-2026-000123]"),
    ("ตอบกลับ: ห้องสกปรก", "Re: ห้องสกปรก [K-2026-000123]"),
    ("AW: Zimmer", "Re: Zimmer [K-2026-000123]"),
    ("回复\uff1a房间很脏", "Re: 房间很脏 [K-2026-000123]"),  # a full-width colon
    ("Re[2]: Room", "Re: Room [K-2026-000123]"),
    ("Also about K-2026-000001, the bill", "Re: Also about, the bill [K-2026-000123]"),
    ("Phòng\r\n bẩn", "Re: Phòng bẩn [K-2026-000123]"),
    ("Regarding my room", "Re: Regarding my room [K-2026-000123]"),
    ("", "Re: The room was not cleaned. [K-2026-000123]"),
    ("Re:", "Re: The room was not cleaned. [K-2026-000123]"),
])
def test_reply_subject_keeps_the_customers_subject_with_the_reference_once(customer: str, expected: str) -> None:
    assert reply_subject(customer, REF, fallback="The room was not cleaned.") == expected


@pytest.mark.parametrize(("queued", "expected"), [
    ("[K-2026-000123] We have received your complaint", "[K-2026-000123] We have received your complaint"),
    ("We have received your complaint", "[K-2026-000123] We have received your complaint"),
    ("[K-2026-000123] [K-2026-000123] Twice", "[K-2026-000123] Twice"),
    ("", "[K-2026-000123]"),
])
def test_our_own_subject_carries_the_reference_once(queued: str, expected: str) -> None:
    assert with_reference(queued, REF) == expected


def test_references_name_every_mail_of_a_short_conversation() -> None:
    ids = tuple(f"m{i}@example.vn" for i in range(MAX_REFERENCES))

    assert MailThread(ids).references == ids


def test_references_of_a_long_conversation_keep_its_first_mail_and_the_latest() -> None:
    ids = tuple(f"m{i}@example.vn" for i in range(30))

    assert MAX_REFERENCES == 20
    assert MailThread(ids).references == ("m0@example.vn", *(f"m{i}@example.vn" for i in range(11, 30)))
