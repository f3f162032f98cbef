"""fulfil_remedy and record_customer_cost: proof kept, the customer told in their language through the outbox
and on their status page; the customer's costs on the timeline and in the suggestions' sums."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from conftest import MONDAY_10AM
from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.cases.services import InvalidInput, InvalidTransition, NotAllowed
from kintsugi.cases.timeline import describe_event
from kintsugi.comms.models import Message, Notification
from kintsugi.comms.wording import notification_text
from kintsugi.intake.services import issue_link
from kintsugi.intake.wording import customer_entry
from kintsugi.remedies import services
from kintsugi.remedies.models import CustomerCost, Remedy, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


def grant(case: Case, user: User, kind: str = "refund", amount: int = 300_000) -> Remedy:
    return services.propose_remedy(case, kind=kind, amount_minor=amount, currency="VND", by=user, at=MONDAY_10AM)


def test_fulfilling_a_refund_keeps_the_reference_and_tells_the_customer_in_vietnamese(case: Case,
                                                                                      agent: User) -> None:
    remedy = services.fulfil_remedy(grant(case, agent), "HT-2026-0042", by=agent, at=MONDAY_10AM)
    assert (remedy.status, remedy.refund_reference, remedy.fulfilled_by, remedy.fulfilled_at) == (
        RemedyStatus.FULFILLED, "HT-2026-0042", agent, MONDAY_10AM)
    message = Message.objects.get(case=case, direction="out")
    assert message.body == "Chúng tôi đã hoàn lại 300.000 ₫ cho Quý khách. Mã tham chiếu: HT-2026-0042."
    assert message.language == "vi"
    event = case.events.get(kind=EventKind.REMEDY_FULFILLED)
    assert event.is_customer_visible is True
    assert (event.data["proof"], event.data["message_id"]) == ("HT-2026-0042", message.pk)
    with translation.override("vi"):
        entry = customer_entry(event)
    assert entry is not None
    assert (entry.side, entry.sentence, entry.text) == ("us", "Chúng tôi đã khắc phục cho Quý khách.", message.body)


def test_the_thai_customer_is_told_in_thai(bangkok_case: Case, bangkok_agent: User) -> None:
    remedy = services.propose_remedy(bangkok_case, kind="voucher", amount_minor=50_000, currency="THB",
                                     by=bangkok_agent)
    services.fulfil_remedy(remedy, "V-7781", by=bangkok_agent)
    body = Message.objects.get(case=bangkok_case, direction="out").body
    assert body == "เราได้ส่งบัตรกำนัลมูลค่า ฿500.00 ให้คุณแล้ว หมายเลขอ้างอิง: V-7781"


def test_an_approved_remedy_can_be_fulfilled_and_a_gesture_needs_no_proof(case: Case, agent: User,
                                                                          supervisor: User) -> None:
    pending = grant(case, agent, "gesture", 600_000)
    with pytest.raises(InvalidTransition):
        services.fulfil_remedy(pending, by=agent)
    services.approve_remedy(pending, by=supervisor)
    remedy = services.fulfil_remedy(pending, "", by=agent)
    assert remedy.status == RemedyStatus.FULFILLED
    assert Message.objects.get(case=case, direction="out").body == (
        "Chúng tôi xin gửi Quý khách một món quà nhỏ cùng lời xin lỗi chân thành.")


@pytest.mark.parametrize(("kind", "what"), [("refund", "refund reference"), ("voucher", "voucher code"),
                                            ("replacement", "replacement order")])
def test_proof_is_required_for_money_vouchers_and_replacements(case: Case, agent: User, kind: str,
                                                               what: str) -> None:
    remedy = grant(case, agent, kind, 100_000)
    with pytest.raises(InvalidInput, match=what):
        services.fulfil_remedy(remedy, " ", by=agent)
    assert Remedy.objects.get(pk=remedy.pk).status == RemedyStatus.GRANTED
    assert not Message.objects.filter(case=case).exists()


def test_fulfilling_twice_is_refused_and_the_customer_is_told_once(case: Case, agent: User) -> None:
    remedy = grant(case, agent)
    services.fulfil_remedy(remedy, "R1", by=agent)
    with pytest.raises(InvalidTransition):
        services.fulfil_remedy(remedy, "R2", by=agent)
    assert Message.objects.filter(case=case).count() == 1
    assert Remedy.objects.get(pk=remedy.pk).refund_reference == "R1"


def test_staff_outside_the_case_cannot_fulfil(case: Case, agent: User, bangkok_agent: User,
                                              outsider: User) -> None:
    remedy = grant(case, agent)
    for user in (bangkok_agent, outsider):
        with pytest.raises(NotAllowed):
            services.fulfil_remedy(remedy, "R1", by=user)
    assert Remedy.objects.get(pk=remedy.pk).status == RemedyStatus.GRANTED
    assert not Message.objects.exists()


def test_recording_the_customers_costs(case: Case, agent: User) -> None:
    taxi = services.record_customer_cost(case, kind="money_spent", amount_minor=250_000, currency="vnd",
                                         note="Taxi sang khách sạn khác", by=agent, at=MONDAY_10AM)
    services.record_customer_cost(case, kind="time_lost", minutes=90, by=agent, at=MONDAY_10AM)
    assert (taxi.amount_minor, taxi.currency, taxi.recorded_by) == (250_000, "VND", agent)
    assert services.customer_money_costs(case, "VND") == 250_000
    events = list(case.events.filter(kind=EventKind.CUSTOMER_COST))
    assert [e.data["kind"] for e in events] == ["money_spent", "time_lost"]
    with translation.override("en"):
        entry = describe_event(events[0], categories={}, deliveries={})
        assert entry.title == "Linh recorded what the failure cost the customer: Money spent, 250,000 ₫."
        assert describe_event(events[1], categories={}, deliveries={}).title == (
            "Linh recorded what the failure cost the customer: Time lost, 90 min.")


@pytest.mark.parametrize(
    "kwargs",
    [{"kind": "lost_sleep"}, {"kind": "money_spent", "amount_minor": 5, "currency": "EUR"},
     {"kind": "money_spent", "amount_minor": -5, "currency": "VND"}, {"kind": "other"},
     {"kind": "time_lost", "minutes": -1}],
)
def test_a_cost_that_cannot_be_read_is_refused_and_nothing_is_written(case: Case, agent: User,
                                                                      kwargs: dict[str, object]) -> None:
    before = CaseEvent.objects.count()
    with pytest.raises(InvalidInput):
        services.record_customer_cost(case, by=agent, **kwargs)  # type: ignore[arg-type]
    assert CustomerCost.objects.count() == 0
    assert CaseEvent.objects.count() == before


def test_timeline_and_notifications_read_in_the_viewers_language(case: Case, agent: User,
                                                                 supervisor: User) -> None:
    remedy = grant(case, agent, "voucher", 700_000)
    services.approve_remedy(remedy, by=supervisor)
    requested = case.events.get(kind=EventKind.REMEDY_REQUESTED)
    asked = Notification.objects.get(kind="approval_needed", user=supervisor)
    told = Notification.objects.get(kind="remedy_approved")
    with translation.override("en"):
        entry = describe_event(requested, categories={}, deliveries={})
        assert entry.title == "Linh asked for approval of a remedy: Voucher, 700,000 ₫."
        assert entry.details == ["Above the limit per remedy."]
        assert notification_text(asked) == (
            f"Linh asks you to approve a remedy on case {case.reference}: Voucher, 700,000 ₫.")
        assert notification_text(told) == f"Minh approved your remedy on case {case.reference}: Voucher, 700,000 ₫."
    with translation.override("vi"):
        assert "700.000 ₫" in notification_text(asked)


def test_the_customers_status_page_shows_the_remedy_in_their_words_and_nothing_internal(
    client: Any, case: Case, agent: User, supervisor: User
) -> None:
    pending = grant(case, agent, "refund", 700_000)
    services.approve_remedy(pending, by=supervisor, reason="INTERNAL-REASON")
    services.fulfil_remedy(pending, "HT-77", by=agent)
    _link, raw = issue_link(case)
    page = client.get(f"/s/{raw}/vi/").content.decode()
    assert "Chúng tôi đã khắc phục cho Quý khách." in page
    assert "Chúng tôi đã hoàn lại 700.000 ₫ cho Quý khách. Mã tham chiếu: HT-77." in page
    assert "INTERNAL-REASON" not in page
    assert "phê duyệt" not in page
