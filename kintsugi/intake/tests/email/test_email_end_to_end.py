"""Real-world mails through the whole inbound pipeline (stored, read by the email parser, put on a case)."""

from __future__ import annotations

import pytest

from kintsugi.cases.models import Case, EventKind
from kintsugi.comms.mailids import message_id_for
from kintsugi.comms.models import ChannelConnection, DeliveryStatus, Direction, Message
from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.intake.models import Attachment, InboundPayload, InboundReason, InboundStatus
from kintsugi.intake.tests.email.corpus import raw
from kintsugi.intake.tests.inbound.conftest import mail
from tests.payloads.email.build import OUR_ID

pytestmark = pytest.mark.django_db(transaction=True)


def deliver(mailbox: ChannelConnection, data: bytes) -> None:
    store_payloads(mailbox, [Arrival(external_id_of(data), data)])


def test_a_thai_tis_620_mail_becomes_a_thai_case(mailbox: ChannelConnection) -> None:
    deliver(mailbox, raw("tis620_thai_base64"))
    case = Case.objects.get()
    assert (case.channel, case.language, case.subject) == ("email", "th", "แอร์ไม่เย็น ห้อง 512")
    assert case.description.startswith("เรียน ฝ่ายบริการลูกค้า\n\nห้อง 512 แอร์ไม่เย็น")
    assert case.customer is not None
    assert (case.customer.name, case.customer.identities.get().value) == ("สมหญิง ใจดี", "somying.j@hotmail.co.th")
    assert InboundPayload.objects.get().status == InboundStatus.DONE


@pytest.mark.parametrize("name", ["out_of_office_exchange_en", "out_of_office_vi", "out_of_office_th",
                                  "vacation_auto_submitted", "newsletter_list_unsubscribe"])
def test_an_out_of_office_answer_makes_no_case(mailbox: ChannelConnection, name: str) -> None:
    deliver(mailbox, raw(name))
    payload = InboundPayload.objects.get()
    assert (payload.status, payload.reason) == (InboundStatus.IGNORED, InboundReason.AUTO_REPLY)
    assert not Case.objects.exists()
    assert not Message.objects.exists()


def test_a_bounce_of_our_acknowledgement_marks_it_failed_and_makes_no_case(mailbox: ChannelConnection) -> None:
    deliver(mailbox, mail())
    ack = Message.objects.get(direction=Direction.OUTBOUND)
    ours = message_id_for(ack.pk)
    dsn = raw("dsn_postfix").replace(OUR_ID.encode(), ours.encode())
    deliver(mailbox, dsn)
    assert Case.objects.count() == 1
    ack.refresh_from_db()
    assert (ack.status, ack.error) == (
        DeliveryStatus.FAILED,
        "550 5.1.1 <lan@example.vn>: Recipient address rejected: User unknown in virtual mailbox table")
    bounce = InboundPayload.objects.get(external_id="20260303011240.8C2D51C0@mail.hotel.example")
    assert (bounce.status, bounce.reason, bounce.case_id) == (InboundStatus.IGNORED, InboundReason.BOUNCE, ack.case_id)


def test_a_reply_lands_on_its_case_with_only_the_new_words(mailbox: ChannelConnection) -> None:
    deliver(mailbox, mail())
    case = Case.objects.get()
    ack = Message.objects.get(direction=Direction.OUTBOUND)
    reply = raw("gmail_reply_vi").replace(OUR_ID.encode(), message_id_for(ack.pk).encode())
    deliver(mailbox, reply)
    assert Case.objects.count() == 1
    event = case.events.get(kind=EventKind.MESSAGE_IN)
    assert event.body == "Đã hai ngày rồi mà vẫn chưa ai liên hệ lại với tôi.\nTôi muốn được hoàn tiền đêm đầu tiên."
    assert (event.data["threaded"], event.data["folded"]) == ("reply", True)


def test_an_inline_photo_and_a_pdf_are_kept_on_the_case(mailbox: ChannelConnection) -> None:
    deliver(mailbox, raw("inline_image_and_pdf_apple"))
    case = Case.objects.get()
    kept = Attachment.objects.filter(case=case).order_by("pk")
    assert [(file.filename, file.content_type) for file in kept] == [
        ("IMG_2041.png", "image/jpeg"), ("Hóa đơn 204.pdf", "application/pdf")]
