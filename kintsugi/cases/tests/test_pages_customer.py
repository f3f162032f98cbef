"""The customer page (/customers/<id>/) and merging from it: what it shows, who may see it (the whole cast), the
merge pages for supervisors, and pinned query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, CaseEvent, Channel, Customer, CustomerIdentity


def url(customer: Customer, action: str = "") -> str:
    return f"/customers/{customer.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def bangkok_stay(org: Organisation, bangkok: Location, vi_customer: Customer, case: Case) -> Case:
    """Hoa also complained in Bangkok, after her Hà Nội case."""
    return services.open_case(by=None, organisation=org, location=bangkok, channel=Channel.EMAIL,
                              customer=vi_customer, description="The airport transfer never came.")


@pytest.fixture
def duplicate(org: Organisation, hanoi: Location) -> Customer:
    customer = services.find_or_create_customer(organisation=org, name="Hoa N.", email="hoa.nguyen@example.com")
    services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.EMAIL, customer=customer,
                       description="Bữa sáng nguội.")
    return customer


def snapshot() -> dict[str, Any]:
    return {
        "customers": sorted(Customer.objects.values_list("pk", "name", "merged_into_id")),
        "identities": sorted(CustomerIdentity.objects.values_list("pk", "customer_id")),
        "cases": sorted(Case.objects.values_list("pk", "customer_id", "updated_at")),
        "events": CaseEvent.objects.count(),
    }


# ------------------------------------------------------------------------------------------ what the page shows


def test_the_customer_page_shows_identities_and_every_case(
    client: Client, supervisor: User, vi_customer: Customer, case: Case, bangkok_stay: Case
) -> None:
    login(client, supervisor)
    html = client.get(url(vi_customer)).content.decode()

    assert "<h1>Nguyễn Thị Hoa</h1>" in html
    assert '<dd class="identity"><a href="tel:+84912345678">+84912345678</a></dd>' in html
    assert "<dt>Zalo</dt><dd class=\"identity\">zalo-hoa</dd>" in html
    assert "<dd>Vietnamese (Tiếng Việt)</dd>" in html
    assert "2 cases</h2>" in html
    assert html.index(bangkok_stay.reference) < html.index(case.reference)  # newest first
    assert f'<a href="/cases/{case.reference}/"><span class="case-ref">{case.reference}</span>' in html
    assert "more case" not in html
    assert "Merge into…" in html
    assert f'action="/customers/{vi_customer.pk}/merge/"' in html


def test_a_location_scoped_agent_sees_only_their_cases_and_a_count_of_the_others(
    client: Client, agent: User, vi_customer: Customer, case: Case, bangkok_stay: Case
) -> None:
    login(client, agent)
    html = client.get(url(vi_customer)).content.decode()

    assert case.reference in html
    assert bangkok_stay.reference not in html
    assert "The airport transfer never came." not in html
    assert "1 case</h2>" in html
    assert "1 more case at a location you cannot see." in html
    assert "Merge into…" not in html


def test_the_case_page_links_the_customer_to_their_page(
    client: Client, agent: User, vi_customer: Customer, case: Case
) -> None:
    login(client, agent)
    html = client.get(f"/cases/{case.reference}/").content.decode()

    assert f'<p class="customer-name"><a href="/customers/{vi_customer.pk}/">Nguyễn Thị Hoa</a></p>' in html


def test_the_merge_is_described_on_the_case_timeline(
    client: Client, supervisor: User, vi_customer: Customer, duplicate: Customer, case: Case
) -> None:
    services.merge_customers(duplicate, vi_customer, by=supervisor)
    login(client, supervisor)
    html = client.get(f"/cases/{case.reference}/").content.decode()

    assert "Minh merged the customer record “Hoa N.” into “Nguyễn Thị Hoa”." in html


def test_a_merged_record_leads_to_the_survivor(
    client: Client, supervisor: User, vi_customer: Customer, duplicate: Customer
) -> None:
    services.merge_customers(duplicate, vi_customer, by=supervisor)
    login(client, supervisor)
    response = client.get(url(duplicate))

    assert (response.status_code, response["Location"]) == (302, url(vi_customer))


# ------------------------------------------------------------------------------------------ who may see it


@pytest.mark.parametrize(
    ("who", "hanoi_only", "bangkok_only"),
    [("agent", 200, 404), ("bangkok_agent", 404, 200), ("supervisor", 200, 200), ("manager", 200, 200),
     ("admin", 200, 200), ("outsider", 404, 404)],
)
def test_customer_page_isolation_over_the_whole_cast(
    client: Client, staff_cast: dict[str, User], vi_customer: Customer, th_customer: Customer, case: Case,
    bangkok_case: Case, who: str, hanoi_only: int, bangkok_only: int
) -> None:
    before = snapshot()
    login(client, staff_cast[who])

    for customer, expected in ((vi_customer, hanoi_only), (th_customer, bangkok_only)):
        response = client.get(url(customer))
        assert response.status_code == expected
        if expected == 404:
            assert customer.name not in response.content.decode()
    assert snapshot() == before


def test_a_customer_without_cases_is_seen_only_by_unscoped_staff(
    client: Client, staff_cast: dict[str, User], en_customer: Customer
) -> None:
    for who, expected in (("agent", 404), ("bangkok_agent", 404), ("supervisor", 200), ("outsider", 404)):
        login(client, staff_cast[who])
        assert client.get(url(en_customer)).status_code == expected


@pytest.mark.parametrize("who", ["agent", "bangkok_agent", "supervisor", "manager", "admin"])
def test_another_organisations_customer_is_404_for_everyone_here(
    client: Client, staff_cast: dict[str, User], other_case: Case, other_org: Organisation, who: str
) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, name="Rival guest", phone="0912 000 111")
    other_case.customer = theirs
    other_case.save(update_fields=["customer"])
    login(client, staff_cast[who])

    for path in (url(theirs), url(theirs, "merge")):
        response = client.get(path)
        assert response.status_code == 404
        assert "Rival guest" not in response.content.decode()


@pytest.mark.parametrize("path", ["", "merge"])
def test_anonymous_is_sent_to_login(client: Client, vi_customer: Customer, path: str) -> None:
    response = client.get(url(vi_customer, path))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# ------------------------------------------------------------------------------------------ merging


def test_a_supervisor_merges_a_duplicate_into_the_customer_it_belongs_to(
    client: Client, supervisor: User, vi_customer: Customer, duplicate: Customer, case: Case
) -> None:
    login(client, supervisor)
    found = client.get(url(duplicate, "merge"), {"q": "0912 345 678"}).content.decode()
    assert "Merge “Hoa N.” into…" in found
    assert f'href="/customers/{duplicate.pk}/merge/{vi_customer.pk}/"' in found

    confirm = client.get(url(duplicate, f"merge/{vi_customer.pk}")).content.decode()
    assert confirm.index("Hoa N.") < confirm.index("Nguyễn Thị Hoa")
    assert "1 case moves to the record that stays." in confirm
    assert "hoa.nguyen@example.com" in confirm

    response = client.post(url(duplicate, f"merge/{vi_customer.pk}"))

    assert (response.status_code, response["Location"]) == (302, url(vi_customer))
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == vi_customer.pk
    assert vi_customer.cases.count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "“Hoa N.” was merged into “Nguyễn Thị Hoa”." in page
    assert "hoa.nguyen@example.com" in page
    assert "2 cases</h2>" in page


def test_the_merge_search_leaves_out_the_record_itself(
    client: Client, supervisor: User, vi_customer: Customer, duplicate: Customer
) -> None:
    login(client, supervisor)
    html = client.get(url(duplicate, "merge"), {"q": "hoa"}).content.decode()

    assert f'href="/customers/{duplicate.pk}/merge/{vi_customer.pk}/"' in html
    assert f'/merge/{duplicate.pk}/"' not in html


@pytest.mark.parametrize("who", ["agent"])
def test_frontline_staff_cannot_merge_from_the_page_and_nothing_changes(
    client: Client, staff_cast: dict[str, User], vi_customer: Customer, duplicate: Customer, case: Case, who: str
) -> None:
    before = snapshot()
    login(client, staff_cast[who])

    assert client.get(url(duplicate, "merge")).status_code == 403
    assert client.get(url(duplicate, f"merge/{vi_customer.pk}")).status_code == 403
    assert client.post(url(duplicate, f"merge/{vi_customer.pk}")).status_code == 403
    assert snapshot() == before


def test_the_outsider_cannot_merge_our_customers_and_nothing_changes(
    client: Client, outsider: User, vi_customer: Customer, duplicate: Customer
) -> None:
    before = snapshot()
    login(client, outsider)

    assert client.post(url(duplicate, f"merge/{vi_customer.pk}")).status_code == 404
    assert snapshot() == before


def test_merging_into_another_organisations_customer_is_404_and_nothing_changes(
    client: Client, supervisor: User, other_org: Organisation, duplicate: Customer
) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, name="Rival guest", phone="0912 000 111")
    before = snapshot()
    login(client, supervisor)

    assert client.post(url(duplicate, f"merge/{theirs.pk}")).status_code == 404
    assert snapshot() == before


def test_a_refused_merge_is_shown_on_the_confirm_page(
    client: Client, supervisor: User, vi_customer: Customer
) -> None:
    login(client, supervisor)
    response = client.post(url(vi_customer, f"merge/{vi_customer.pk}"))

    assert response.status_code == 302
    assert "A customer cannot be merged into themselves." in client.get(response["Location"]).content.decode()
    assert Customer.objects.get(pk=vi_customer.pk).merged_into_id is None


# ------------------------------------------------------------------------------------------ query counts


@pytest.mark.parametrize(("who", "queries"), [("supervisor", 7), ("agent", 8)])
def test_the_customer_page_costs_a_fixed_number_of_queries(
    client: Client, staff_cast: dict[str, User], org: Organisation, hanoi: Location, bangkok: Location,
    vi_customer: Customer, case: Case, who: str, queries: int, django_assert_num_queries: Any
) -> None:
    login(client, staff_cast[who])
    client.get(url(vi_customer))
    # session, user, scope, customer, identities, cases, notifications (+ the hidden-case count when scoped)
    with django_assert_num_queries(queries):
        assert client.get(url(vi_customer)).status_code == 200
    for i in range(6):
        services.open_case(by=None, organisation=org, location=hanoi if i % 2 else bangkok, channel=Channel.WEB,
                           customer=vi_customer, description=f"Complaint {i}.")
    with django_assert_num_queries(queries):
        assert client.get(url(vi_customer)).status_code == 200
