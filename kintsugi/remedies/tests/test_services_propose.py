"""propose_remedy: granted at once within the caller's authority, else pending approval with the case's
supervisors and CX managers told; per remedy, per case in total, per staff member per local day."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from conftest import MONDAY_10AM, make_staff
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.cases import services as case_services
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.cases.services import InvalidInput, InvalidTransition, NotAllowed
from kintsugi.comms.models import Notification
from kintsugi.recovery.testing import complete_steps
from kintsugi.remedies import services
from kintsugi.remedies.models import Remedy, RemedyStatus
from kintsugi.remedies.tests.conftest import THB_LIMITS, VND_LIMITS

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


def give(case: Case, user: User, amount: int, currency: str = "VND", **kwargs: Any) -> Remedy:
    return services.propose_remedy(case, kind=kwargs.pop("kind", "refund"), amount_minor=amount,
                                   currency=currency, by=user, at=kwargs.pop("at", MONDAY_10AM), **kwargs)


@pytest.fixture
def cast(agent: User, supervisor: User, manager: User, admin_user: User) -> dict[str, User]:
    return {Role.FRONTLINE: agent, Role.SUPERVISOR: supervisor, Role.CX_MANAGER: manager, Role.ADMIN: admin_user}


@pytest.mark.parametrize("role", list(VND_LIMITS))
@pytest.mark.parametrize(("offset", "status"), [(0, RemedyStatus.GRANTED), (1, RemedyStatus.PENDING_APPROVAL)])
def test_per_remedy_limit_of_every_role_in_vnd(case: Case, cast: dict[str, User], role: str, offset: int,
                                               status: str) -> None:
    remedy = give(case, cast[role], VND_LIMITS[role][0] + offset)
    assert remedy.status == status
    assert remedy.exceeded == ([] if offset == 0 else ["per_remedy"])


@pytest.mark.parametrize("role", list(THB_LIMITS))
@pytest.mark.parametrize(("offset", "status"), [(0, RemedyStatus.GRANTED), (1, RemedyStatus.PENDING_APPROVAL)])
def test_per_remedy_limit_of_every_role_in_thb_counts_satang(
    bangkok_case: Case, org: Organisation, bangkok: Location, role: str, offset: int, status: str
) -> None:
    user = make_staff(org, f"bkk_{role}", role, locations=[bangkok])
    remedy = give(bangkok_case, user, THB_LIMITS[role][0] + offset, "THB")
    assert (remedy.status, remedy.amount_minor, remedy.currency) == (status, THB_LIMITS[role][0] + offset, "THB")


@pytest.mark.parametrize(("offset", "status"), [(0, RemedyStatus.GRANTED), (1, RemedyStatus.PENDING_APPROVAL)])
def test_the_case_total_counts_what_was_already_given(case: Case, agent: User, supervisor: User, offset: int,
                                                      status: str) -> None:
    give(case, supervisor, 600_000)  # the supervisor's own grant counts towards the case's total
    remedy = give(case, agent, 200_000 + offset)  # frontline per case: 800 000
    assert remedy.status == status
    assert remedy.exceeded == ([] if offset == 0 else ["per_case"])


def test_pending_rejected_and_cancelled_remedies_do_not_count_towards_the_case_total(
    case: Case, agent: User, supervisor: User
) -> None:
    pending = give(case, agent, 700_000)
    services.reject_remedy(pending, "Too much", by=supervisor, at=MONDAY_10AM)
    give(case, agent, 900_000)  # pending, not given
    assert give(case, agent, 500_000).status == RemedyStatus.GRANTED


@pytest.mark.parametrize(("offset", "status"), [(0, RemedyStatus.GRANTED), (1, RemedyStatus.PENDING_APPROVAL)])
def test_the_daily_cap_counts_the_staff_members_own_grants_of_the_local_day(
    org: Organisation, hanoi: Location, case: Case, agent: User, vi_customer: Any, offset: int, status: str
) -> None:
    others = [case_services.open_case(by=agent, organisation=org, location=hanoi, channel="phone",
                                      customer=vi_customer, description=f"Lỗi số {n}") for n in range(4)]
    for other, amount in zip(others, (500_000, 500_000, 400_000), strict=False):
        give(other, agent, amount)
    remedy = give(others[3], agent, 100_000 + offset)  # frontline per day: 1 500 000
    assert remedy.status == status
    assert remedy.exceeded == ([] if offset == 0 else ["per_day"])


def test_yesterdays_grants_in_local_time_do_not_count_today(org: Organisation, hanoi: Location, case: Case,
                                                            agent: User, vi_customer: Any) -> None:
    other = case_services.open_case(by=agent, organisation=org, location=hanoi, channel="phone",
                                    customer=vi_customer, description="Lỗi khác")
    # 16:59 UTC on Sunday is 23:59 on Sunday in Hà Nội; MONDAY_10AM is 10:00 on Monday there.
    sunday_night = MONDAY_10AM.replace(day=15, hour=16, minute=59)
    give(other, agent, 500_000, at=sunday_night)
    give(other, agent, 300_000, at=MONDAY_10AM - timedelta(hours=3))  # 07:00 Monday: today
    assert services.day_total(agent, "VND", at=MONDAY_10AM, tz_name=hanoi.timezone) == 300_000
    assert give(case, agent, 500_000).status == RemedyStatus.GRANTED
    assert give(case, agent, 300_000).status == RemedyStatus.GRANTED  # 1 100 000 today, case at 800 000
    assert services.day_total(agent, "VND", at=MONDAY_10AM, tz_name=hanoi.timezone) == 1_100_000


def test_approved_remedies_do_not_use_up_the_requesters_daily_cap(case: Case, agent: User, supervisor: User) -> None:
    services.approve_remedy(give(case, agent, 1_400_000), by=supervisor, at=MONDAY_10AM)
    assert services.day_total(agent, "VND", at=MONDAY_10AM, tz_name="Asia/Ho_Chi_Minh") == 0


@pytest.mark.usefixtures("hanoi_override")
def test_a_location_limit_overrides_the_organisation_wide_one(case: Case, bangkok_case: Case, agent: User,
                                                              bangkok_agent: User) -> None:
    assert give(case, agent, 1_000_000).status == RemedyStatus.GRANTED
    assert give(case, agent, 1).status == RemedyStatus.PENDING_APPROVAL  # the Hà Nội per-case total is used up


def test_a_role_without_a_limit_row_has_no_authority_but_an_apology_is_always_granted(
    case: Case, agent: User
) -> None:
    assert give(case, agent, 1, "THB").status == RemedyStatus.GRANTED  # THB frontline row exists
    from kintsugi.remedies.models import AuthorityLimit
    AuthorityLimit.objects.filter(role=Role.FRONTLINE).delete()
    assert give(case, agent, 1).status == RemedyStatus.PENDING_APPROVAL
    assert give(case, agent, 0, kind="apology").status == RemedyStatus.GRANTED


def test_granting_writes_the_timeline(case: Case, agent: User) -> None:
    remedy = give(case, agent, 150_000, kind="gesture", description="Giỏ trái cây lên phòng 305",
                  transaction_value_minor=1_000_000)
    event = case.events.get(kind=EventKind.REMEDY_GRANTED)
    assert (event.actor, event.body, event.is_customer_visible) == (agent, "Giỏ trái cây lên phòng 305", False)
    assert event.data == {"remedy_id": remedy.pk, "kind": "gesture", "amount": 150_000, "currency": "VND",
                          "is_goodwill": False}
    assert remedy.granted_at == MONDAY_10AM
    assert Notification.objects.filter(kind="approval_needed").count() == 0


def test_above_the_limit_supervisors_and_managers_of_the_location_are_told(
    org: Organisation, bangkok: Location, case: Case, agent: User, supervisor: User, manager: User
) -> None:
    make_staff(org, "bkk_supervisor", Role.SUPERVISOR, locations=[bangkok])  # not Hà Nội's: not told
    remedy = give(case, agent, 500_001, description="Hoàn tiền hai đêm")
    assert remedy.status == RemedyStatus.PENDING_APPROVAL
    assert remedy.granted_at is None
    event = case.events.get(kind=EventKind.REMEDY_REQUESTED)
    assert event.data["exceeded"] == ["per_remedy"]
    told = Notification.objects.filter(kind="approval_needed").order_by("user__username")
    assert [n.user for n in told] == [manager, supervisor]
    assert told[0].data["url"] == f"/cases/{case.reference}/#remedy-{remedy.pk}"
    assert told[0].data["amount"] == 500_001
    assert not case.events.filter(kind=EventKind.REMEDY_GRANTED).exists()


def test_a_supervisor_above_their_own_limit_is_not_told_about_their_own_request(
    case: Case, supervisor: User, manager: User
) -> None:
    give(case, supervisor, 3_000_001)
    assert [n.user for n in Notification.objects.filter(kind="approval_needed")] == [manager]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"currency": "USD"}, InvalidInput), ({"amount": -1}, InvalidInput), ({"kind": "cash"}, InvalidInput),
     ({"description": "x" * 2001}, InvalidInput), ({"transaction_value_minor": -5}, InvalidInput)],
)
def test_bad_input_is_refused_and_nothing_is_written(case: Case, agent: User, kwargs: dict[str, Any],
                                                     error: type[Exception]) -> None:
    amount = kwargs.pop("amount", 100_000)
    events = case.events.count()
    with pytest.raises(error):
        give(case, agent, amount, kwargs.pop("currency", "VND"), **kwargs)
    assert Remedy.objects.count() == 0
    assert case.events.count() == events


def test_a_closed_case_takes_no_remedy(case: Case, agent: User, supervisor: User) -> None:
    complete_steps(case, by=supervisor)
    case_services.resolve(case, by=supervisor)
    case_services.close_case(case, by=supervisor)
    with pytest.raises(InvalidTransition):
        give(case, agent, 100_000)
    assert Remedy.objects.count() == 0


def test_staff_outside_the_case_cannot_propose_and_nothing_changes(
    case: Case, bangkok_agent: User, outsider: User
) -> None:
    before = CaseEvent.objects.count()
    for user in (bangkok_agent, outsider):
        with pytest.raises(NotAllowed):
            give(case, user, 0, kind="apology")
    assert Remedy.objects.count() == 0
    assert CaseEvent.objects.count() == before
