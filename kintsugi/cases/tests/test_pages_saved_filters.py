"""Saved inbox filters: a staff member saves the inbox query shown under a name, finds it on the inbox, deletes
it; nobody else sees or deletes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, User
from kintsugi.cases.models import SavedFilter
from kintsugi.cases.services.saved_filters import MAX_PER_USER, saved_query


def save(client: Client, name: str, query: str) -> Any:
    return client.post("/cases/saved-filters/", {"name": name, "query": query})


def test_agent_saves_the_inbox_query_and_finds_it_on_the_inbox(client: Client, agent: User,
                                                               hanoi: Location) -> None:
    login(client, agent)
    page = client.get(f"/cases/?q=nước nóng&location={hanoi.pk}&cursor=abc").content.decode()
    expected = f"q=n%C6%B0%E1%BB%9Bc+n%C3%B3ng&amp;location={hanoi.pk}"
    assert f'name="query" value="{expected}"' in page  # the cursor is not part of what is saved

    response = save(client, "  Hot   water ", f"q=nước nóng&location={hanoi.pk}&cursor=abc&evil=1")
    saved = SavedFilter.objects.get()
    assert (saved.user_id, saved.organisation_id, saved.name) == (agent.pk, agent.organisation_id, "Hot water")
    assert saved.query == f"q=n%C6%B0%E1%BB%9Bc+n%C3%B3ng&location={hanoi.pk}"
    assert response.status_code == 302
    assert response["Location"] == f"/cases/?{saved.query}"
    inbox = client.get("/cases/").content.decode()
    assert f'href="/cases/?{expected}">Hot water</a>' in inbox


def test_saving_under_the_same_name_replaces_the_query(client: Client, agent: User) -> None:
    login(client, agent)
    save(client, "Mine", "view=mine")
    save(client, "Mine", "view=mine&q=wifi")
    assert list(SavedFilter.objects.values_list("name", "query")) == [("Mine", "view=mine&q=wifi")]


@pytest.mark.parametrize(("name", "query", "message"), [
    ("", "q=wifi", "Give the filter a name."),
    ("x" * 61, "q=wifi", "A filter name has at most 60 characters."),
    ("Nothing", "cursor=abc", "Search or choose a filter first, then save it."),
])
def test_a_bad_save_says_why_and_keeps_the_inbox_query(client: Client, agent: User, name: str, query: str,
                                                       message: str) -> None:
    login(client, agent)
    response = save(client, name, query)
    assert response.status_code == 302
    assert response["Location"] == f"/cases/?{query}"
    assert message in client.get(response["Location"]).content.decode()
    assert SavedFilter.objects.count() == 0


def test_a_staff_member_keeps_at_most_thirty_saved_filters(client: Client, agent: User) -> None:
    login(client, agent)
    for i in range(MAX_PER_USER):
        save(client, f"F{i}", f"q=word{i}")
    response = save(client, "One more", "q=more")
    assert "You have 30 saved filters; delete one first." in client.get(response["Location"]).content.decode()
    assert SavedFilter.objects.count() == MAX_PER_USER


def test_owner_deletes_their_saved_filter(client: Client, agent: User) -> None:
    login(client, agent)
    save(client, "Wifi", "q=wifi")
    saved = SavedFilter.objects.get()
    response = client.post(f"/cases/saved-filters/{saved.pk}/delete/")
    assert response.status_code == 302
    assert SavedFilter.objects.count() == 0


@pytest.mark.parametrize("who", ["bangkok_agent", "supervisor", "manager", "admin", "outsider"])
def test_nobody_else_sees_or_deletes_a_saved_filter(client: Client, agent: User, staff_cast: dict[str, User],
                                                    who: str) -> None:
    login(client, agent)
    save(client, "Agent's own", "q=wifi")
    assert "Agent&#x27;s own</a>" in client.get("/cases/").content.decode()  # (also shows the "Saved" message)
    saved = SavedFilter.objects.get()
    login(client, staff_cast[who])
    assert "Agent&#x27;s own" not in client.get("/cases/").content.decode()
    response = client.post(f"/cases/saved-filters/{saved.pk}/delete/")
    assert response.status_code == 404
    assert SavedFilter.objects.get().pk == saved.pk


def test_saved_filters_need_a_signed_in_post(client: Client, agent: User) -> None:
    assert save(client, "Anon", "q=wifi").status_code == 302  # to the login page
    login(client, agent)
    assert client.get("/cases/saved-filters/").status_code == 405
    assert SavedFilter.objects.count() == 0


def test_saved_query_keeps_only_the_inbox_parameters_in_order() -> None:
    assert saved_query({"cursor": "x", "channel": "web", "q": "  a  b ", "view": "mine", "status": ""}) == (
        "view=mine&q=a+b&channel=web")
