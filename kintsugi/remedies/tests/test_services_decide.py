"""approve_remedy / reject_remedy / cancel_remedy: only supervisors and above in the case's scope, never on
their own request; exactly one decision wins when two people decide at once; the requester and timeline told."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from conftest import MONDAY_10AM, make_staff
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.cases.services import InvalidInput, InvalidTransition, NotAllowed, ServiceError
from kintsugi.comms.models import Notification
from kintsugi.remedies import services
from kintsugi.remedies.models import Remedy, RemedyStatus

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


@pytest.fixture
def pending(case: Case, agent: User) -> Remedy:
    remedy = services.propose_remedy(case, kind="refund", amount_minor=1_200_000, currency="VND", by=agent,
                                     description="Hoàn tiền một đêm", at=MONDAY_10AM)
    assert remedy.status == RemedyStatus.PENDING_APPROVAL
    return remedy


def snapshot(remedy: Remedy) -> tuple[Any, ...]:
    fresh = Remedy.objects.get(pk=remedy.pk)
    return (fresh.status, fresh.decided_by_id, fresh.decided_at, fresh.decision_reason,
            CaseEvent.objects.filter(case_id=remedy.case_id).count(),
            Notification.objects.filter(kind__in=["remedy_approved", "remedy_rejected"]).count())


def test_supervisor_approves_above_frontline_limit(pending: Remedy, agent: User, supervisor: User) -> None:
    remedy = services.approve_remedy(pending, by=supervisor, reason="Khách quen", at=MONDAY_10AM)
    assert (remedy.status, remedy.decided_by, remedy.decided_at, remedy.granted_at, remedy.decision_reason) == (
        RemedyStatus.APPROVED, supervisor, MONDAY_10AM, MONDAY_10AM, "Khách quen")
    event = remedy.case.events.get(kind=EventKind.REMEDY_APPROVED)
    assert (event.actor, event.body, event.data["remedy_id"]) == (supervisor, "Khách quen", remedy.pk)
    told = Notification.objects.get(kind="remedy_approved")
    assert (told.user, told.case, told.data["by"]) == (agent, remedy.case, "Minh")


def test_cx_manager_rejects_with_a_reason(pending: Remedy, agent: User, manager: User) -> None:
    remedy = services.reject_remedy(pending, "Đã hoàn tiền qua OTA", by=manager, at=MONDAY_10AM)
    assert (remedy.status, remedy.decided_by, remedy.decision_reason) == (
        RemedyStatus.REJECTED, manager, "Đã hoàn tiền qua OTA")
    assert remedy.granted_at is None
    assert remedy.case.events.get(kind=EventKind.REMEDY_REJECTED).body == "Đã hoàn tiền qua OTA"
    assert Notification.objects.get(kind="remedy_rejected").user == agent


def test_rejecting_needs_a_reason_and_nothing_changes_without_one(pending: Remedy, supervisor: User) -> None:
    before = snapshot(pending)
    with pytest.raises(InvalidInput):
        services.reject_remedy(pending, "  ", by=supervisor)
    assert snapshot(pending) == before


@pytest.mark.parametrize("who", ["agent", "bangkok_agent", "outsider", "requester"])
def test_only_an_approver_in_scope_who_did_not_ask_may_decide(
    who: str, pending: Remedy, staff_cast: dict[str, User], org: Organisation, bangkok: Location
) -> None:
    user = pending.requested_by if who == "requester" else staff_cast[who]
    assert user is not None
    if who == "requester":  # a supervisor who asked above their own limit may not approve themselves
        user.role = Role.SUPERVISOR
        user.save()
    before = snapshot(pending)
    with pytest.raises(NotAllowed):
        services.approve_remedy(pending, by=user)
    with pytest.raises(NotAllowed):
        services.reject_remedy(pending, "No", by=user)
    assert snapshot(pending) == before


def test_a_supervisor_of_another_location_may_not_decide(pending: Remedy, org: Organisation,
                                                         bangkok: Location) -> None:
    elsewhere = make_staff(org, "bkk_sup", Role.SUPERVISOR, locations=[bangkok])
    before = snapshot(pending)
    with pytest.raises(NotAllowed):
        services.approve_remedy(pending, by=elsewhere)
    assert snapshot(pending) == before


def test_the_second_decision_on_a_stale_read_loses_with_a_clear_message(
    pending: Remedy, supervisor: User, manager: User
) -> None:
    stale = Remedy.objects.select_related("case").get(pk=pending.pk)  # read before the first decision
    services.approve_remedy(pending, by=supervisor, at=MONDAY_10AM)
    before = snapshot(pending)
    with pytest.raises(InvalidTransition, match="Minh already decided on this remedy"):
        services.reject_remedy(stale, "No", by=manager)
    with pytest.raises(InvalidTransition):
        services.approve_remedy(stale, by=manager)
    assert snapshot(pending) == before
    assert Remedy.objects.get(pk=pending.pk).decided_by == supervisor
    assert pending.case.events.filter(kind__in=[EventKind.REMEDY_APPROVED, EventKind.REMEDY_REJECTED]).count() == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite's shared in-memory test database locks whole "
                    "tables across threads; the stale-read test above covers SQLite")
@pytest.mark.django_db(transaction=True)
def test_two_deciders_at_once_exactly_one_wins(pending: Remedy, supervisor: User, manager: User) -> None:
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name: str, user: User, approve: bool) -> None:
        remedy = Remedy.objects.select_related("case").get(pk=pending.pk)
        barrier.wait()
        try:
            if approve:
                services.approve_remedy(remedy, by=user)
            else:
                services.reject_remedy(remedy, "Không", by=user)
            outcomes[name] = "won"
        except ServiceError as exc:
            outcomes[name] = f"lost {exc.status}"
        except Exception as exc:  # recorded so the assertion shows it
            outcomes[name] = f"error {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=("supervisor", supervisor, True)),
               threading.Thread(target=decide, args=("manager", manager, False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["lost 409", "won"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    remedy = Remedy.objects.get(pk=pending.pk)
    assert remedy.status == (RemedyStatus.APPROVED if winner == "supervisor" else RemedyStatus.REJECTED)
    decisions = CaseEvent.objects.filter(kind__in=[EventKind.REMEDY_APPROVED, EventKind.REMEDY_REJECTED])
    assert decisions.count() == 1
    assert Notification.objects.filter(kind__in=["remedy_approved", "remedy_rejected"]).count() == 1


def test_a_granted_remedy_is_not_awaiting_approval(case: Case, agent: User, supervisor: User) -> None:
    granted = services.propose_remedy(case, kind="gesture", amount_minor=150_000, currency="VND", by=agent)
    with pytest.raises(InvalidTransition, match="not awaiting approval"):
        services.approve_remedy(granted, by=supervisor)
    assert Remedy.objects.get(pk=granted.pk).status == RemedyStatus.GRANTED


def test_the_requester_may_cancel_a_pending_remedy(pending: Remedy, agent: User, bangkok_agent: User) -> None:
    with pytest.raises(NotAllowed):
        services.cancel_remedy(pending, "", by=bangkok_agent)
    remedy = services.cancel_remedy(pending, "Khách không cần nữa", by=agent)
    assert remedy.status == RemedyStatus.CANCELLED
    assert remedy.case.events.get(kind=EventKind.REMEDY_CANCELLED).body == "Khách không cần nữa"
    with pytest.raises(InvalidTransition):
        services.cancel_remedy(pending, "", by=agent)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers at BEGIN; see the comment in "
                    "propose_remedy")
@pytest.mark.django_db(transaction=True)
def test_two_proposals_at_once_on_different_cases_keep_the_daily_cap(
    org: Organisation, hanoi: Location, case: Case, agent: User, vi_customer: Any
) -> None:
    from kintsugi.cases import services as case_services

    other = case_services.open_case(by=agent, organisation=org, location=hanoi, channel="phone",
                                    customer=vi_customer, description="Lỗi khác")
    third = case_services.open_case(by=agent, organisation=org, location=hanoi, channel="phone",
                                    customer=vi_customer, description="Lỗi nữa")
    services.propose_remedy(third, kind="refund", amount_minor=500_000, currency="VND", by=agent)
    services.propose_remedy(third, kind="refund", amount_minor=300_000, currency="VND", by=agent)
    barrier = threading.Barrier(2)
    statuses: list[str] = []

    def propose(target: Case) -> None:
        try:
            barrier.wait()
            statuses.append(services.propose_remedy(target, kind="voucher", amount_minor=400_000,
                                                    currency="VND", by=agent).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=propose, args=(target,)) for target in (case, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # 800 000 given today; the frontline day is 1 500 000: only one more 400 000 fits.
    assert sorted(statuses) == [RemedyStatus.GRANTED, RemedyStatus.PENDING_APPROVAL]
