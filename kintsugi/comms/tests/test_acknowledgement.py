"""queue_acknowledgement and the plain {placeholder} texts it is written from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import translation

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Location, Organisation, Touchpoint
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, SlaPolicy
from kintsugi.comms.models import DeliveryStatus, Message
from kintsugi.comms.services import acknowledgement_for, queue_acknowledgement, queue_acknowledgements
from kintsugi.comms.texts import ACKNOWLEDGEMENT, ACKNOWLEDGEMENT_SUBJECT, fill

pytestmark = pytest.mark.django_db
LINK = "https://care.example/s/abc/"


def test_fill_replaces_known_placeholders_once_and_nothing_else() -> None:
    template = "{reference} {{ reference }} {% now 'Y' %} {unknown} {place}"

    text = fill(template, {"reference": "K-1", "place": "{reference} {{ settings.SECRET_KEY }}"})

    assert text == "K-1 {{ reference }} {% now 'Y' %} {unknown} {reference} {{ settings.SECRET_KEY }}"


def open_web_case(organisation: Organisation, touchpoint: Touchpoint, description: str) -> Case:
    return services.open_case(by=None, organisation=organisation, touchpoint=touchpoint, channel=Channel.WEB,
                              description=description, at=MONDAY_10AM)


def test_the_acknowledgement_is_written_in_the_case_language(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case = open_web_case(org, front_desk, "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát.")
    assert case.language == "vi"

    message = queue_acknowledgement(case, LINK, email="hoa@example.com", at=MONDAY_10AM)

    assert message is not None
    with translation.override("vi"):
        first_response = translation.gettext("by %(time)s on %(date)s") % {"time": "11:00", "date": "16 tháng 11"}
        body = fill(str(ACKNOWLEDGEMENT), {
            "reference": case.reference, "first_response": first_response, "status_url": LINK,
            "place": "Lotus Hà Nội · Front desk", "organisation": "Lotus Test Hotels",
        })
        subject = fill(str(ACKNOWLEDGEMENT_SUBJECT), {"reference": case.reference})
    assert body != fill(str(ACKNOWLEDGEMENT), {})  # the Vietnamese text, not the English
    assert (message.body, message.subject, message.language) == (body, subject, "vi")
    assert first_response in message.body
    assert first_response.count("11:00") == first_response.count("16") == 1


def test_a_place_name_with_template_syntax_is_written_as_it_is(
    org: Organisation, hanoi: Location, policy: SlaPolicy
) -> None:
    touchpoint = Touchpoint.objects.create(organisation=org, location=hanoi, code="odd",
                                           name="{{ settings.SECRET_KEY }} {% debug %} {status_url}")
    case = open_web_case(org, touchpoint, "The lift has been broken for two days, please fix it.")

    message = queue_acknowledgement(case, LINK, email="emma@example.com", at=MONDAY_10AM + timedelta(minutes=1))

    assert message is not None
    assert "happened at Lotus Hà Nội · {{ settings.SECRET_KEY }} {% debug %} {status_url}. We are sorry" in message.body
    assert message.body.count(LINK) == 1


def test_without_a_contact_to_write_to_nothing_is_queued(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case = open_web_case(org, front_desk, "The lift has been broken for two days, please fix it.")

    assert queue_acknowledgement(case, LINK, at=MONDAY_10AM) is None
    assert Message.objects.count() == 0


def test_email_comes_before_line_and_line_before_zalo(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case = open_web_case(org, front_desk, "The lift has been broken for two days, please fix it.")

    queue_acknowledgement(case, LINK, email="a@example.com", line_id="U1", zalo_id="z1", at=MONDAY_10AM)
    queue_acknowledgement(case, LINK, line_id="U1", zalo_id="z1", at=MONDAY_10AM)
    queue_acknowledgement(case, LINK, zalo_id="z1", at=MONDAY_10AM)

    assert list(Message.objects.order_by("id").values_list("channel", "recipient", "status")) == [
        (Channel.EMAIL, "a@example.com", DeliveryStatus.QUEUED),
        (Channel.LINE, "U1", DeliveryStatus.QUEUED),
        (Channel.ZALO, "z1", DeliveryStatus.QUEUED),
    ]


def test_an_acknowledgement_worked_out_before_the_case_is_written_carries_its_reference(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case = open_web_case(org, front_desk, "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát.")
    expected = queue_acknowledgement(case, LINK, email="hoa@example.com", at=MONDAY_10AM)
    assert expected is not None
    real = case.reference
    case.reference = ""  # as a public form submission has it before the write lock

    draft = acknowledgement_for(case, LINK, email="hoa@example.com", at=MONDAY_10AM)
    case.reference = real
    [message] = queue_acknowledgements([draft])

    assert message is not None
    assert (message.subject, message.body, message.recipient) == (expected.subject, expected.body, expected.recipient)
    assert real in message.subject
