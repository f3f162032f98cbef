"""search_customers: the log form's customer picker, found by any identity as typed or by part of a name, within
the user's organisation, exact identity matches first, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases import selectors, services
from kintsugi.cases.models import Case, Channel, Customer


def names(matches: list[selectors.CustomerMatch]) -> list[str]:
    return [m.customer.name for m in matches]


@pytest.mark.parametrize("q", ["+84912345678", "+84 912 345 678", "0912 345 678", "0912345678", "091-234-5678"])
def test_a_phone_number_in_any_format_finds_the_customer(
    supervisor: User, vi_customer: Customer, th_customer: Customer, en_customer: Customer, q: str
) -> None:
    [match] = selectors.search_customers(supervisor, q)

    assert match.customer == vi_customer
    assert [(i.kind, i.value) for i in match.identities] == [("phone", "+84912345678"), ("zalo", "zalo-hoa")]
    assert (match.is_exact, match.case_count, match.last_case_at, match.is_repeat_risk) == (True, 0, None, False)


def test_a_number_valid_in_both_countries_finds_the_thai_customer(
    supervisor: User, vi_customer: Customer, th_customer: Customer
) -> None:
    # 081 234 5678 reads as +84 81 234 5678 and as +66 81 234 5678: both are looked up.
    assert names(selectors.search_customers(supervisor, "081 234 5678")) == ["สมศรี ใจดี"]


@pytest.mark.parametrize("q", ["emma@example.com", "  Emma@Example.COM "])
def test_an_email_finds_the_customer_whatever_its_case(supervisor: User, en_customer: Customer, q: str) -> None:
    [match] = selectors.search_customers(supervisor, q)

    assert (match.customer, match.is_exact) == (en_customer, True)
    assert [(i.kind, i.value) for i in match.identities] == [("email", "emma@example.com")]


@pytest.mark.parametrize(("q", "expected"), [("U4af4980629", "สมศรี ใจดี"), ("zalo-hoa", "Nguyễn Thị Hoa")])
def test_a_line_or_zalo_id_finds_the_customer(
    supervisor: User, vi_customer: Customer, th_customer: Customer, q: str, expected: str
) -> None:
    assert names(selectors.search_customers(supervisor, q)) == [expected]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("hoa", ["Nguyễn Thị Hoa"]), ("Thị H", ["Nguyễn Thị Hoa"]), ("wilson", ["Emma Wilson"]), ("ใจดี", ["สมศรี ใจดี"]),
     ("zzz", [])],
)
def test_part_of_a_name_finds_the_customer(
    supervisor: User, vi_customer: Customer, th_customer: Customer, en_customer: Customer, q: str,
    expected: list[str]
) -> None:
    matches = selectors.search_customers(supervisor, q)

    assert names(matches) == expected
    assert [m.is_exact for m in matches] == [False] * len(expected)


def test_an_exact_identity_comes_before_names_that_contain_the_text(
    supervisor: User, org: Organisation, hanoi: Location
) -> None:
    by_name = services.find_or_create_customer(organisation=org, name="Minh Trần", phone="0903 111 222")
    services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.WEB, customer=by_name,
                       description="Noisy room.")
    by_line = services.find_or_create_customer(organisation=org, name="Lan", line_id="minh")

    matches = selectors.search_customers(supervisor, "minh")

    assert [(m.customer.pk, m.is_exact) for m in matches] == [(by_line.pk, True), (by_name.pk, False)]


def test_earlier_cases_and_the_repeat_failure_hint(
    supervisor: User, org: Organisation, hanoi: Location, vi_customer: Customer, en_customer: Customer
) -> None:
    now = timezone.now()
    for days_ago in (90, 3):
        services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.WEB, customer=vi_customer,
                           description=f"Case from {days_ago} days ago.", at=now - timedelta(days=days_ago))
    services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.WEB, customer=en_customer,
                       description="An old case.", at=now - timedelta(days=org.repeat_failure_window_days + 1))

    [hoa] = selectors.search_customers(supervisor, "0912345678", now=now)
    [emma] = selectors.search_customers(supervisor, "emma@example.com", now=now)

    assert (hoa.case_count, hoa.last_case_at, hoa.is_repeat_risk) == (2, now - timedelta(days=3), True)
    assert (emma.case_count, emma.is_repeat_risk) == (1, False)


def test_merged_records_never_appear(supervisor: User, org: Organisation, vi_customer: Customer) -> None:
    duplicate = services.find_or_create_customer(organisation=org, name="Hoa Nguyen", email="hoa@example.com")
    services.merge_customers(duplicate, vi_customer, by=supervisor)

    assert names(selectors.search_customers(supervisor, "Hoa Nguyen")) == []
    assert names(selectors.search_customers(supervisor, "hoa@example.com")) == ["Nguyễn Thị Hoa"]


def test_another_organisations_customer_never_appears(
    staff_cast: dict[str, User], other_org: Organisation, vi_customer: Customer
) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, name="Nguyễn Thị Hoa", phone="0912 345 678")

    for who in ("agent", "bangkok_agent", "supervisor", "manager", "admin"):
        for q in ("0912 345 678", "Hoa", "zalo-hoa"):
            assert [m.customer.pk for m in selectors.search_customers(staff_cast[who], q)] == [vi_customer.pk]
    assert [m.customer.pk for m in selectors.search_customers(staff_cast["outsider"], "0912 345 678")] == [theirs.pk]
    assert selectors.search_customers(staff_cast["outsider"], "zalo-hoa") == []


def test_the_outsider_finds_nothing_of_ours(
    outsider: User, vi_customer: Customer, th_customer: Customer, en_customer: Customer
) -> None:
    for q in ("+84912345678", "emma@example.com", "U4af4980629", "Hoa", "Emma"):
        assert selectors.search_customers(outsider, q) == []


def test_a_user_outside_any_organisation_finds_nothing(db: Any, vi_customer: Customer) -> None:
    nobody = User.objects.create_user(username="nobody", password="x")

    assert selectors.search_customers(nobody, "0912345678") == []


def test_visible_only_keeps_customers_with_a_case_in_scope(
    agent: User, case: Case, vi_customer: Customer, th_customer: Customer, bangkok_case: Case
) -> None:
    assert names(selectors.search_customers(agent, "0912345678", visible_only=True)) == ["Nguyễn Thị Hoa"]
    assert names(selectors.search_customers(agent, "081 234 5678", visible_only=True)) == []
    assert names(selectors.search_customers(agent, "081 234 5678")) == ["สมศรี ใจดี"]


@pytest.mark.parametrize("q", ["", "   ", "a"])
def test_a_blank_or_one_letter_query_asks_nothing(
    supervisor: User, vi_customer: Customer, q: str, django_assert_num_queries: Any
) -> None:
    # One letter is looked up as a chat id only (no customer found: no identities to read).
    with django_assert_num_queries(0 if not q.strip() else 1):
        assert selectors.search_customers(supervisor, q) == []


def test_the_search_costs_two_queries_however_many_match(
    supervisor: User, org: Organisation, hanoi: Location, django_assert_num_queries: Any
) -> None:
    for i in range(12):
        customer = services.find_or_create_customer(organisation=org, name=f"Khách {i:02d}", phone=f"0903 000 0{i:02d}")
        services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.WEB, customer=customer,
                           description=f"Complaint {i}.")

    with django_assert_num_queries(2):  # the customers with their case counts; their identities
        matches = selectors.search_customers(supervisor, "khách")
    with django_assert_num_queries(0):
        assert [len(m.identities) for m in matches] == [1] * 8
    assert len(matches) == 8
    with django_assert_num_queries(2):
        assert names(selectors.search_customers(supervisor, "0903 000 005", limit=3)) == ["Khách 05"]
