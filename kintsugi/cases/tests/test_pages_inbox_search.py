"""The inbox's search box (`?q=`): it finds cases with the view and filters around it, pages newest first, and
shows no case the staff member may not see. What a query finds in detail: test_search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from conftest import MONDAY_10AM, login
from kintsugi.accounts.models import Location, Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case
from kintsugi.cases.tests.inbox_cases import listed, open_web
from kintsugi.cases.tests.test_api_cases import token


@pytest.fixture
def hot_water(org: Organisation, front_desk: Touchpoint, bangkok_desk: Touchpoint) -> list[Case]:
    """Five cases about hot water (Hà Nội, Bangkok, alternating; the Bangkok ones in Thai), one about Wi-Fi."""
    cases = []
    for i in range(5):
        touchpoint, text = (front_desk, f"Không có nước nóng ở phòng 20{i}.") if i % 2 == 0 else (
            bangkok_desk, f"ห้อง 20{i} น้ำไม่ร้อนเลยค่ะ")
        cases.append(open_web(org, touchpoint, MONDAY_10AM + timedelta(minutes=i), description=text))
    open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=9), description="Wifi yếu quá.")
    return cases


def newest_first(*cases: Case) -> list[str]:
    return [c.reference for c in sorted(cases, key=lambda c: -c.pk)]


def test_search_lists_the_matching_cases_newest_first(client: Client, supervisor: User,
                                                     hot_water: list[Case]) -> None:
    login(client, supervisor)
    response = client.get("/cases/?q=nuoc nong")
    assert listed(response) == newest_first(hot_water[0], hot_water[2], hot_water[4])
    html = response.content.decode()
    assert 'value="nuoc nong"' in html
    assert "Cases matching “nuoc nong”, newest first." in html


def test_search_finds_thai_inside_a_sentence_without_spaces(client: Client, supervisor: User,
                                                            hot_water: list[Case]) -> None:
    login(client, supervisor)
    assert listed(client.get("/cases/?q=น้ำไม่ร้อน")) == newest_first(hot_water[1], hot_water[3])


def test_search_composes_with_the_filters_and_the_view(client: Client, supervisor: User, hot_water: list[Case],
                                                       hanoi: Location, agent: User) -> None:
    services.assign(hot_water[2], agent, by=supervisor)
    login(client, supervisor)
    assert listed(client.get(f"/cases/?q=phong+20&location={hanoi.pk}")) == newest_first(*hot_water[0::2])
    assert listed(client.get(f"/cases/?q=phong+20&location={hanoi.pk}&view=unassigned")) == newest_first(
        hot_water[0], hot_water[4])
    assert listed(client.get("/cases/?q=phong+20&view=mine")) == []
    assert listed(client.get("/cases/?q=phong+20&view=closed")) == []


def test_search_pages_follow_the_cursor(client: Client, supervisor: User, org: Organisation,
                                        front_desk: Touchpoint) -> None:
    opened = [open_web(org, front_desk, MONDAY_10AM + timedelta(minutes=i), description=f"Điều hòa hỏng {i}.")
              for i in range(27)]
    login(client, supervisor)
    first = client.get("/cases/?q=dieu hoa")
    assert listed(first) == newest_first(*opened)[:25]
    cursor = first.content.decode().split("cursor=")[1].split('"')[0]
    second = client.get(f"/cases/?q=dieu+hoa&cursor={cursor}")
    assert listed(second) == newest_first(*opened)[25:]


def test_the_htmx_search_swaps_only_the_results(client: Client, supervisor: User, hot_water: list[Case]) -> None:
    login(client, supervisor)
    response = client.get("/cases/?q=wifi", headers={"HX-Request": "true", "HX-Target": "inbox-results"})
    html = response.content.decode()
    assert listed(response) == [Case.objects.get(description="Wifi yếu quá.").reference]
    assert "<html" not in html
    assert 'id="inbox-q"' not in html


def test_a_reference_and_a_phone_number_find_their_case(client: Client, supervisor: User, case: Case) -> None:
    login(client, supervisor)
    assert listed(client.get(f"/cases/?q={case.reference.lower()}")) == [case.reference]
    assert listed(client.get("/cases/?q=%2B84912345678")) == [case.reference]


def test_a_too_short_query_says_so_and_finds_nothing(client: Client, supervisor: User, case: Case) -> None:
    login(client, supervisor)
    response = client.get("/cases/?q=ph")
    assert listed(response) == []
    assert "Type at least 3 characters" in response.content.decode()


def test_no_match_says_what_was_searched(client: Client, supervisor: User, case: Case) -> None:
    login(client, supervisor)
    response = client.get("/cases/?q=thang may")
    assert listed(response) == []
    assert "No cases match “thang may” here." in response.content.decode()


@pytest.mark.parametrize(("who", "expected"), [
    ("agent", ["hanoi"]),
    ("bangkok_agent", ["bangkok"]),
    ("supervisor", ["bangkok", "hanoi"]),
    ("manager", ["bangkok", "hanoi"]),
    ("admin", ["bangkok", "hanoi"]),
    ("outsider", ["other"]),
])
def test_search_shows_only_the_cases_each_staff_member_may_see(
    client: Client, staff_cast: dict[str, User], case: Case, bangkok_case: Case, other_case: Case,
    who: str, expected: list[str]
) -> None:
    # Every case's reference holds its year, so "2026" finds every case the staff member may see, and no other.
    login(client, staff_cast[who])
    cases = {"hanoi": case, "bangkok": bangkok_case, "other": other_case}
    assert listed(client.get("/cases/?q=2026")) == newest_first(*(cases[key] for key in expected))


def test_the_search_box_is_on_the_inbox_in_every_language(client: Client, supervisor: User) -> None:
    login(client, supervisor)
    for language, placeholder in (("en", "Search: reference, phone, email, name or words"),
                                  ("vi", "Tìm: mã hồ sơ, điện thoại, email, tên hoặc từ"),
                                  ("th", "ค้นหา: เลขเคส เบอร์โทร อีเมล ชื่อ หรือคำ")):
        supervisor.language = language
        supervisor.save(update_fields=["language"])
        assert placeholder in client.get("/cases/").content.decode()


def test_the_api_lists_search_results_newest_first(client: Client, supervisor: User, hot_water: list[Case]) -> None:
    response = client.get("/api/v1/cases?q=NƯỚC NÓNG&limit=2", headers=token(supervisor))
    assert response.status_code == 200
    body = response.json()
    assert [item["reference"] for item in body["items"]] == newest_first(hot_water[0], hot_water[2],
                                                                         hot_water[4])[:2]
    more = client.get(f"/api/v1/cases?q=nuoc+nong&limit=2&cursor={body['next_cursor']}", headers=token(supervisor))
    assert [item["reference"] for item in more.json()["items"]] == [hot_water[0].reference]
    assert more.json()["next_cursor"] is None
    thai = client.get("/api/v1/cases?q=น้ำไม่ร้อน&channel=web", headers=token(supervisor))
    assert [item["reference"] for item in thai.json()["items"]] == newest_first(hot_water[1], hot_water[3])


def test_the_api_search_never_finds_another_organisations_case(client: Client, outsider: User, case: Case,
                                                              other_case: Case) -> None:
    for q in ("phong", "0912 345 678", "nguyen thi hoa"):
        response = client.get(f"/api/v1/cases?q={q}", headers=token(outsider))
        assert response.status_code == 200
        assert response.json()["items"] == []
    own = client.get("/api/v1/cases?q=minibar", headers=token(outsider))
    assert [item["reference"] for item in own.json()["items"]] == [other_case.reference]


@pytest.mark.parametrize("q", ["%00phong", "phong%00", "%22%22%22", "a*b*c", "NEAR(phong)", "%25%25%25", "___",
                               "phong OR dieu", "%27 or 1=1 --", "%5C%5C%5C"])
def test_any_text_typed_is_searched_as_text(client: Client, supervisor: User, case: Case, q: str) -> None:
    login(client, supervisor)
    for view in ("open", "closed"):
        response = client.get(f"/cases/?q={q}&view={view}")
        assert response.status_code == 200
    expected = [case.reference] if q in ("%00phong", "phong%00") else []
    assert listed(client.get(f"/cases/?q={q}")) == expected
