"""The inbound pipeline: stored first, read once, put on the right case; redeliveries and failures lose nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kintsugi.accounts.models import User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, EventKind, Status
from kintsugi.comms.mailids import message_id_for
from kintsugi.comms.models import ChannelConnection, Direction, Message
from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.inbound import pipeline
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.intake.models import InboundPayload, InboundStatus
from kintsugi.intake.tests.inbound.conftest import mail

pytestmark = pytest.mark.django_db(transaction=True)


def deliver(mailbox: ChannelConnection, raw: bytes) -> list[int]:
    return store_payloads(mailbox, [Arrival(external_id_of(raw), raw)])


def test_a_mail_becomes_a_case_in_the_senders_language(mailbox: ChannelConnection) -> None:
    deliver(mailbox, mail())
    payload = InboundPayload.objects.get()
    assert payload.status == InboundStatus.DONE
    case = Case.objects.get()
    assert payload.case_id == case.pk
    assert (case.channel, case.language, case.subject) == ("email", "vi", "Phòng bẩn")
    assert case.customer is not None
    assert case.customer.name == "Lan Nguyen"
    assert case.customer.identities.get().value == "lan@example.vn"
    inbound = Message.objects.get(direction=Direction.INBOUND)
    assert (inbound.external_id, inbound.connection_id) == ("m1@example.vn", mailbox.pk)
    ack = Message.objects.get(direction=Direction.OUTBOUND)
    assert ack.recipient == "lan@example.vn"
    assert case.reference in ack.body
    assert case.events.get(kind=EventKind.CREATED).data["inbound"] == payload.pk


def test_a_redelivery_is_a_no_op(mailbox: ChannelConnection) -> None:
    assert len(deliver(mailbox, mail())) == 1
    assert deliver(mailbox, mail()) == []
    assert InboundPayload.objects.count() == 1
    assert Case.objects.count() == 1


def test_a_reply_to_our_message_joins_its_case(mailbox: ChannelConnection) -> None:
    deliver(mailbox, mail())
    case = Case.objects.get()
    ack = Message.objects.get(direction=Direction.OUTBOUND)
    deliver(mailbox, mail("Re: anything", "Cảm ơn, tôi chờ.", message_id="m2@example.vn",
                          headers={"In-Reply-To": f"<{message_id_for(ack.pk)}>"}))
    assert Case.objects.count() == 1
    assert case.events.filter(kind=EventKind.MESSAGE_IN).get().data["threaded"] == "reply"


def test_the_reference_in_the_subject_threads_only_for_the_cases_customer(mailbox: ChannelConnection) -> None:
    deliver(mailbox, mail())
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(days=30))  # outside the window
    deliver(mailbox, mail(f"Về {case.reference}", "Vẫn chưa ai gọi lại.", message_id="m3@example.vn"))
    assert Case.objects.count() == 1
    deliver(mailbox, mail(f"Về {case.reference}", "Tôi là người khác.", message_id="m4@example.vn",
                          sender="someone@else.example"))
    assert Case.objects.count() == 2


def test_a_resolved_case_reopens_and_a_closed_one_is_followed_by_a_new_case(
    mailbox: ChannelConnection, supervisor: User
) -> None:
    deliver(mailbox, mail())
    case = Case.objects.get()
    cases.resolve(case, by=supervisor, summary="Đã dọn phòng.", override_reason="test")
    deliver(mailbox, mail(f"Re: [{case.reference}]", "Vẫn bẩn.", message_id="m5@example.vn"))
    case.refresh_from_db()
    assert case.status == Status.REOPENED
    cases.resolve(case, by=supervisor, summary="Đã dọn lại.", override_reason="test")
    cases.close_case(case, by=supervisor)
    deliver(mailbox, mail(f"Re: [{case.reference}]", "Lại bẩn nữa!", message_id="m6@example.vn"))
    new = Case.objects.exclude(pk=case.pk).get()
    assert new.follows_id == case.pk


def test_mail_from_the_mailbox_itself_makes_no_case(mailbox: ChannelConnection) -> None:
    deliver(mailbox, mail(sender="Care <CARE@hotel.example>"))
    payload = InboundPayload.objects.get()
    assert (payload.status, payload.reason) == (InboundStatus.IGNORED, "loop")
    assert not Case.objects.exists()


def test_a_payload_that_cannot_be_put_on_a_case_is_kept_as_a_problem(mailbox: ChannelConnection) -> None:
    ChannelConnection.objects.filter(pk=mailbox.pk).update(thread_window_hours=1)
    deliver(mailbox, mail(body="x" * 20_000))  # longer than any case's description
    payload = InboundPayload.objects.get()
    assert payload.status == InboundStatus.DONE  # cut to the longest description, never refused
    payloads = pipeline.process_payloads([payload.pk])
    assert payloads == {}  # read once: nothing left waiting


def test_the_new_case_links_the_closed_one_it_carries_on_from(
    mailbox: ChannelConnection, supervisor: User, client: Client
) -> None:
    deliver(mailbox, mail())
    old = Case.objects.get()
    cases.resolve(old, by=supervisor, summary="Xong.", override_reason="test")
    cases.close_case(old, by=supervisor)
    deliver(mailbox, mail(f"Re: [{old.reference}]", "Lại bẩn nữa!", message_id="m7@example.vn"))
    new = Case.objects.exclude(pk=old.pk).get()
    assert new.events.get(kind=EventKind.CREATED).data["follows"] == old.reference
    client.force_login(supervisor)
    page = client.get(f"/cases/{new.reference}/").content.decode()
    assert f'href="/cases/{old.reference}/">{old.reference}</a>' in page
