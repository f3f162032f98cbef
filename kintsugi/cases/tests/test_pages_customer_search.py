"""GET /customers/search: the log form's customer picker as an HTMX fragment (matches, or the chosen customer)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import login
from kintsugi.accounts.models import Location, Organisation, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, Channel, Customer

MATCHES = {"HX-Request": "true", "HX-Target": "customer-matches"}
PICKER = {"HX-Request": "true", "HX-Target": "customer-picker"}


def test_typing_a_phone_number_lists_the_customer_under_the_box(
    client: Client, agent: User, case: Case, vi_customer: Customer, en_customer: Customer
) -> None:
    login(client, agent)
    response = client.get("/customers/search", {"q": "0912 345 678"}, headers=MATCHES)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<ul class="customer-matches" role="list"')
    assert '<span class="match-name">Nguyễn Thị Hoa</span><span class="badge badge-exact">Exact match</span>' in html
    assert '<span class="identity">+84912345678</span><span class="identity">Zalo zalo-hoa</span>' in html
    assert f"1 earlier case · last on {timezone.localtime(case.created_at):%-d %b %Y}" in html
    assert "A case now would be a repeat failure." in html
    assert f'hx-get="/customers/search?pick={vi_customer.pk}" hx-target="#customer-picker"' in html
    assert f'<button type="submit" name="pick" value="{vi_customer.pk}"' in html
    assert "Emma" not in html
    assert "<html" not in html


def test_nothing_found_says_so(client: Client, agent: User, vi_customer: Customer) -> None:
    login(client, agent)
    html = client.get("/customers/search", {"q": "Lan Phương"}, headers=MATCHES).content.decode()

    assert "No customer found for “Lan Phương”. Add them below." in html


def test_picking_a_customer_returns_the_chosen_customer_with_a_change_link(
    client: Client, agent: User, vi_customer: Customer
) -> None:
    login(client, agent)
    html = client.get("/customers/search", {"pick": vi_customer.pk}, headers=PICKER).content.decode()

    assert html.startswith('<div id="customer-picker" class="customer-picker">')
    assert f'<input type="hidden" name="customer" value="{vi_customer.pk}">' in html
    assert '<span class="match-name">Nguyễn Thị Hoa</span></span>' in html  # no "exact match" badge once chosen
    assert "No earlier cases" in html
    assert 'hx-get="/customers/search" hx-target="#customer-picker" hx-swap="outerHTML">Change</button>' in html


def test_change_brings_back_an_empty_search_box(client: Client, agent: User, vi_customer: Customer) -> None:
    login(client, agent)
    html = client.get("/customers/search", headers=PICKER).content.decode()

    assert '<input type="search" id="customer-q" name="q" value=""' in html
    assert 'name="customer"' not in html


@pytest.mark.parametrize("pick", ["foreign", "999999", "abc"])
def test_picking_a_customer_of_another_organisation_is_404(
    client: Client, agent: User, other_org: Organisation, vi_customer: Customer, pick: str
) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, name="Otto's guest", phone="0912 000 111")
    login(client, agent)
    response = client.get("/customers/search", {"pick": theirs.pk if pick == "foreign" else pick}, headers=PICKER)

    assert response.status_code == 404
    assert "Otto" not in response.content.decode()


def test_the_outsider_finds_none_of_our_customers(
    client: Client, outsider: User, vi_customer: Customer, en_customer: Customer
) -> None:
    login(client, outsider)
    for q in ("+84912345678", "emma@example.com", "Hoa"):
        html = client.get("/customers/search", {"q": q}, headers=MATCHES).content.decode()
        assert "customer-match" not in html
        assert f"No customer found for “{q}”." in html


def test_anonymous_is_sent_to_login(client: Client, vi_customer: Customer) -> None:
    response = client.get("/customers/search", {"q": "0912345678"})

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_search_fragment_costs_a_fixed_number_of_queries(
    client: Client, agent: User, org: Organisation, hanoi: Location, django_assert_num_queries: Any
) -> None:
    for i in range(10):
        customer = services.find_or_create_customer(organisation=org, name=f"Khách {i}", phone=f"0903 000 0{i:02d}")
        services.open_case(by=None, organisation=org, location=hanoi, channel=Channel.WEB, customer=customer,
                           description=f"Complaint {i}.")
    login(client, agent)
    client.get("/customers/search", {"q": "khách"}, headers=MATCHES)

    with django_assert_num_queries(5):  # session, user, organisation, customers with their counts, identities
        html = client.get("/customers/search", {"q": "khách"}, headers=MATCHES).content.decode()
    assert html.count('class="customer-match"') == 8
