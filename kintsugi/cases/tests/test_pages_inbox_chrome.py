"""The inbox's page around its rows: each request's own CSRF token, top bar and messages, never another user's
or another language's, and rows that follow their cases."""

from __future__ import annotations

import re

from django.test import Client
from django.utils import translation

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases import services
from kintsugi.cases.models import Case

HX_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')


def test_a_flash_message_shows_once(client: Client, supervisor: User, case: Case) -> None:
    login(client, supervisor)
    notice = "That page link is no longer valid, so here is the first page."
    # A message added before the page's own request (as after a redirect) is shown by the next page, once.
    client.get("/cases/", {"cursor": "garbage"}, headers={"hx-request": "true", "hx-target": "inbox-results"})
    assert notice in client.get("/cases/").content.decode()
    assert notice not in client.get("/cases/").content.decode()


def test_every_page_carries_its_own_working_csrf_token(supervisor: User, agent: User, case: Case) -> None:
    tokens = []
    for user in (supervisor, agent):
        client = Client(enforce_csrf_checks=True)
        login(client, user)
        first = HX_TOKEN.search(client.get("/cases/").content.decode())
        second = HX_TOKEN.search(client.get("/cases/").content.decode())
        assert first is not None
        assert second is not None
        assert first.group(1) != second.group(1)  # masked afresh each time
        tokens.append(second.group(1))
        response = client.post("/logout/", {"csrfmiddlewaretoken": second.group(1)})
        assert response.status_code == 302
        assert client.get("/cases/").status_code == 302  # logged out: the token was this session's
    assert tokens[0] != tokens[1]


def test_each_user_sees_their_own_top_bar(client: Client, supervisor: User, agent: User, case: Case) -> None:
    login(client, supervisor)
    boss = client.get("/cases/").content.decode()
    login(client, agent)
    own = client.get("/cases/").content.decode()
    assert supervisor.display_name in boss
    assert 'href="/touchpoints/"' in boss
    assert supervisor.display_name not in own
    assert agent.display_name in own
    assert 'href="/touchpoints/"' not in own


def test_languages_take_turns_on_the_page(client: Client, agent: User, case: Case) -> None:
    login(client, agent)
    for language in ("en", "vi", "th", "en", "vi"):
        agent.language = language
        agent.save(update_fields=["language"])
        with translation.override(language):
            skip, inbox = translation.gettext("Skip to content"), translation.gettext("Inbox")
            status = translation.gettext("New")
        html = client.get("/cases/").content.decode()
        assert f'<html lang="{language}">' in html
        assert skip in html
        assert f"<h1>{inbox}</h1>" in html
        assert f'<span class="badge status-new">{status}</span>' in html  # the row, in this language


def test_a_row_follows_its_case(client: Client, supervisor: User, agent: User, case: Case) -> None:
    login(client, supervisor)
    before = client.get("/cases/").content.decode()
    assert f'<span class="assignee-name">{agent.display_name}</span>' not in before
    services.assign(case, agent, by=supervisor)
    services.escalate(case, by=supervisor, reason="Guest is very upset")
    after = client.get("/cases/").content.decode()
    assert f'<span class="assignee-name">{agent.display_name}</span>' in after
    assert 'class="badge priority-high"' in after
