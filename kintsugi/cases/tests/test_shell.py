"""Staff pages from a kept shell (kintsugi.cases.shell): the same page Django renders, with each request's own
CSRF token, top bar and messages, never another user's or another language's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test import Client
from django.utils import translation

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.cases import services, views
from kintsugi.cases.models import Case

HX_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')


def normalised(html: str) -> str:
    """The page without what differs from one rendering to the next: CSRF tokens (masked afresh on every
    request), relative times (the clock moves between two renderings) and blank lines."""
    html = re.sub(r'"X-CSRFToken": "[A-Za-z0-9]+"', "TOKEN", html)
    html = re.sub(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"', "TOKEN", html)
    html = re.sub(r"<time [^>]*>[^<]*</time>", "TIME", html)
    return "\n".join(line for line in html.splitlines() if line.strip())


def djangos_own(request: HttpRequest, template_name: str, values: dict[str, Any], holes: dict[str, Any], *,
                user: User, nav: str) -> HttpResponse:
    """What render_page stands for: Django rendering the template with the request, its user and its messages."""
    return render(request, template_name, {**values, **holes, "nav": nav})


@pytest.mark.parametrize("language", ["en", "vi", "th"])
def test_the_inbox_from_its_shell_is_the_page_django_renders(
    client: Client, supervisor: User, case: Case, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    supervisor.language = language
    supervisor.save(update_fields=["language"])
    login(client, supervisor)
    client.get("/cases/")  # the shell is kept from here on
    kept = client.get("/cases/", {"cursor": "garbage"}).content.decode()  # with a flash message
    monkeypatch.setattr(views, "render_page", djangos_own)
    rendered = client.get("/cases/", {"cursor": "garbage"}).content.decode()
    assert case.reference in kept
    assert f'<html lang="{language}">' in kept
    assert normalised(kept) == normalised(rendered)


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
        assert first.group(1) != second.group(1)  # masked afresh each time, never kept in the shell
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


def test_languages_take_turns_on_the_kept_page(client: Client, agent: User, case: Case) -> None:
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
        assert f'<span class="badge status-new">{status}</span>' in html  # the kept row, in this language


def test_a_kept_row_follows_its_case(client: Client, supervisor: User, agent: User, case: Case) -> None:
    login(client, supervisor)
    before = client.get("/cases/").content.decode()
    assert agent.display_name not in before
    services.assign(case, agent, by=supervisor)
    services.escalate(case, by=supervisor, reason="Guest is very upset")
    after = client.get("/cases/").content.decode()
    assert f'<span class="assignee-name">{agent.display_name}</span>' in after
    assert 'class="badge priority-high"' in after
