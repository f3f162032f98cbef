"""Sessions and the signed-in user, as the staff pages rely on them (Django's database sessions and ModelBackend)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from conftest import login
from kintsugi.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_logged_in_agent_stays_logged_in_from_page_to_page(client: Client, agent: User) -> None:
    login(client, agent)
    assert client.get("/cases/").status_code == 200
    assert client.get("/cases/").status_code == 200


def test_an_expired_session_is_no_session(client: Client, agent: User) -> None:
    login(client, agent)
    assert client.get("/cases/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_store_reads_back_what_it_saved() -> None:
    store = SessionStore()
    store["lang"] = "th"
    store.save()

    again = SessionStore(session_key=store.session_key)
    assert again["lang"] == "th"
    assert SessionStore(session_key="no-such-session-key-000000000000").load() == {}


def test_the_backend_finds_active_users_only(agent: User) -> None:
    backend = ModelBackend()
    found = backend.get_user(agent.pk)
    assert found is not None
    assert (found.pk, found.username, found.organisation_id, found.role) == (
        agent.pk, agent.username, agent.organisation_id, agent.role
    )
    assert backend.get_user(str(agent.pk)) is not None  # as the session stores it
    User.objects.filter(pk=agent.pk).update(is_active=False)
    assert backend.get_user(agent.pk) is None
    assert backend.get_user(987654) is None


def test_a_deactivated_agent_is_logged_out_on_the_next_page(client: Client, agent: User) -> None:
    login(client, agent)
    assert client.get("/cases/").status_code == 200
    User.objects.filter(pk=agent.pk).update(is_active=False)

    assert client.get("/cases/").status_code == 302
