"""submit_public_complaint: one web case per complaint, with its status link, photo and acknowledgement."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pytest_django import Settings

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Touchpoint
from kintsugi.cases.models import Case, CaseEvent, Channel, CustomerIdentity, EventKind, SlaPolicy, Status
from kintsugi.cases.services import InvalidInput
from kintsugi.comms.models import DeliveryStatus, Message
from kintsugi.intake.limits import RateLimited
from kintsugi.intake.models import Attachment, CaseAccessLink, PublicRateLimit
from kintsugi.intake.services import submit_public_complaint
from kintsugi.intake.tests.conftest import stored_files
from kintsugi.intake.tests.images import jpeg_with_gps

pytestmark = pytest.mark.django_db
HOA = "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát."


def submit(touchpoint: Touchpoint, **overrides: Any) -> tuple[Case, str]:
    values: dict[str, Any] = {
        "touchpoint": touchpoint, "description": HOA, "severity": 4, "phone": "", "email": "", "line_id": "",
        "zalo_id": "", "photo": None, "form_language": "vi", "client_ip": "203.0.113.7", "at": MONDAY_10AM,
    }
    values.update(overrides)
    return submit_public_complaint(**values)


def test_a_complaint_opens_a_web_case_at_the_touchpoint(front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case, _raw = submit(front_desk, email="Hoa@Example.com", form_language="en")

    case.refresh_from_db()
    assert (case.reference, case.channel, case.location_id, case.touchpoint_id, case.severity, case.status) == (
        "K-2026-000001", Channel.WEB, front_desk.location_id, front_desk.pk, 4, Status.NEW,
    )
    assert case.language == "vi"  # the text is Vietnamese, whatever the form's language
    assert case.created_by is None
    assert case.first_response_due_at == MONDAY_10AM + timedelta(hours=1)
    assert list(CustomerIdentity.objects.filter(customer=case.customer).values_list("kind", "value")) == [
        ("email", "hoa@example.com")
    ]
    assert list(case.events.values_list("kind", "is_customer_visible", "body")) == [
        (EventKind.CREATED, True, HOA)
    ]


def test_the_status_link_stores_only_the_hash_of_a_32_byte_token(front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case, raw = submit(front_desk)

    link = CaseAccessLink.objects.get()
    assert len(raw) == 43  # 32 bytes, urlsafe base64 without padding
    assert (link.case_id, link.token_hash, link.revoked_at, link.last_seen_at, link.created_at) == (
        case.pk, hashlib.sha256(raw.encode()).hexdigest(), None, None, MONDAY_10AM,
    )
    assert raw not in str(list(CaseAccessLink.objects.values())) + str(list(CaseEvent.objects.values()))


@pytest.mark.parametrize(
    ("text", "form_language", "language"),
    [
        ("Wifi???", "th", "th"),  # too short to tell: the form's language decides
        ("Wifi???", "en", "en"),
        ("Wifi khong vao duoc, goi le tan khong ai nghe", "en", "vi"),  # unaccented Vietnamese
        ("แอร์ไม่เย็นเลยค่ะ", "en", "th"),
        ("The air conditioning in my room has been broken since yesterday evening", "vi", "en"),
    ],
)
def test_the_case_language_is_detected_with_the_form_language_as_prior(
    front_desk: Touchpoint, policy: SlaPolicy, text: str, form_language: str, language: str
) -> None:
    case, _raw = submit(front_desk, description=text, form_language=form_language)

    assert Case.objects.get(pk=case.pk).language == language


def test_an_anonymous_complaint_has_no_customer_and_no_acknowledgement_to_send(
    front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case, _raw = submit(front_desk)

    assert Case.objects.get(pk=case.pk).customer_id is None
    assert Message.objects.count() == 0


def test_the_acknowledgement_goes_by_email_in_the_case_language(front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case, raw = submit(front_desk, description="The shower in room 305 has no hot water at all.",
                       email="emma@example.com", phone="0912 345 678", line_id="U4af4980629", form_language="en")

    message = Message.objects.get()
    assert (message.case_id, message.direction, message.channel, message.recipient, message.language,
            message.status, message.author_id, message.next_attempt_at) == (
        case.pk, "out", Channel.EMAIL, "emma@example.com", "en", DeliveryStatus.QUEUED, None, MONDAY_10AM,
    )
    assert message.subject == "[K-2026-000001] We have received your complaint"
    assert message.body == (
        "Thank you for telling us what happened at Lotus Hà Nội · Front desk. We are sorry about it.\n"
        "\n"
        "Your reference: K-2026-000001\n"
        "We will answer you by 11:00 on 16 November.\n"
        "\n"
        "See what we are doing and write to us here:\n"
        f"https://care.example/s/{raw}/\n"
        "\n"
        "Lotus Test Hotels"
    )


def test_an_acknowledgement_on_line_fails_visibly_on_the_timeline_until_line_is_connected(
    front_desk: Touchpoint, policy: SlaPolicy, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case, _raw = submit(front_desk, line_id="U4af4980629")

    message = Message.objects.get()
    assert (message.channel, message.recipient, message.status) == (Channel.LINE, "U4af4980629", DeliveryStatus.FAILED)
    failure = case.events.get(kind=EventKind.MESSAGE_STATUS)
    assert (failure.body, failure.is_customer_visible) == ("LINE is not connected yet; tell the customer another way.",
                                                           False)


def test_a_zalo_id_is_the_route_when_there_is_no_email_or_line(front_desk: Touchpoint, policy: SlaPolicy) -> None:
    submit(front_desk, zalo_id="0912345678", phone="0912 345 678")

    assert list(Message.objects.values_list("channel", "recipient")) == [(Channel.ZALO, "0912345678")]


def test_a_photo_is_stored_without_exif_and_linked_to_the_opening_event(
    front_desk: Touchpoint, policy: SlaPolicy, media: Path
) -> None:
    case, _raw = submit(front_desk, photo=io.BytesIO(jpeg_with_gps(size=(3000, 2000))))

    attachment = Attachment.objects.get()
    created = case.events.get(kind=EventKind.CREATED)
    assert (attachment.case_id, attachment.event_id, attachment.organisation_id, attachment.content_type,
            attachment.width, attachment.height, attachment.uploaded_by_customer, attachment.created_at) == (
        case.pk, created.pk, case.organisation_id, "image/jpeg", 2048, 1365, True, MONDAY_10AM,
    )
    expected_name = f"attachments/{case.organisation_id}/2026/{attachment.uuid}.jpg"
    assert attachment.file.name == expected_name
    assert stored_files(media) == [expected_name]
    data = (media / expected_name).read_bytes()
    assert attachment.size == len(data)
    stored = Image.open(io.BytesIO(data))
    assert (stored.format, stored.size, dict(stored.getexif())) == ("JPEG", (2048, 1365), {})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"description": "   "}, "Please tell us what happened."),
        ({"description": "x" * 3001}, "Please keep it under 3000 characters."),
        ({"severity": 7}, "Please choose how bad it is."),
        ({"email": "not-an-address"}, "“not-an-address” is not a valid email address."),
        ({"phone": "12"}, "“12” is not a valid phone number."),
        ({"photo": b"%PDF-1.7"}, "This file is not a photo we can read. Please send a JPEG, PNG or WebP image."),
    ],
    ids=["empty", "too-long", "severity", "email", "phone", "not-a-photo"],
)
def test_bad_input_is_refused_and_nothing_is_kept(
    front_desk: Touchpoint, policy: SlaPolicy, media: Path, overrides: dict[str, Any], message: str
) -> None:
    if "photo" not in overrides:
        overrides["photo"] = jpeg_with_gps()  # a good photo, written first, must be removed again
    with pytest.raises(InvalidInput) as refused:
        submit(front_desk, **overrides)

    assert refused.value.message == message
    assert (Case.objects.count(), CaseAccessLink.objects.count(), Attachment.objects.count(),
            Message.objects.count(), PublicRateLimit.objects.count()) == (0, 0, 0, 0, 0)
    assert stored_files(media) == []


def test_an_inactive_touchpoint_takes_no_complaints(front_desk: Touchpoint, policy: SlaPolicy) -> None:
    front_desk.is_active = False

    with pytest.raises(InvalidInput) as refused:
        submit(front_desk)

    assert refused.value.message == "This form is no longer in use."
    assert Case.objects.count() == 0


def test_one_client_is_limited_per_window_and_refusals_create_nothing(
    front_desk: Touchpoint, policy: SlaPolicy, settings: Settings, media: Path
) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_IP = "2/600"
    submit(front_desk)
    submit(front_desk, at=MONDAY_10AM + timedelta(minutes=1))

    with pytest.raises(RateLimited) as refused:
        submit(front_desk, photo=jpeg_with_gps(), at=MONDAY_10AM + timedelta(minutes=2))

    assert refused.value.retry_after == 8 * 60
    assert (Case.objects.count(), CaseAccessLink.objects.count(), Attachment.objects.count()) == (2, 2, 0)
    assert stored_files(media) == []
    submit(front_desk, client_ip="203.0.113.8", at=MONDAY_10AM + timedelta(minutes=2))  # another client gets in
    submit(front_desk, at=MONDAY_10AM + timedelta(minutes=10))  # and this one again in the next window
    assert Case.objects.count() == 4


def test_a_touchpoint_is_limited_across_clients(
    front_desk: Touchpoint, bangkok_desk: Touchpoint, policy: SlaPolicy, settings: Settings
) -> None:
    settings.PUBLIC_FORM_LIMIT_PER_TOUCHPOINT = "3/600"
    for n in range(3):
        submit(front_desk, client_ip=f"203.0.113.{n}")

    with pytest.raises(RateLimited):
        submit(front_desk, client_ip="203.0.113.99")

    submit(bangkok_desk, client_ip="203.0.113.99")
    assert Case.objects.filter(touchpoint=front_desk).count() == 3
    assert Case.objects.filter(touchpoint=bangkok_desk).count() == 1
