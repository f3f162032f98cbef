"""Login, logout, the language switcher, notifications, error pages and the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, login
from kintsugi.accounts.models import User
from kintsugi.cases import services
from kintsugi.cases.models import Case
from kintsugi.comms.models import Notification
from kintsugi.comms.services import notify

# ------------------------------------------------------------------------------------------ login / logout


def test_login_page_renders_with_the_language_switcher(client: Client, db: Any) -> None:
    html = client.get("/login/").content.decode()
    assert '<input type="text" name="username" autofocus autocapitalize="none" autocomplete="username"' in html
    assert "The service recovery desk" in html
    assert '<button type="submit" name="language" value="th" lang="th"' in html


def test_login_takes_staff_to_the_inbox(client: Client, agent: User) -> None:
    response = client.post("/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_login_with_a_wrong_password_says_so(client: Client, agent: User) -> None:
    response = client.post("/login/", {"username": "agent", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()


def test_pages_send_anonymous_visitors_to_login(client: Client, case: Case) -> None:
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next=/cases/{case.reference}/"


def test_logout_is_a_post(client: Client, agent: User) -> None:
    login(client, agent)
    response = client.post("/logout/")
    assert response["Location"] == "/login/"
    assert client.get("/cases/").status_code == 302


def test_nav_shows_admin_link_only_to_admins(client: Client, agent: User, admin_user: User) -> None:
    login(client, agent)
    assert "/admin/" not in client.get("/cases/").content.decode()
    login(client, admin_user)
    assert 'href="/admin/">Administration</a>' in client.get("/cases/").content.decode()


# ------------------------------------------------------------------------------------------ language


def test_switching_language_saves_the_staff_preference(client: Client, supervisor: User) -> None:
    login(client, supervisor)
    response = client.post("/language/", {"language": "th", "next": "/cases/?view=mine"})
    assert response["Location"] == "/cases/?view=mine"
    supervisor.refresh_from_db()
    assert supervisor.language == "th"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
    assert '<html lang="th">' in client.get("/cases/").content.decode()


def test_anonymous_language_choice_is_a_cookie(client: Client, db: Any) -> None:
    response = client.post("/language/", {"language": "vi", "next": "/login/"})
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert '<html lang="vi">' in client.get("/login/").content.decode()


def test_unknown_language_is_refused(client: Client, supervisor: User) -> None:
    supervisor.language = "en"
    supervisor.save()
    login(client, supervisor)
    response = client.post("/language/", {"language": "fr"})
    assert "This language is not available." in client.get(response["Location"]).content.decode()
    supervisor.refresh_from_db()
    assert supervisor.language == "en"


def test_language_switch_never_redirects_off_site(client: Client, supervisor: User) -> None:
    login(client, supervisor)
    response = client.post("/language/", {"language": "vi", "next": "https://evil.example/"})
    assert response["Location"] == "/cases/"


def test_language_switch_needs_post(client: Client, db: Any) -> None:
    assert client.get("/language/").status_code == 405


# ------------------------------------------------------------------------------------------ notifications


def test_bell_shows_the_unread_count(client: Client, agent: User, case: Case) -> None:
    notify([agent, agent.pk], "customer_replied", case)
    notify([agent], "reopened", case)
    login(client, agent)
    html = client.get("/cases/").content.decode()
    assert '<span class="bell-count">2</span>' in html


def test_notifications_are_sentences_in_the_viewers_language(
    client: Client, supervisor: User, agent: User, case: Case
) -> None:
    services.assign(case, agent, by=supervisor)
    notify([agent], "sla_breach", case, data={"target": "first_response"})
    notify([agent], "escalated", case, data={"reason": "repeat_failure"})
    agent.language = "en"
    agent.save()
    login(client, agent)
    html = client.get("/notifications/").content.decode()
    texts = [line.strip() for line in html.split('<span class="notification-text">')[1:]]
    texts = [t[: t.index("</span>")] for t in texts]
    assert texts == [
        f"Case {case.reference} is a repeat failure for this customer.",
        f"Case {case.reference} missed its first response target.",
        f"Minh assigned case {case.reference} to you.",
    ]
    assert html.count('class="notification is-unread"') == 3


def test_notification_menu_is_an_htmx_fragment(client: Client, agent: User, case: Case) -> None:
    notify([agent], "reopened", case)
    login(client, agent)
    html = client.get("/notifications/", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<ul class="notification-list"')
    assert "<html" not in html
    assert f"Case {case.reference} was reopened." in html
    assert "See all notifications" in html


def test_opening_a_notification_marks_it_read_and_shows_the_case(client: Client, agent: User, case: Case) -> None:
    notify([agent], "reopened", case)
    notify([agent], "customer_replied", case)
    first = Notification.objects.filter(user=agent, kind="reopened").get()
    login(client, agent)
    response = client.post(f"/notifications/{first.pk}/open/")
    assert response["Location"] == f"/cases/{case.reference}/"
    assert list(Notification.objects.filter(user=agent, read_at__isnull=True).values_list("kind", flat=True)) == [
        "customer_replied"]


def test_mark_all_read(client: Client, agent: User, supervisor: User, case: Case) -> None:
    notify([agent, supervisor], "reopened", case)
    notify([agent], "customer_replied", case)
    login(client, agent)
    response = client.post("/notifications/read/")
    assert response["Location"] == "/notifications/"
    assert Notification.objects.filter(user=agent, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=supervisor, read_at__isnull=True).count() == 1


def test_someone_elses_notification_is_404_and_stays_unread(
    client: Client, agent: User, supervisor: User, case: Case
) -> None:
    notify([supervisor], "reopened", case)
    theirs = Notification.objects.get(user=supervisor)
    login(client, agent)
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_empty_notifications_page(client: Client, agent: User) -> None:
    login(client, agent)
    assert "You have no notifications." in client.get("/notifications/").content.decode()


# ------------------------------------------------------------------------------------------ errors


def test_404_page_is_ours(client: Client, agent: User) -> None:
    login(client, agent)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist, or you do not have access to it." in html
    assert 'class="topbar"' in html


def test_user_outside_any_organisation_gets_our_403(client: Client, db: Any) -> None:
    loner = User.objects.create_user(username="loner", password=PASSWORD)
    login(client, loner)
    response = client.get("/cases/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You are not allowed to do this." in html
    assert "Your account is not linked to an organisation." in html


def test_500_page_renders_without_a_request(db: Any) -> None:
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong on our side." in html
    assert 'href="/cases/"' in html


# ------------------------------------------------------------------------------------------ admin

ADMIN_MODELS = [
    "accounts/organisation", "accounts/location", "accounts/touchpoint", "accounts/user", "accounts/apitoken",
    "cases/category", "cases/slapolicy", "cases/customer", "cases/case", "cases/timer",
    "comms/message", "comms/notification",
]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_lists_every_configuration_model(client: Client, admin_user: User, case: Case, model: str) -> None:
    login(client, admin_user)
    assert client.get(f"/admin/{model}/").status_code == 200


def test_admin_shows_a_case_read_only_with_its_events(client: Client, admin_user: User, case: Case) -> None:
    login(client, admin_user)
    html = client.get(reverse("admin:cases_case_change", args=[case.pk])).content.decode()
    assert "Phòng 305 chưa được dọn" in html
    assert 'name="_save"' not in html


def test_admin_never_shows_a_raw_api_token(client: Client, admin_user: User) -> None:
    from kintsugi.accounts.models import ApiToken

    token, raw = ApiToken.issue(admin_user, name="PMS")
    login(client, admin_user)
    html = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content.decode()
    assert raw not in html
    assert token.token_hash not in html
    assert token.prefix in html
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_admin_user_form_has_kintsugi_fields(client: Client, admin_user: User, agent: User) -> None:
    login(client, admin_user)
    html = client.get(reverse("admin:accounts_user_change", args=[agent.pk])).content.decode()
    for field in ("organisation", "role", "locations", "language"):
        assert f'name="{field}"' in html


def test_admin_is_closed_to_frontline_staff(client: Client, agent: User) -> None:
    login(client, agent)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("model", ["accounts/organisation", "accounts/location", "accounts/touchpoint",
                                   "accounts/user", "cases/category", "cases/slapolicy", "cases/customer"])
def test_admin_add_forms_render(client: Client, admin_user: User, model: str) -> None:
    login(client, admin_user)
    assert client.get(f"/admin/{model}/add/").status_code == 200


def test_admin_adds_a_staff_member_with_organisation_and_role(
    client: Client, admin_user: User, org: Any, hanoi: Any
) -> None:
    login(client, admin_user)
    response = client.post("/admin/accounts/user/add/", {
        "username": "lan", "password1": "a-long-password-1", "password2": "a-long-password-1",
        "usable_password": "true", "organisation": org.pk, "role": "frontline", "locations": [hanoi.pk],
        "language": "vi",
    })
    assert response.status_code == 302
    lan = User.objects.get(username="lan")
    assert (lan.organisation_id, lan.role, lan.language) == (org.pk, "frontline", "vi")
    assert list(lan.locations.values_list("pk", flat=True)) == [hanoi.pk]
