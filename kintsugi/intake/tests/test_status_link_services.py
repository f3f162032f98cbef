"""add_customer_message, link_for_token, note_seen and revoke_link."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pytest_django import Settings

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases import services as cases
from kintsugi.cases.models import CaseEvent, Channel, EventKind, Status
from kintsugi.cases.services import InvalidInput, NotAllowed
from kintsugi.comms.models import Direction, Message
from kintsugi.intake.limits import RateLimited
from kintsugi.intake.models import Attachment, CaseAccessLink
from kintsugi.intake.services import (
    add_customer_message,
    link_for_token,
    note_seen,
    revoke_link,
    submit_public_complaint,
)
from kintsugi.intake.tests.conftest import stored_files
from kintsugi.intake.tests.images import jpeg_with_gps

pytestmark = pytest.mark.django_db
LATER = MONDAY_10AM + timedelta(minutes=30)


@pytest.fixture
def submitted(front_desk: Touchpoint, policy: object) -> tuple[CaseAccessLink, str]:
    _case, raw = submit_public_complaint(
        touchpoint=front_desk, description="Phòng 305 chưa được dọn, khăn tắm bẩn.", severity=3, phone="",
        email="hoa@example.com", line_id="", zalo_id="", photo=None, form_language="vi", client_ip="203.0.113.7",
        at=MONDAY_10AM,
    )
    link = link_for_token(raw)
    assert link is not None
    return link, raw


def test_a_token_finds_its_own_link_only(submitted: tuple[CaseAccessLink, str], front_desk: Touchpoint) -> None:
    link, raw = submitted
    _other_case, other_raw = submit_public_complaint(
        touchpoint=front_desk, description="Another guest: no towels.", severity=2, form_language="en",
        client_ip="203.0.113.9", at=MONDAY_10AM,
    )

    other = link_for_token(other_raw)
    assert other is not None
    assert other.case_id != link.case_id
    assert link_for_token(raw) == link
    assert link_for_token(raw[:-1]) is None
    assert link_for_token(raw + "A") is None
    assert link_for_token("") is None
    assert link_for_token(link.token_hash) is None  # the stored hash is not a token


def test_a_customer_message_joins_the_timeline_and_moves_a_case_awaiting_them(
    submitted: tuple[CaseAccessLink, str], agent: User
) -> None:
    link, _raw = submitted
    case = link.case
    cases.change_status(case, Status.AWAITING_CUSTOMER, by=agent, at=MONDAY_10AM + timedelta(minutes=5))

    event = add_customer_message(link, "  Phòng 412 cũng vậy.  ", at=LATER)

    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert (event.kind, event.body, event.is_customer_visible, event.actor_id, event.created_at) == (
        EventKind.MESSAGE_IN, "Phòng 412 cũng vậy.", True, None, LATER,
    )
    inbound = Message.objects.get(direction=Direction.INBOUND)
    assert (inbound.case_id, inbound.channel, inbound.body) == (case.pk, Channel.WEB, "Phòng 412 cũng vậy.")
    assert list(case.events.order_by("id").values_list("kind", flat=True))[-2:] == [
        EventKind.MESSAGE_IN, EventKind.STATUS_CHANGED,
    ]


def test_a_photo_alone_is_a_message_with_the_photo(
    submitted: tuple[CaseAccessLink, str], media: Path
) -> None:
    link, _raw = submitted

    event = add_customer_message(link, "", jpeg_with_gps(), at=LATER)

    assert event.body == "(ảnh)"  # "(photo)" in the case's language
    attachment = Attachment.objects.get()
    assert (attachment.event_id, attachment.case_id, attachment.uploaded_by_customer) == (event.pk, link.case_id, True)
    assert stored_files(media) == [attachment.file.name]


@pytest.mark.parametrize(
    ("body", "photo", "message"),
    [
        ("  ", None, "Please write a message or add a photo."),
        ("x" * 3001, None, "Please keep it under 3000 characters."),
        ("Look", b"GIF89a", "This file is not a photo we can read. Please send a JPEG, PNG or WebP image."),
    ],
)
def test_an_empty_or_bad_message_is_refused_and_nothing_changes(
    submitted: tuple[CaseAccessLink, str], body: str, photo: bytes | None, message: str, media: Path
) -> None:
    link, _raw = submitted
    before = CaseEvent.objects.count()

    with pytest.raises(InvalidInput) as refused:
        add_customer_message(link, body, photo, at=LATER)

    assert refused.value.message == message
    assert (CaseEvent.objects.count(), Attachment.objects.count(), stored_files(media)) == (before, 0, [])


def test_messages_through_one_link_are_rate_limited(
    submitted: tuple[CaseAccessLink, str], settings: Settings
) -> None:
    settings.PUBLIC_STATUS_LIMIT_PER_LINK = "2/3600"
    link, _raw = submitted
    add_customer_message(link, "One", at=LATER)
    add_customer_message(link, "Two", at=LATER)

    with pytest.raises(RateLimited):
        add_customer_message(link, "Three", at=LATER)

    assert list(link.case.events.filter(kind=EventKind.MESSAGE_IN).values_list("body", flat=True)) == ["One", "Two"]


def test_opening_the_page_is_recorded_at_most_every_five_minutes(submitted: tuple[CaseAccessLink, str]) -> None:
    link, _raw = submitted

    note_seen(link, at=LATER)
    note_seen(link, at=LATER + timedelta(minutes=4))
    assert CaseAccessLink.objects.get().last_seen_at == LATER
    note_seen(link, at=LATER + timedelta(minutes=5))
    assert CaseAccessLink.objects.get().last_seen_at == LATER + timedelta(minutes=5)


def test_staff_revoke_a_link_which_then_finds_nothing(submitted: tuple[CaseAccessLink, str], agent: User) -> None:
    link, raw = submitted

    revoke_link(link, by=agent, at=LATER)
    revoke_link(link, by=agent, at=LATER + timedelta(minutes=1))  # a second click changes nothing

    assert link_for_token(raw) is None
    stored = CaseAccessLink.objects.get()
    assert (stored.revoked_at, stored.revoked_by_id) == (LATER, agent.pk)
    event = link.case.events.get(kind=EventKind.UPDATED)
    assert (event.actor_id, event.is_customer_visible, event.data, event.created_at) == (
        agent.pk, False, {"status_link": "revoked", "link_id": link.pk}, LATER,
    )
    with pytest.raises(NotAllowed):
        add_customer_message(stored, "Hello?", at=LATER)


@pytest.mark.parametrize("who", ["agent", "bangkok_agent", "supervisor", "manager", "admin", "outsider"])
def test_only_staff_who_see_the_case_may_revoke_its_link(
    submitted: tuple[CaseAccessLink, str], staff_cast: dict[str, User], who: str
) -> None:
    link, raw = submitted
    events = CaseEvent.objects.count()

    if who in {"bangkok_agent", "outsider"}:
        with pytest.raises(NotAllowed):
            revoke_link(link, by=staff_cast[who], at=LATER)
        assert link_for_token(raw) == link
        assert CaseEvent.objects.count() == events
        assert CaseAccessLink.objects.get().revoked_at is None
    else:
        revoke_link(link, by=staff_cast[who], at=LATER)
        assert link_for_token(raw) is None
