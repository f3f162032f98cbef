"""The staff pages' top bar: always this user's, with this request's CSRF token, path and unread count."""

from __future__ import annotations

import re

from django.test import Client

from conftest import login
from kintsugi.accounts.models import User
from kintsugi.comms.models import Notification, NotificationKind


def topbar(client: Client, path: str = "/cases/") -> str:
    html = client.get(path).content.decode()
    return html[html.index('<header class="topbar">'):html.index("</header>")]


def test_each_user_sees_their_own_name_role_and_menu(client: Client, agent: User, supervisor: User,
                                                     manager: User, admin_user: User) -> None:
    bars = {}
    for user in (agent, supervisor, manager, admin_user, agent):
        bars[user.username] = topbar(login(client, user))
    assert "<strong>Linh</strong><span>Frontline</span>" in bars["agent"]
    assert "<strong>Minh</strong><span>Supervisor</span>" in bars["supervisor"]
    assert "Approvals" not in bars["agent"]
    assert "Approvals" in bars["supervisor"]
    assert "Playbooks" not in bars["supervisor"]
    assert "Playbooks" in bars["manager"]
    assert "Administration" not in bars["manager"]
    assert "Administration" in bars["admin"]


def test_a_renamed_user_sees_their_new_name_at_once(client: Client, agent: User) -> None:
    login(client, agent)
    topbar(client)
    agent.first_name = "Thuỳ"
    agent.save()
    assert "<strong>Thuỳ</strong>" in topbar(client)


def test_the_current_page_is_marked_and_the_language_switcher_comes_back_to_it(client: Client,
                                                                                supervisor: User) -> None:
    login(client, supervisor)
    inbox = topbar(client, "/cases/?view=mine&severity=3")
    # Named for screen readers: on a narrow phone the link shows only its icon.
    assert re.search(r'href="/cases/" class="nav-link" aria-label="Inbox" aria-current="page"', inbox)
    assert '<input type="hidden" name="next" value="/cases/?view=mine&amp;severity=3">' in inbox
    new = topbar(client, "/cases/new/")
    assert re.search(r'href="/cases/new/" class="nav-link nav-cta" aria-current="page"', new)
    assert 'name="next" value="/cases/new/"' in new


def test_the_bell_counts_this_users_unread_notifications_on_every_request(client: Client, supervisor: User,
                                                                           agent: User) -> None:
    login(client, supervisor)
    assert "bell-count" not in topbar(client)
    org_id = supervisor.organisation_id
    assert org_id is not None
    Notification.objects.create(organisation_id=org_id, user=supervisor, kind=NotificationKind.SLA_WARNING)
    Notification.objects.create(organisation_id=org_id, user=supervisor, kind=NotificationKind.SLA_WARNING)
    assert '<span class="bell-count">2</span>' in topbar(client)
    assert "bell-count" not in topbar(login(client, agent))


def test_the_forms_in_the_top_bar_carry_this_sessions_working_csrf_token(agent: User) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, agent)
    bar = topbar(client)
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', bar)
    assert len(tokens) == 2  # the language switcher and log out
    response = client.post("/logout/", {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 302  # logged out


def test_the_top_bar_speaks_the_users_language(client: Client, bangkok_agent: User) -> None:
    bar = topbar(login(client, bangkok_agent))
    assert "Log out" not in bar
    assert 'lang="th" aria-pressed="true"' in bar
