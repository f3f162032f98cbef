"""The fixed test cast: one organisation with two locations (Hà Nội, Bangkok) and their touchpoints; a
frontline agent scoped to Hà Nội, a second agent scoped to Bangkok, a supervisor, a CX manager and an admin;
an outsider (a supervisor of a second organisation, with its own location and case); and a Vietnamese-, a
Thai- and an English-speaking customer. State is built through the services, so tests see real timelines."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from kintsugi.accounts import apiauth
from kintsugi.accounts import selectors as accounts_selectors
from kintsugi.accounts.models import Location, Organisation, Role, Touchpoint, User
from kintsugi.cases import api as cases_api
from kintsugi.cases import selectors, services
from kintsugi.cases.models import Case, Category, Channel, Customer, FailureType, SlaPolicy
from kintsugi.recovery import selectors as recovery_selectors

PASSWORD = "kintsugi-test"
WEEKDAYS_8_TO_17 = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def _clear_process_caches() -> None:
    selectors.clear_caches()
    accounts_selectors.clear_caches()
    recovery_selectors.clear_caches()
    apiauth.clear_cache()
    apiauth.limiter.reset()
    cases_api._by_code.clear()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    # Per-process caches (calendars, policies, API tokens and codes, rate windows) must not outlive a test.
    _clear_process_caches()
    yield
    _clear_process_caches()


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    # A page request activates its user's language in this thread; start every test from English again.
    translation.activate("en")
    yield
    translation.deactivate()


def query_plan(sql: str) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN for a captured statement (its values inlined): one line per step."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return [str(row[-1]) for row in cursor.fetchall()]


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll `condition` every 5 ms until it holds; fail after `timeout` seconds."""
    done = threading.Event()
    for _ in range(int(timeout / 0.005)):
        if condition():
            return
        done.wait(0.005)
    raise AssertionError("timed out waiting for the threads")


def make_staff(org: Organisation, username: str, role: str, *, locations: list[Location] | None = None,
               language: str = "", first_name: str = "") -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, organisation=org, role=role, language=language,
        first_name=first_name or username.title(),
    )
    if locations:
        user.locations.set(locations)
    return user


@pytest.fixture
def org(db: Any) -> Organisation:
    return Organisation.objects.create(name="Lotus Test Hotels", slug="lotus-test", default_language="vi")


@pytest.fixture
def hanoi(org: Organisation) -> Location:
    return Location.objects.create(
        organisation=org, name="Lotus Hà Nội", code="hanoi", timezone="Asia/Ho_Chi_Minh",
        working_hours=WEEKDAYS_8_TO_17, country="VN", languages=["vi", "en"],
    )


@pytest.fixture
def bangkok(org: Organisation) -> Location:
    return Location.objects.create(
        organisation=org, name="Lotus Bangkok", code="bangkok", timezone="Asia/Bangkok",
        working_hours=WEEKDAYS_8_TO_17, country="TH", languages=["th", "en"],
    )


@pytest.fixture
def front_desk(org: Organisation, hanoi: Location) -> Touchpoint:
    return Touchpoint.objects.create(organisation=org, location=hanoi, name="Front desk", code="hn-desk",
                                     kind="front_desk")


@pytest.fixture
def bangkok_desk(org: Organisation, bangkok: Location) -> Touchpoint:
    return Touchpoint.objects.create(organisation=org, location=bangkok, name="Front desk", code="bkk-desk",
                                     kind="front_desk")


@pytest.fixture
def rooms(org: Organisation) -> Category:
    return Category.objects.create(organisation=org, code="rooms", name="Rooms", name_vi="Phòng",
                                   name_th="ห้องพัก", default_failure_type=FailureType.SERVICE_PROCESS)


@pytest.fixture
def billing(org: Organisation) -> Category:
    return Category.objects.create(organisation=org, code="billing", name="Billing", name_vi="Thanh toán",
                                   name_th="การชำระเงิน", default_failure_type=FailureType.MONETARY)


@pytest.fixture
def policy(org: Organisation) -> SlaPolicy:
    return SlaPolicy.objects.create(organisation=org, name="Default", first_response_minutes=60,
                                    resolution_minutes=8 * 60)


@pytest.fixture
def agent(org: Organisation, hanoi: Location) -> User:
    return make_staff(org, "agent", Role.FRONTLINE, locations=[hanoi], first_name="Linh")


@pytest.fixture
def bangkok_agent(org: Organisation, bangkok: Location) -> User:
    return make_staff(org, "bkk_agent", Role.FRONTLINE, locations=[bangkok], language="th", first_name="Somchai")


@pytest.fixture
def supervisor(org: Organisation) -> User:
    return make_staff(org, "supervisor", Role.SUPERVISOR, first_name="Minh")


@pytest.fixture
def manager(org: Organisation) -> User:
    return make_staff(org, "manager", Role.CX_MANAGER, first_name="Anh")


@pytest.fixture
def admin_user(org: Organisation) -> User:
    user = make_staff(org, "admin", Role.ADMIN, first_name="Admin")
    user.is_staff = True
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def other_org(db: Any) -> Organisation:
    return Organisation.objects.create(name="Rival Resorts", slug="rival", default_language="en")


@pytest.fixture
def other_location(other_org: Organisation) -> Location:
    return Location.objects.create(organisation=other_org, name="Rival Phuket", code="phuket",
                                   timezone="Asia/Bangkok", always_open=True, country="TH")


@pytest.fixture
def outsider(other_org: Organisation) -> User:
    return make_staff(other_org, "outsider", Role.SUPERVISOR, first_name="Otto")


@pytest.fixture
def other_case(other_org: Organisation, other_location: Location, outsider: User) -> Case:
    return services.open_case(by=outsider, organisation=other_org, location=other_location,
                              channel=Channel.EMAIL, description="Our minibar was charged twice.")


@pytest.fixture
def vi_customer(org: Organisation) -> Customer:
    return services.find_or_create_customer(organisation=org, name="Nguyễn Thị Hoa", phone="0912 345 678",
                                            zalo_id="zalo-hoa", language="vi")


@pytest.fixture
def th_customer(org: Organisation) -> Customer:
    return services.find_or_create_customer(organisation=org, name="สมศรี ใจดี", phone="081 234 5678",
                                            line_id="U4af4980629", language="th")


@pytest.fixture
def en_customer(org: Organisation) -> Customer:
    return services.find_or_create_customer(organisation=org, name="Emma Wilson", email="emma@example.com",
                                            language="en")


# A weekday, mid-morning in Hà Nội (03:00 UTC = 10:00 local), so SLA clocks are running.
MONDAY_10AM = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)


@pytest.fixture
def case(org: Organisation, hanoi: Location, front_desk: Touchpoint, rooms: Category, policy: SlaPolicy,
         vi_customer: Customer, agent: User) -> Case:
    """A new web-form case at the Hà Nội front desk from the Vietnamese customer."""
    return services.open_case(
        by=None, organisation=org, touchpoint=front_desk, channel=Channel.WEB, customer=vi_customer,
        category=rooms, severity=3, description="Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát.",
    )


@pytest.fixture
def bangkok_case(org: Organisation, bangkok: Location, bangkok_desk: Touchpoint, policy: SlaPolicy,
                 th_customer: Customer) -> Case:
    return services.open_case(
        by=None, organisation=org, touchpoint=bangkok_desk, channel=Channel.LINE, customer=th_customer,
        description="ห้องแอร์ไม่เย็นเลยค่ะ แจ้งไปสองรอบแล้วยังไม่มีใครมาดู",
    )


@pytest.fixture
def staff_cast(agent: User, bangkok_agent: User, supervisor: User, manager: User, admin_user: User,
               outsider: User) -> dict[str, User]:
    return {"agent": agent, "bangkok_agent": bangkok_agent, "supervisor": supervisor, "manager": manager,
            "admin": admin_user, "outsider": outsider}


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client
