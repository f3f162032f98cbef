"""open_case: references, SLA deadlines and timers, policy choice, language, repeat failures, validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from conftest import MONDAY_10AM
from kintsugi.accounts.models import Holiday, Location, Organisation, Touchpoint, User
from kintsugi.cases import selectors, services
from kintsugi.cases.models import (
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Channel,
    Customer,
    EventKind,
    Priority,
    SlaPolicy,
    Status,
    Timer,
    TimerKind,
    TimerState,
)
from kintsugi.comms.models import Notification

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
BANGKOK = ZoneInfo("Asia/Bangkok")
VI_TEXT = "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát."
TH_TEXT = "ห้องแอร์ไม่เย็นเลยค่ะ แจ้งไปสองรอบแล้วยังไม่มีใครมาดู"
EN_TEXT = "The room was not cleaned when we arrived and the towels in the bathroom were dirty."


def hanoi_time(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "timers": Timer.objects.count(),
        "counters": CaseCounter.objects.count(),
        "notifications": Notification.objects.count(),
        "customers": Customer.objects.count(),
    }


def open_web_case(org: Organisation, touchpoint: Touchpoint, customer: Customer | None = None, *,
                  at: datetime = MONDAY_10AM, **kwargs: Any) -> Case:
    return services.open_case(by=None, organisation=org, touchpoint=touchpoint, channel=Channel.WEB,
                              customer=customer, description=kwargs.pop("description", VI_TEXT), at=at, **kwargs)


# ------------------------------------------------------------------------------------------ references


def test_references_count_up_from_one_per_organisation_and_year(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    first = open_web_case(org, front_desk)
    second = open_web_case(org, front_desk, at=MONDAY_10AM + timedelta(minutes=5))

    assert (first.reference, second.reference) == ("K-2026-000001", "K-2026-000002")
    assert CaseCounter.objects.get(organisation=org, year=2026).last_number == 2


def test_two_organisations_keep_independent_counters(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, other_org: Organisation,
    other_location: Location, outsider: User,
) -> None:
    ours = [open_web_case(org, front_desk).reference for _ in range(2)]
    theirs = services.open_case(by=outsider, organisation=other_org, location=other_location,
                                channel=Channel.EMAIL, description="Minibar charged twice.", at=MONDAY_10AM)

    assert ours == ["K-2026-000001", "K-2026-000002"]
    assert theirs.reference == "K-2026-000001"


def test_reference_takes_the_local_year_at_the_location(
    org: Organisation, bangkok_desk: Touchpoint, policy: SlaPolicy
) -> None:
    # 31 Dec 23:30 in Bangkok (UTC+7) is still 2026; 1 Jan 00:30 there is 2027 while UTC still says 31 Dec.
    late = open_web_case(org, bangkok_desk, at=datetime(2026, 12, 31, 23, 30, tzinfo=BANGKOK))
    early = open_web_case(org, bangkok_desk, at=datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    later = open_web_case(org, bangkok_desk, at=datetime(2027, 1, 1, 9, 0, tzinfo=BANGKOK))

    assert (late.reference, early.reference, later.reference) == ("K-2026-000001", "K-2027-000001", "K-2027-000002")


# ------------------------------------------------------------------------------------------ SLA deadlines


def test_monday_10am_case_is_due_in_working_hours(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case = open_web_case(org, front_desk)

    assert case.sla_policy == policy
    assert (case.first_response_target_s, case.resolution_target_s) == (3600, 28800)
    assert case.first_response_due_at == hanoi_time(11, 16, 11, 0)
    # 7 working hours left on Monday (10:00-17:00), the eighth on Tuesday from 08:00.
    assert case.resolution_due_at == hanoi_time(11, 17, 9, 0)
    assert case.resolution_running_since == MONDAY_10AM
    assert case.resolution_consumed_s == 0
    assert case.sla_sort == case.first_response_due_at
    assert case.sla_warn_at == hanoi_time(11, 16, 10, 45)


def test_friday_1630_case_is_due_on_monday(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case = open_web_case(org, front_desk, at=hanoi_time(11, 20, 16, 30))

    assert case.first_response_due_at == hanoi_time(11, 23, 8, 30)
    assert case.resolution_due_at == hanoi_time(11, 23, 15, 30)


def test_saturday_case_starts_counting_at_monday_opening(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case = open_web_case(org, front_desk, at=hanoi_time(11, 21, 12, 0))

    assert case.first_response_due_at == hanoi_time(11, 23, 9, 0)
    assert case.resolution_due_at == hanoi_time(11, 23, 16, 0)


def test_web_case_gets_two_pending_warnings_that_carry_their_breaches(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    case = open_web_case(org, front_desk)

    timers = {t.kind: (t.due_at, t.then_due_at, t.state) for t in Timer.objects.filter(case=case)}
    assert timers == {
        TimerKind.FIRST_RESPONSE_WARNING: (utc(11, 16, 3, 45), utc(11, 16, 4, 0), TimerState.PENDING),
        TimerKind.RESOLUTION_WARNING: (utc(11, 16, 9, 0), utc(11, 17, 2, 0), TimerState.PENDING),
    }


def test_warning_follows_the_organisations_warning_percent(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy
) -> None:
    org.sla_warning_percent = 50
    org.save()

    case = open_web_case(org, front_desk)

    due = dict(Timer.objects.filter(case=case).values_list("kind", "due_at"))
    assert due[TimerKind.FIRST_RESPONSE_WARNING] == hanoi_time(11, 16, 10, 30)
    assert due[TimerKind.RESOLUTION_WARNING] == hanoi_time(11, 16, 14, 0)


@pytest.mark.parametrize(
    ("severity", "channel", "expected_policy", "first_response_due"),
    [
        (4, Channel.WEB, "sev4-web", hanoi_time(11, 16, 10, 15)),
        (4, Channel.EMAIL, "sev4", hanoi_time(11, 16, 10, 30)),
        (3, Channel.WEB, "web", hanoi_time(11, 16, 10, 45)),
        (3, Channel.EMAIL, "Default", hanoi_time(11, 16, 11, 0)),
    ],
)
def test_most_specific_sla_policy_wins(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, severity: int, channel: str,
    expected_policy: str, first_response_due: datetime,
) -> None:
    SlaPolicy.objects.create(organisation=org, name="sev4-web", severity=4, channel=Channel.WEB,
                             first_response_minutes=15, resolution_minutes=120)
    SlaPolicy.objects.create(organisation=org, name="sev4", severity=4, first_response_minutes=30,
                             resolution_minutes=240)
    SlaPolicy.objects.create(organisation=org, name="web", channel=Channel.WEB, first_response_minutes=45,
                             resolution_minutes=300)

    case = services.open_case(by=None, organisation=org, touchpoint=front_desk, channel=channel, severity=severity,
                              description=VI_TEXT, at=MONDAY_10AM)

    assert case.sla_policy is not None
    assert case.sla_policy.name == expected_policy
    assert case.first_response_due_at == first_response_due


def test_without_any_policy_the_default_targets_apply(org: Organisation, front_desk: Touchpoint) -> None:
    case = open_web_case(org, front_desk)

    assert case.sla_policy is None
    assert (case.first_response_target_s, case.resolution_target_s) == (8 * 3600, 24 * 3600)
    assert case.first_response_due_at == hanoi_time(11, 17, 9, 0)  # 7 h Monday + 1 h Tuesday
    assert case.resolution_due_at == hanoi_time(11, 18, 16, 0)  # 7 h Monday + 9 h Tuesday + 8 h Wednesday


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.IN_PERSON])
def test_phone_and_walk_in_cases_logged_by_staff_are_already_answered(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, agent: User, vi_customer: Customer, channel: str
) -> None:
    case = services.open_case(by=agent, organisation=org, touchpoint=front_desk, channel=channel,
                              customer=vi_customer, description=VI_TEXT, at=MONDAY_10AM)

    assert case.first_response_at == MONDAY_10AM
    assert case.first_response_due_at is None
    assert case.created_by == agent
    assert case.sla_sort == case.resolution_due_at == hanoi_time(11, 17, 9, 0)
    assert list(Timer.objects.filter(case=case).values_list("kind", "then_due_at")) == [
        (TimerKind.RESOLUTION_WARNING, hanoi_time(11, 17, 9, 0)),
    ]


def test_created_event_opens_the_timeline(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer, rooms: Category
) -> None:
    case = open_web_case(org, front_desk, vi_customer, category=rooms)

    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.actor, event.is_customer_visible, event.body, event.created_at) == (
        EventKind.CREATED, None, True, VI_TEXT, MONDAY_10AM
    )
    assert event.data == {"channel": "web", "severity": 3, "repeat_failure": False}
    assert (case.status, case.is_open, case.priority) == (Status.NEW, True, Priority.NORMAL)
    assert case.location_id == front_desk.location_id
    assert case.failure_type == rooms.default_failure_type
    assert case.subject == VI_TEXT


# ------------------------------------------------------------------------------------------ language


@pytest.mark.parametrize(
    ("customer_fixture", "description", "expected"),
    [
        ("en_customer", VI_TEXT, "vi"),
        ("en_customer", TH_TEXT, "th"),
        ("vi_customer", EN_TEXT, "en"),
        ("en_customer", "phong chua duoc don, khan tam ban qua, nhan vien khong tra loi", "vi"),
        ("th_customer", "OK!!", "th"),
        ("th_customer", "Mat is dirty", "th"),  # too short to tell: one shared word decides nothing
        (None, "OK!!", "vi"),  # no customer: the organisation's default language
    ],
)
def test_case_language_is_detected_from_the_text(
    request: pytest.FixtureRequest, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy,
    customer_fixture: str | None, description: str, expected: str,
) -> None:
    customer = request.getfixturevalue(customer_fixture) if customer_fixture else None

    case = open_web_case(org, front_desk, customer, description=description)

    assert case.language == expected


# ------------------------------------------------------------------------------------------ repeat failures


def test_second_case_within_the_window_is_a_repeat_failure(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer,
    agent: User, bangkok_agent: User, supervisor: User, manager: User, admin_user: User,
) -> None:
    first = open_web_case(org, front_desk, vi_customer, at=MONDAY_10AM - timedelta(days=30))
    second = open_web_case(org, front_desk, vi_customer)

    assert (first.is_repeat_failure, first.priority) == (False, Priority.NORMAL)
    assert (second.is_repeat_failure, second.priority) == (True, Priority.HIGH)
    events = list(CaseEvent.objects.filter(case=second).values_list("kind", "data"))
    assert events == [
        (EventKind.CREATED, {"channel": "web", "severity": 3, "repeat_failure": True}),
        (EventKind.ESCALATED, {"reason": "repeat_failure", "from": "normal", "to": "high"}),
    ]
    notified = Notification.objects.filter(case=second).values_list("user__username", "kind", "data")
    assert sorted(notified) == [
        ("manager", "escalated", {"reason": "repeat_failure"}),
        ("supervisor", "escalated", {"reason": "repeat_failure"}),
    ]


@pytest.mark.parametrize(("days_before", "is_repeat"), [(365, True), (366, False)])
def test_repeat_failure_window_is_the_organisations_setting(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer, supervisor: User,
    days_before: int, is_repeat: bool,
) -> None:
    open_web_case(org, front_desk, vi_customer, at=MONDAY_10AM - timedelta(days=days_before))

    case = open_web_case(org, front_desk, vi_customer)

    assert case.is_repeat_failure is is_repeat
    assert case.priority == (Priority.HIGH if is_repeat else Priority.NORMAL)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATED).count() == (1 if is_repeat else 0)
    assert Notification.objects.filter(case=case).count() == (1 if is_repeat else 0)


def test_another_customers_history_does_not_make_a_repeat_failure(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, vi_customer: Customer, en_customer: Customer
) -> None:
    open_web_case(org, front_desk, en_customer, at=MONDAY_10AM - timedelta(days=1))

    assert open_web_case(org, front_desk, vi_customer).is_repeat_failure is False


# ------------------------------------------------------------------------------------------ validation


@pytest.fixture
def valid_kwargs(org: Organisation, hanoi: Location, front_desk: Touchpoint, rooms: Category, policy: SlaPolicy,
                 vi_customer: Customer, agent: User) -> dict[str, Any]:
    return {"by": agent, "organisation": org, "location": hanoi, "touchpoint": front_desk, "category": rooms,
            "customer": vi_customer, "channel": Channel.WEB, "severity": 3, "description": VI_TEXT,
            "at": MONDAY_10AM}


def test_valid_arguments_open_a_case(valid_kwargs: dict[str, Any]) -> None:
    case = services.open_case(**valid_kwargs)

    assert (case.reference, case.created_by) == ("K-2026-000001", valid_kwargs["by"])


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"description": "   \n "}, services.InvalidInput),
        ({"description": "x" * (services.MAX_DESCRIPTION + 1)}, services.InvalidInput),
        ({"severity": 0}, services.InvalidInput),
        ({"severity": 6}, services.InvalidInput),
        ({"channel": "carrier-pigeon"}, services.InvalidInput),
        ({"failure_type": "cosmic"}, services.InvalidInput),
        ({"touchpoint": "bangkok_desk"}, services.InvalidInput),
        ({"location": "other_location", "touchpoint": None}, services.InvalidInput),
        ({"location": None, "touchpoint": None}, services.InvalidInput),
        ({"category": "other_category"}, services.InvalidInput),
        ({"customer": "other_customer"}, services.InvalidInput),
        ({"by": "outsider"}, services.NotAllowed),
        ({"by": "bangkok_agent"}, services.NotAllowed),
    ],
)
def test_invalid_case_is_refused_and_nothing_is_created(
    request: pytest.FixtureRequest, valid_kwargs: dict[str, Any], other_org: Organisation,
    change: dict[str, Any], error: type[services.ServiceError],
) -> None:
    extra: dict[str, Callable[[], object]] = {
        "other_category": lambda: Category.objects.create(organisation=other_org, code="rooms", name="Rooms"),
        "other_customer": lambda: services.find_or_create_customer(organisation=other_org, email="x@example.com"),
    }
    kwargs = dict(valid_kwargs)
    for key, value in change.items():
        if isinstance(value, str) and value in extra:
            value = extra[value]()
        elif isinstance(value, str) and value in {"bangkok_desk", "other_location", "outsider", "bangkok_agent"}:
            value = request.getfixturevalue(value)
        kwargs[key] = value
    before = counts()

    with pytest.raises(error):
        services.open_case(**kwargs)

    assert counts() == before


# ------------------------------------------------------------------------------------------ selectors it uses


@pytest.mark.parametrize(
    ("severity", "channel", "expected"),
    [(4, "web", "sev4-web"), (4, "email", "sev4"), (2, "web", "web"), (2, "email", "any"), (5, "line", "any")],
)
def test_sla_policy_for_prefers_severity_over_channel_over_default(
    org: Organisation, severity: int, channel: str, expected: str
) -> None:
    for name, sev, chan in [("any", None, ""), ("web", None, "web"), ("sev4", 4, ""), ("sev4-web", 4, "web")]:
        SlaPolicy.objects.create(organisation=org, name=name, severity=sev, channel=chan, first_response_minutes=60,
                                 resolution_minutes=480)

    policy = selectors.sla_policy_for(org.pk, severity, channel)

    assert policy is not None
    assert policy.name == expected


def test_sla_policy_for_is_none_without_a_matching_policy(org: Organisation, other_org: Organisation) -> None:
    SlaPolicy.objects.create(organisation=other_org, name="theirs", first_response_minutes=5, resolution_minutes=10)
    SlaPolicy.objects.create(organisation=org, name="sev1", severity=1, first_response_minutes=5,
                             resolution_minutes=10)

    assert selectors.sla_policy_for(org.pk, 3, "web") is None


def test_sla_policy_for_breaks_ties_by_age(org: Organisation) -> None:
    SlaPolicy.objects.create(organisation=org, name="first", first_response_minutes=60, resolution_minutes=480)
    SlaPolicy.objects.create(organisation=org, name="second", first_response_minutes=30, resolution_minutes=240)

    policy = selectors.sla_policy_for(org.pk, 3, "web")

    assert policy is not None
    assert policy.name == "first"


def test_calendar_is_cached_until_a_holiday_is_added(org: Organisation, hanoi: Location, policy: SlaPolicy,
                                                     front_desk: Touchpoint) -> None:
    cached = selectors.calendar_for(hanoi)
    assert selectors.calendar_for(Location.objects.get(pk=hanoi.pk)) is cached

    Holiday.objects.create(location=hanoi, date=date(2026, 11, 17), name="Teachers' Day (observed)")

    fresh = Location.objects.get(pk=hanoi.pk)
    assert selectors.calendar_for(fresh) is not cached
    assert selectors.calendar_for(fresh).holidays == frozenset({date(2026, 11, 17)})
    case = open_web_case(org, Touchpoint.objects.get(pk=front_desk.pk))
    assert case.resolution_due_at == hanoi_time(11, 18, 9, 0)  # 7 h Monday, Tuesday off, 1 h Wednesday


def test_calendar_follows_changed_working_hours(org: Organisation, hanoi: Location) -> None:
    cached = selectors.calendar_for(hanoi)

    hanoi.always_open = True
    hanoi.save()

    assert selectors.calendar_for(hanoi) is not cached
    assert selectors.calendar_for(hanoi).always_open is True


def test_the_created_event_carries_the_customers_words_the_actor_and_the_cases_moment(
    org: Organisation, hanoi: Location, agent: User,
) -> None:
    [case] = services.open_cases([services.CaseRequest(
        by=agent, organisation=org, description="Nước nóng không chảy", channel="phone", location=hanoi,
        language="vi", at=MONDAY_10AM,
    )])

    written = CaseEvent.objects.get(case=case, kind=EventKind.CREATED)
    assert (written.body, written.actor_id, written.created_at, written.is_customer_visible) == (
        "Nước nóng không chảy", agent.pk, MONDAY_10AM, True)
    assert written.data == {"channel": "phone", "severity": 3, "repeat_failure": False}
