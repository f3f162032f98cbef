"""An organisation's privacy settings (what the public form's notice says), edited in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import login
from kintsugi.accounts.models import Organisation, User

pytestmark = pytest.mark.django_db


def change(client: Client, org: Organisation, **privacy: object) -> Any:
    data = {
        "name": org.name, "slug": org.slug, "default_language": org.default_language, "currency": org.currency,
        "repeat_failure_window_days": org.repeat_failure_window_days, "sla_warning_percent": org.sla_warning_percent,
        "created_at_0": org.created_at.strftime("%Y-%m-%d"), "created_at_1": org.created_at.strftime("%H:%M:%S"),
        "privacy_policy_url": "", "privacy_contact": "", "data_retention_months": "", **privacy,
    }
    return client.post(reverse("admin:accounts_organisation_change", args=[org.pk]), data)


def privacy_of(org: Organisation) -> tuple[str, str, int | None]:
    org.refresh_from_db()
    return org.privacy_policy_url, org.privacy_contact, org.data_retention_months


def test_an_administrator_sets_the_policy_link_the_contact_and_the_period(
    client: Client, admin_user: User, org: Organisation
) -> None:
    login(client, admin_user)

    response = change(client, org, privacy_policy_url="https://lotus.example/privacy",
                      privacy_contact="privacy@lotus.example", data_retention_months="18")

    assert response.status_code == 302
    assert privacy_of(org) == ("https://lotus.example/privacy", "privacy@lotus.example", 18)


def test_they_are_all_optional(client: Client, admin_user: User, org: Organisation) -> None:
    login(client, admin_user)

    assert change(client, org).status_code == 302
    assert privacy_of(org) == ("", "", None)


def test_a_policy_link_that_is_not_a_web_address_is_refused_and_nothing_changes(
    client: Client, admin_user: User, org: Organisation
) -> None:
    login(client, admin_user)

    response = change(client, org, privacy_policy_url="javascript:alert(1)", privacy_contact="dpo@lotus.example")

    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert privacy_of(org) == ("", "", None)


def test_staff_who_are_not_administrators_cannot_change_them(
    client: Client, supervisor: User, org: Organisation
) -> None:
    login(client, supervisor)

    response = change(client, org, privacy_policy_url="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert privacy_of(org) == ("", "", None)
