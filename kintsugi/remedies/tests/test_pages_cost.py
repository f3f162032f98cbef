"""The cost of failure per location, category and month: remedies given by kind (count and money per currency),
customer costs, customers at risk and revenue at risk, on a small known dataset; the CSV carries the same
figures under the same filters."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.test import Client

from conftest import MONDAY_10AM, login, make_staff
from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases import services as case_services
from kintsugi.cases.models import Case, Category, Customer
from kintsugi.remedies import selectors, services

pytestmark = pytest.mark.usefixtures("limits", "remedy_settings")


@pytest.fixture
def dataset(org: Organisation, hanoi: Location, case: Case, bangkok_case: Case, agent: User, bangkok_agent: User,
            supervisor: User, vi_customer: Customer, en_customer: Customer, billing: Category, limits: object,
            remedy_settings: object) -> None:
    give = services.propose_remedy
    # Hà Nội, Rooms, 2026-11: a gesture and a fulfilled refund count; a pending and a rejected remedy do not.
    give(case, kind="gesture", amount_minor=150_000, currency="VND", by=agent, at=MONDAY_10AM)
    refund = give(case, kind="refund", amount_minor=300_000, currency="VND", by=agent, at=MONDAY_10AM)
    services.fulfil_remedy(refund, "HT-1", by=agent, at=MONDAY_10AM)
    give(case, kind="refund", amount_minor=2_000_000, currency="VND", by=agent, at=MONDAY_10AM)
    rejected = give(case, kind="voucher", amount_minor=900_000, currency="VND", by=agent, at=MONDAY_10AM)
    services.reject_remedy(rejected, "Không phù hợp", by=supervisor, at=MONDAY_10AM)
    services.record_customer_cost(case, kind="money_spent", amount_minor=250_000, currency="VND", by=agent,
                                  at=MONDAY_10AM)
    services.record_customer_cost(case, kind="time_lost", minutes=90, by=agent, at=MONDAY_10AM)
    # Bangkok, no category, 2026-11: a voucher in baht.
    give(bangkok_case, kind="voucher", amount_minor=50_000, currency="THB", by=bangkok_agent, at=MONDAY_10AM)
    # Hà Nội, Billing, 2026-04 (30 April): two resolved failures. The Vietnamese customer did not come back
    # within 90 days (at risk); the English-speaking one opened another case 10 days later (not at risk).
    april = MONDAY_10AM - timedelta(days=200)
    for customer in (vi_customer, en_customer):
        old = case_services.open_case(by=agent, organisation=org, location=hanoi, channel="phone",
                                      customer=customer, category=billing, description="Tính tiền sai", at=april)
        Case.objects.filter(pk=old.pk).update(resolved_at=april, status="resolved", is_open=False)
    case_services.open_case(by=agent, organisation=org, location=hanoi, channel="phone", customer=en_customer,
                            description="Lại tính tiền sai", at=april + timedelta(days=10))


@pytest.mark.usefixtures("dataset")
def test_the_figures_per_month_location_and_category(manager: User) -> None:
    report = selectors.cost_of_failure(manager, now=MONDAY_10AM)
    figures = [(r.month, r.location, r.category, r.remedies, r.costs, r.cost_count, r.cost_minutes, r.at_risk)
               for r in report.rows]
    assert figures == [
        ("2026-11", "Lotus Hà Nội", "Rooms", {"gesture": {"VND": [1, 150_000]}, "refund": {"VND": [1, 300_000]}},
         {"VND": [1, 250_000]}, 2, 90, 0),
        ("2026-11", "Lotus Bangkok", "", {"voucher": {"THB": [1, 50_000]}}, {}, 0, 0, 0),
        ("2026-04", "Lotus Hà Nội", "Billing", {}, {}, 0, 0, 1),
    ]
    assert (report.total_at_risk, report.average_value, report.revenue_at_risk(report.rows[2])) == (
        1, 2_000_000, 2_000_000)


@pytest.mark.usefixtures("dataset")
def test_filters_by_location_category_and_month(manager: User) -> None:
    def months(**filters: object) -> list[tuple[str, str]]:
        report = selectors.cost_of_failure(manager, now=MONDAY_10AM, **filters)  # type: ignore[arg-type]
        return [(r.month, r.location) for r in report.rows]

    assert months(location="bangkok") == [("2026-11", "Lotus Bangkok")]
    assert months(category="billing") == [("2026-04", "Lotus Hà Nội")]
    assert months(location="hanoi", category="rooms") == [("2026-11", "Lotus Hà Nội")]
    assert months(since=date(2026, 6, 1)) == [("2026-11", "Lotus Hà Nội"), ("2026-11", "Lotus Bangkok")]
    assert months(until=date(2026, 5, 1)) == [("2026-04", "Lotus Hà Nội")]


@pytest.mark.usefixtures("dataset")
def test_the_page_and_its_csv(client: Client, manager: User) -> None:
    page = login(client, manager).get("/remedies/cost/").content.decode()
    assert "Small gesture: 1 · 150,000 ₫" in page
    assert "Full refund: 1 · 300,000 ₫" in page
    assert "Voucher: 1 · ฿500.00" in page
    assert "1 customer · 2,000,000 ₫" in page
    response = client.get("/remedies/cost/?location=hanoi&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["month", "location", "category", "measure", "kind", "currency", "count", "amount", "minutes"],
        ["2026-11", "Lotus Hà Nội", "Rooms", "remedy", "gesture", "VND", "1", "150000", ""],
        ["2026-11", "Lotus Hà Nội", "Rooms", "remedy", "refund", "VND", "1", "300000", ""],
        ["2026-11", "Lotus Hà Nội", "Rooms", "customer_cost", "money", "VND", "1", "250000", ""],
        ["2026-11", "Lotus Hà Nội", "Rooms", "customer_cost", "all", "", "2", "", "90"],
        ["2026-04", "Lotus Hà Nội", "Billing", "revenue_at_risk", "customers", "VND", "1", "2000000", ""],
    ]


@pytest.mark.usefixtures("dataset")
def test_a_location_scoped_supervisor_sees_only_their_location(client: Client, agent: User,
                                                               org: Organisation, bangkok: Location) -> None:
    scoped = make_staff(org, "bkk_sup", "supervisor", locations=[bangkok])
    rows = selectors.cost_of_failure(scoped, now=MONDAY_10AM).rows
    assert [(r.location, r.remedies) for r in rows] == [("Lotus Bangkok", {"voucher": {"THB": [1, 50_000]}})]


@pytest.mark.usefixtures("dataset")
def test_the_outsider_sees_none_of_our_figures(client: Client, outsider: User) -> None:
    response = login(client, outsider).get("/remedies/cost/?format=csv")
    assert response.content.decode().strip().splitlines() == [
        "month,location,category,measure,kind,currency,count,amount,minutes"]
