"""find_or_create_customer: phone and email normalisation, matching by any identity, identities per organisation."""

from __future__ import annotations

from typing import Any

import pytest

from kintsugi.accounts.models import Organisation
from kintsugi.cases import services
from kintsugi.cases.models import Customer, CustomerIdentity


def identities(customer: Customer) -> list[tuple[str, str]]:
    return sorted(customer.identities.values_list("kind", "value"))


def test_vietnamese_customer_gets_identities_in_e164(vi_customer: Customer) -> None:
    assert identities(vi_customer) == [("phone", "+84912345678"), ("zalo", "zalo-hoa")]
    assert (vi_customer.name, vi_customer.language) == ("Nguyễn Thị Hoa", "vi")


def test_thai_customer_gets_a_thai_number(th_customer: Customer) -> None:
    # 081 234 5678 is a valid number in both countries; the customer's language says which one it is.
    assert identities(th_customer) == [("line", "U4af4980629"), ("phone", "+66812345678")]


@pytest.mark.parametrize(
    ("raw", "language", "expected"),
    [
        ("0912 345 678", "vi", "+84912345678"),
        ("0912345678", "", "+84912345678"),  # the organisation speaks Vietnamese
        ("+84 912 345 678", "th", "+84912345678"),
        ("081 234 5678", "th", "+66812345678"),
        ("+66 81 234 5678", "vi", "+66812345678"),
        ("+66812345678", "", "+66812345678"),
        ("02 123 4567", "th", "+6621234567"),  # a Bangkok landline: not a Vietnamese number at all
    ],
)
def test_phone_numbers_are_normalised_to_e164(org: Organisation, raw: str, language: str, expected: str) -> None:
    customer = services.find_or_create_customer(organisation=org, phone=raw, language=language)

    assert identities(customer) == [("phone", expected)]


@pytest.mark.parametrize("raw", ["12345", "call me", "+1 555", "0912 345 678 999 000"])
def test_invalid_phone_is_refused_and_nothing_is_created(org: Organisation, raw: str) -> None:
    with pytest.raises(services.InvalidInput, match="is not a valid phone number"):
        services.find_or_create_customer(organisation=org, name="Nobody", phone=raw)

    assert (Customer.objects.count(), CustomerIdentity.objects.count()) == (0, 0)


@pytest.mark.parametrize("raw", ["no-at-sign", "a@nodot", "two words@example.com", "@example.com"])
def test_invalid_email_is_refused_and_nothing_is_created(org: Organisation, raw: str) -> None:
    with pytest.raises(services.InvalidInput, match="is not a valid email address"):
        services.find_or_create_customer(organisation=org, email=raw)

    assert (Customer.objects.count(), CustomerIdentity.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "identity",
    [
        {"phone": "+84 912 345 678"},
        {"phone": "0912345678"},
        {"zalo_id": " zalo-hoa "},
        {"phone": "0912 345 678", "zalo_id": "zalo-hoa"},
    ],
)
def test_the_same_customer_is_found_by_any_identity(
    org: Organisation, vi_customer: Customer, identity: dict[str, Any]
) -> None:
    found = services.find_or_create_customer(organisation=org, **identity)

    assert found == vi_customer
    assert Customer.objects.count() == 1
    assert CustomerIdentity.objects.count() == 2


def test_thai_customer_is_found_by_line_id_and_by_number(org: Organisation, th_customer: Customer) -> None:
    by_line = services.find_or_create_customer(organisation=org, line_id="U4af4980629")
    by_phone = services.find_or_create_customer(organisation=org, phone="081 234 5678", language="th")

    assert by_line == by_phone == th_customer
    assert Customer.objects.count() == 1


def test_email_matches_whatever_its_case(org: Organisation, en_customer: Customer) -> None:
    assert services.find_or_create_customer(organisation=org, email="  Emma@Example.COM ") == en_customer


def test_new_identities_are_attached_to_the_found_customer(org: Organisation, vi_customer: Customer) -> None:
    found = services.find_or_create_customer(organisation=org, phone="0912 345 678", email="hoa@example.vn",
                                             messenger_id="psid-77")

    assert found == vi_customer
    assert identities(vi_customer) == [
        ("email", "hoa@example.vn"), ("messenger", "psid-77"), ("phone", "+84912345678"), ("zalo", "zalo-hoa"),
    ]
    assert Customer.objects.count() == 1


def test_a_known_customer_keeps_their_name_and_language(org: Organisation, vi_customer: Customer) -> None:
    found = services.find_or_create_customer(organisation=org, zalo_id="zalo-hoa", name="Hoa N.", language="en")

    found.refresh_from_db()
    assert (found.name, found.language) == ("Nguyễn Thị Hoa", "vi")


def test_a_nameless_customer_gets_the_name_and_language_given_later(org: Organisation) -> None:
    anonymous = services.find_or_create_customer(organisation=org, email="guest@example.com")

    found = services.find_or_create_customer(organisation=org, email="guest@example.com", name="  Guest One ",
                                             language="th")

    found.refresh_from_db()
    assert found == anonymous
    assert (found.name, found.language) == ("Guest One", "th")


def test_a_merged_customer_is_found_as_the_one_they_were_merged_into(org: Organisation, vi_customer: Customer,
                                                                     en_customer: Customer) -> None:
    en_customer.merged_into = vi_customer
    en_customer.save()

    assert services.find_or_create_customer(organisation=org, email="emma@example.com") == vi_customer


def test_identities_belong_to_one_organisation(org: Organisation, other_org: Organisation,
                                               en_customer: Customer) -> None:
    theirs = services.find_or_create_customer(organisation=other_org, email="emma@example.com", name="Emma W.")

    assert theirs != en_customer
    assert theirs.organisation == other_org
    assert services.find_or_create_customer(organisation=org, email="emma@example.com") == en_customer
    assert Customer.objects.count() == 2
    assert CustomerIdentity.objects.filter(kind="email", value="emma@example.com").count() == 2


def test_no_identity_always_makes_a_new_customer(org: Organisation) -> None:
    first = services.find_or_create_customer(organisation=org, name="Walk-in guest")
    second = services.find_or_create_customer(organisation=org, name="Walk-in guest")

    assert first != second
    assert CustomerIdentity.objects.count() == 0
