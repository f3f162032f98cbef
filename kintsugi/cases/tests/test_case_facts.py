"""The booking or room number and when it happened: checked by open_cases for every door, shown on the staff
case page in the location's time, given and returned by the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import ApiToken, Location, Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.facts import check_occurred_at
from kintsugi.cases.models import Case, Channel, SlaPolicy

pytestmark = pytest.mark.django_db
TEXT = "Phòng 305 chưa được dọn, khăn tắm bẩn và điều hòa không mát."
LAST_NIGHT = datetime(2026, 11, 15, 15, 40, tzinfo=UTC)  # 22:40 on Sunday in Hà Nội


def open_with(org: Organisation, touchpoint: Touchpoint, **facts: object) -> Case:
    [case] = services.open_cases([services.CaseRequest(
        by=None, organisation=org, touchpoint=touchpoint, channel=Channel.WEB, description=TEXT, at=MONDAY_10AM,
        **facts,  # type: ignore[arg-type]
    )])
    return case


def test_a_case_keeps_the_booking_and_when_it_happened(org: Organisation, front_desk: Touchpoint,
                                                       policy: SlaPolicy) -> None:
    case = open_with(org, front_desk, booking_reference="  Room 305 ", occurred_at=LAST_NIGHT)

    case.refresh_from_db()
    assert (case.booking_reference, case.occurred_at) == ("Room 305", LAST_NIGHT)


def test_a_case_without_them_has_none(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> None:
    case = open_with(org, front_desk)

    case.refresh_from_db()
    assert (case.booking_reference, case.occurred_at) == ("", None)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"occurred_at": MONDAY_10AM + timedelta(minutes=6)},
         "That time has not come yet. Please give when it happened."),
        ({"occurred_at": MONDAY_10AM - timedelta(days=366)},
         "That is more than a year ago. Please give a time within the last 12 months."),
        ({"booking_reference": "R" * 51}, "The booking or room number is too long (at most 50 characters)."),
    ],
    ids=["future", "too-old", "long-booking"],
)
def test_open_case_refuses_a_time_to_come_a_time_long_past_and_a_long_booking_number(
    org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, facts: dict[str, object], message: str
) -> None:
    with pytest.raises(services.InvalidInput) as refused:
        open_with(org, front_desk, **facts)

    assert refused.value.message == message
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("delta", "accepted"),
    [(timedelta(minutes=5), True), (timedelta(0), True), (-timedelta(days=365), True),
     (-timedelta(days=365, seconds=1), False), (timedelta(minutes=5, seconds=1), False)],
)
def test_the_edges_of_when_it_may_have_happened(delta: timedelta, accepted: bool) -> None:
    try:
        check_occurred_at(MONDAY_10AM + delta, MONDAY_10AM)
    except services.InvalidInput:
        assert not accepted
    else:
        assert accepted


def test_a_time_without_its_zone_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="occurred_at must carry its time zone"):
        check_occurred_at(LAST_NIGHT.replace(tzinfo=None), MONDAY_10AM)


# --------------------------------------------------------------------------------------------- the case page


def test_the_case_page_shows_the_booking_and_the_local_time_it_happened(
    client: Client, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, agent: User
) -> None:
    case = open_with(org, front_desk, booking_reference="Room 305", occurred_at=LAST_NIGHT)

    page = login(client, agent).get(f"/cases/{case.reference}/").content.decode()

    assert ('<div class="case-fact-booking"><dt>Booking or room</dt><dd>Room 305</dd></div>') in page
    assert ('<div class="case-fact-occurred"><dt>When it happened</dt><dd><time datetime="2026-11-15T22:40:00+07:00">'
            '15 Nov 2026, 22:40 <abbr class="tz">+07</abbr></time></dd></div>') in page


def test_the_case_page_leaves_out_what_was_not_given(
    client: Client, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, agent: User
) -> None:
    case = open_with(org, front_desk)

    page = login(client, agent).get(f"/cases/{case.reference}/").content.decode()

    assert "case-fact-booking" not in page
    assert "case-fact-occurred" not in page


def test_another_organisations_staff_cannot_see_them(
    client: Client, org: Organisation, front_desk: Touchpoint, policy: SlaPolicy, outsider: User
) -> None:
    case = open_with(org, front_desk, booking_reference="Room 305", occurred_at=LAST_NIGHT)

    response = login(client, outsider).get(f"/cases/{case.reference}/")

    assert response.status_code == 404
    assert "Room 305" not in response.content.decode()


# --------------------------------------------------------------------------------------------- the API


def api_post(client: Client, user: User, payload: dict[str, object]) -> object:
    _token, raw = ApiToken.issue(user)
    return client.post("/api/v1/cases", data=payload, content_type="application/json",
                       headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.usefixtures("policy")
def test_the_api_takes_and_returns_them(client: Client, agent: User, hanoi: Location,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_10AM)

    response = api_post(client, agent, {"description": TEXT, "customer": {"name": "An"},
                                        "booking_reference": "BK-7781", "occurred_at": "2026-11-15T22:40:00+07:00"})

    assert response.status_code == 201  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["booking_reference"], body["occurred_at"]) == ("BK-7781", "2026-11-15T15:40:00Z")
    assert Case.objects.get().occurred_at == LAST_NIGHT
    assert api_post(client, agent, {"description": TEXT, "customer": {"name": "An"}}).json()[  # type: ignore[attr-defined]
        "occurred_at"] is None


@pytest.mark.usefixtures("policy")
@pytest.mark.parametrize(
    ("occurred_at", "status", "code"),
    [("2026-11-15T22:40:00", 422, "validation_failed"), ("yesterday", 422, "validation_failed"),
     ("2026-11-17T10:00:00+07:00", 400, "invalid"), ("0001-01-01T00:00:00+07:00", 400, "invalid"),
     ("9999-12-31T23:59:59-05:00", 400, "invalid")],
    ids=["no-offset", "not-a-time", "future", "year-1", "year-9999"],
)
def test_the_api_refuses_a_time_without_offset_or_to_come(
    client: Client, agent: User, hanoi: Location, monkeypatch: pytest.MonkeyPatch, occurred_at: str,
    status: int, code: str
) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: MONDAY_10AM)

    response = api_post(client, agent, {"description": TEXT, "customer": {"name": "An"}, "occurred_at": occurred_at})

    assert response.status_code == status  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == code
    if status == 400:
        assert error["message"] == (
            "That is more than a year ago. Please give a time within the last 12 months." if occurred_at < "2026"
            else "That time has not come yet. Please give when it happened."
        )
    else:
        assert [detail["field"] for detail in error["details"]] == ["occurred_at"]
    assert Case.objects.count() == 0
