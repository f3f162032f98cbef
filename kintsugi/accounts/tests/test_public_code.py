"""Touchpoint public codes: generated, unique, unambiguous; the public URL; the public lookup; the migration that
gave existing touchpoints their codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from kintsugi.accounts import selectors
from kintsugi.accounts.models import Location, Organisation, Touchpoint, generate_public_code
from kintsugi.accounts.selectors import touchpoint_by_public_code

CODE = re.compile(r"^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{8}$")


def test_a_new_touchpoint_gets_a_public_code(front_desk: Touchpoint) -> None:
    front_desk.refresh_from_db()
    assert CODE.match(front_desk.public_code)


def test_codes_avoid_look_alike_characters() -> None:
    codes = {generate_public_code() for _ in range(500)}

    assert len(codes) == 500
    assert all(CODE.match(code) for code in codes)
    assert not set("".join(codes)) & set("01IO")


def test_every_touchpoint_has_its_own_code(org: Organisation, hanoi: Location, bangkok: Location) -> None:
    made = [Touchpoint.objects.create(organisation=org, location=place, name=f"Table {n}", code=f"t{n}")
            for n, place in enumerate([hanoi, bangkok] * 20)]

    assert len({tp.public_code for tp in made}) == 40


def test_codes_are_unique_across_organisations(front_desk: Touchpoint, other_org: Organisation,
                                               other_location: Location) -> None:
    with pytest.raises(IntegrityError):
        Touchpoint.objects.create(organisation=other_org, location=other_location, name="Bar", code="bar",
                                  public_code=front_desk.public_code)


@override_settings(SITE_URL="https://care.lotus.example/")
def test_public_url_is_under_the_site_url(front_desk: Touchpoint) -> None:
    code = front_desk.public_code

    assert front_desk.public_url == f"https://care.lotus.example/t/{code}/"
    assert front_desk.public_url_short == f"care.lotus.example/t/{code}"
    assert front_desk.qr_png_url == f"https://care.lotus.example/t/{code}/qr.png"
    assert front_desk.qr_svg_url == f"https://care.lotus.example/t/{code}/qr.svg"


# ------------------------------------------------------------------------------------------ the public lookup


def test_lookup_finds_the_touchpoint_with_its_place(front_desk: Touchpoint, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        found = touchpoint_by_public_code(front_desk.public_code)
        assert found is not None
        assert (found.pk, found.location.code, found.organisation.slug) == (front_desk.pk, "hanoi", "lotus-test")


def test_lookup_forgives_case_and_spaces(front_desk: Touchpoint) -> None:
    found = touchpoint_by_public_code(f"  {front_desk.public_code.lower()} ")
    assert found is not None
    assert found.pk == front_desk.pk


def test_lookup_ignores_inactive_touchpoints(front_desk: Touchpoint) -> None:
    Touchpoint.objects.filter(pk=front_desk.pk).update(is_active=False)

    assert touchpoint_by_public_code(front_desk.public_code) is None


def test_a_process_keeps_what_it_found_for_a_few_seconds_then_looks_again(
    front_desk: Touchpoint, django_assert_num_queries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with django_assert_num_queries(1):
        first = touchpoint_by_public_code(front_desk.public_code)
    with django_assert_num_queries(0):
        kept = touchpoint_by_public_code(front_desk.public_code)
    assert first is not None
    assert kept is not None
    # Fresh objects each time: what one request does to its copy, no other request sees.
    assert kept is not first
    assert kept.location is not first.location
    kept.location.languages.append("fr")
    again = touchpoint_by_public_code(front_desk.public_code)
    assert again is not None
    assert again.location.languages == first.location.languages
    assert "fr" not in again.location.languages
    # Switched off elsewhere: this process still has it until the seconds are up, then no more.
    Touchpoint.objects.filter(pk=front_desk.pk).update(is_active=False)
    assert touchpoint_by_public_code(front_desk.public_code) is not None
    monkeypatch.setattr(selectors, "TOUCHPOINT_CACHE_SECONDS", 0.0)
    assert touchpoint_by_public_code(front_desk.public_code) is None


def test_lookup_builds_the_same_objects_as_the_orm(front_desk: Touchpoint) -> None:
    found = touchpoint_by_public_code(front_desk.public_code)
    expected = Touchpoint.objects.select_related("location", "organisation").get(pk=front_desk.pk)
    assert found is not None

    def values(obj: Any) -> dict[str, Any]:
        return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}

    assert values(found) == values(expected)
    assert values(found.location) == values(expected.location)
    assert values(found.organisation) == values(expected.organisation)
    assert found.location.working_hours == expected.location.working_hours  # JSON, converted
    assert found.location.organisation is found.organisation


@pytest.mark.parametrize("code", ["", "ZZZZZZZZ", "hn-desk", "ABCD0123", "A" * 17, "ABCD2345'--", "ÅBCD2345"])
def test_lookup_of_an_unknown_code_is_none(front_desk: Touchpoint, code: str) -> None:
    assert touchpoint_by_public_code(code) is None


def test_lookup_of_an_impossible_code_asks_no_database(db: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        assert touchpoint_by_public_code("not a code!") is None


# ------------------------------------------------------------------------------------------ the migration


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_touchpoints_distinct_codes() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old = executor.loader.project_state([("accounts", "0001_initial")]).apps
    org = old.get_model("accounts", "Organisation").objects.create(name="Old", slug="old")
    location = old.get_model("accounts", "Location").objects.create(organisation=org, name="Old town", code="old")
    for n in range(3):
        old.get_model("accounts", "Touchpoint").objects.create(organisation=org, location=location,
                                                               name=f"Desk {n}", code=f"desk-{n}")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    codes = list(Touchpoint.objects.order_by("code").values_list("public_code", flat=True))
    assert len(codes) == 3
    assert len(set(codes)) == 3
    assert all(CODE.match(code) for code in codes)
