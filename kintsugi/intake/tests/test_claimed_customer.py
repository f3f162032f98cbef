"""A phone number is not proof of identity: a public complaint that gives a known customer's phone or email is
linked to them only as a claim until staff confirm it. The submitter never reads that customer's name, the case is
no repeat failure and nobody is escalated, answers go only to the contact the complaint gave, and the customer's
record learns nothing from it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer, CustomerIdentity, EventKind, Priority, SlaPolicy
from kintsugi.comms.models import Message, Notification
from kintsugi.intake.services import submit_public_complaint
from kintsugi.recovery.thanks import compose_thanks

HOA_PHONE = "0912 345 678"  # vi_customer's (conftest)


def submit(touchpoint: Touchpoint, **overrides: Any) -> Case:
    values: dict[str, Any] = {
        "touchpoint": touchpoint, "description": "Phòng 305 không có nước nóng từ sáng tới giờ.", "severity": 3,
        "phone": "", "email": "", "line_id": "", "zalo_id": "", "photo": None, "form_language": "vi",
        "client_ip": "203.0.113.7", "at": MONDAY_10AM,
    }
    values.update(overrides)
    case, _token = submit_public_complaint(**values)
    case.refresh_from_db()
    return case


@pytest.fixture
def hoa_had_a_case(vi_customer: Customer, front_desk: Touchpoint, policy: SlaPolicy) -> Case:
    return services.open_case(by=None, organisation=front_desk.organisation, touchpoint=front_desk,
                              channel=Channel.PHONE, customer=vi_customer, description="The room was cold.",
                              at=MONDAY_10AM - timedelta(days=3))


@pytest.mark.usefixtures("supervisor", "manager")
def test_someone_elses_phone_links_the_case_only_as_a_claim(
    front_desk: Touchpoint, vi_customer: Customer, hoa_had_a_case: Case
) -> None:
    case = submit(front_desk, phone=HOA_PHONE, email="stranger@example.com", name="Trần Văn Nam")

    assert (case.customer_id, case.customer_claimed) == (vi_customer.pk, True)
    assert case.claim == {"name": "Trần Văn Nam", "identities": {"email": "stranger@example.com",
                                                                 "phone": "+84912345678"}}
    # No repeat failure and no escalation from a match anyone could have typed.
    assert (case.is_repeat_failure, case.priority) == (False, Priority.NORMAL)
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).exists()
    assert not Notification.objects.filter(case=case, kind="escalated").exists()
    # The known customer learns nothing from it: not the email, not the name.
    vi_customer.refresh_from_db()
    assert vi_customer.name == "Nguyễn Thị Hoa"
    assert sorted(CustomerIdentity.objects.filter(customer=vi_customer).values_list("kind", flat=True)) == [
        "phone", "zalo"]
    # What the submitter reads greets them by the name they gave, never Hoa's.
    assert case.addressed_as == "Trần Văn Nam"
    assert "Hoa" not in compose_thanks("vi", customer_name=case.addressed_as, done=[], signed=["Linh"])


@pytest.mark.usefixtures("supervisor")
def test_answers_to_a_claimed_case_go_only_to_the_contact_it_gave(
    front_desk: Touchpoint, vi_customer: Customer, agent: User
) -> None:
    case = submit(front_desk, phone=HOA_PHONE, email="stranger@example.com")
    CustomerIdentity.objects.create(organisation=vi_customer.organisation, customer=vi_customer, kind="email",
                                    value="hoa@example.com")

    services.reply(case, "Chúng tôi đang kiểm tra nước nóng.", by=agent)

    reply = Message.objects.filter(case=case, direction="out").order_by("-id").first()
    assert reply is not None
    assert (reply.channel, reply.recipient) == (Channel.EMAIL, "stranger@example.com")  # not hoa@example.com


def test_a_new_phone_is_a_new_customer_and_not_a_claim(front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case = submit(front_desk, phone="0987 654 321", name="Lan")

    assert case.customer is not None
    assert (case.customer.name, case.customer_claimed, case.claim) == ("Lan", False, {})


@pytest.mark.usefixtures("manager")
def test_staff_confirming_the_customer_makes_the_case_theirs_and_counts_the_repeat(
    front_desk: Touchpoint, vi_customer: Customer, hoa_had_a_case: Case, supervisor: User, agent: User
) -> None:
    case = submit(front_desk, phone=HOA_PHONE, email="hoa.new@example.com", name="Hoa")

    services.confirm_customer(case, by=agent, at=MONDAY_10AM + timedelta(minutes=5))

    case.refresh_from_db()
    assert (case.customer_claimed, case.is_repeat_failure, case.priority) == (False, True, Priority.HIGH)
    assert list(CaseEvent.objects.filter(case=case).exclude(kind=EventKind.MESSAGE_OUT).values_list(
        "kind", "actor__username")) == [
        (EventKind.CREATED, None), (EventKind.CUSTOMER_CONFIRMED, "agent"), (EventKind.ESCALATED, "agent"),
    ]
    assert ("email", "hoa.new@example.com") in set(
        CustomerIdentity.objects.filter(customer=vi_customer).values_list("kind", "value"))
    assert case.addressed_as == "Nguyễn Thị Hoa"
    assert sorted(Notification.objects.filter(case=case, kind="escalated").values_list(
        "user__username", flat=True)) == ["manager", "supervisor"]
    with pytest.raises(services.InvalidTransition, match="already confirmed"):
        services.confirm_customer(case, by=agent)


def test_the_case_page_shows_the_claim_and_confirms_it_and_others_cannot(
    client: Client, front_desk: Touchpoint, vi_customer: Customer, agent: User, outsider: User, policy: SlaPolicy
) -> None:
    case = submit(front_desk, phone=HOA_PHONE, name="Nam")

    page = login(client, agent).get(f"/cases/{case.reference}/").content.decode()
    assert "Not confirmed" in page
    assert "The complaint gave the name “Nam”." in page

    login(client, outsider)
    assert client.post(f"/cases/{case.reference}/confirm-customer/").status_code == 404
    case.refresh_from_db()
    assert case.customer_claimed is True

    login(client, agent)
    response = client.post(f"/cases/{case.reference}/confirm-customer/", follow=True)
    assert "Confirmed: this case is Nguyễn Thị Hoa&#x27;s." in response.content.decode()
    case.refresh_from_db()
    assert case.customer_claimed is False
    assert "Not confirmed" not in client.get(f"/cases/{case.reference}/").content.decode()
