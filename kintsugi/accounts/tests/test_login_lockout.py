"""Login throttling (django-axes, kintsugi.accounts.lockout): 10 failures lock one (username, IP) pair for 15
minutes, 50 lock one IP address over every username; the lockout is the login page with a message in the user's
language; an administrator's reset unlocks; force_login and API tokens never pass through it."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from conftest import PASSWORD, login
from kintsugi.accounts.models import ApiToken, User

LOCKED_EN = (
    "Too many failed sign-ins. For your safety, signing in is paused for 15 minutes; "
    "try again then, or ask an administrator to unlock your account."
)


def sign_in(client: Client, username: str, password: str, ip: str = "203.0.113.7") -> Any:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client: Client, username: str, times: int, ip: str = "203.0.113.7") -> None:
    for _ in range(times):
        sign_in(client, username, "wrong-password", ip)


def test_nine_failures_still_let_the_right_password_in(client: Client, agent: User) -> None:
    fail(client, "agent", 9)
    response = sign_in(client, "agent", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/cases/"


def test_the_tenth_failure_locks_the_account_with_the_message(client: Client, agent: User) -> None:
    fail(client, "agent", 9)
    response = sign_in(client, "agent", "wrong-password")
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED_EN in html
    assert 'value="agent"' in html  # the username stays filled in
    assert "Please enter a correct username and password." not in html


def test_the_right_password_is_refused_while_locked(client: Client, agent: User) -> None:
    fail(client, "agent", 10)
    response = sign_in(client, "agent", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_EN in response.content.decode()
    assert client.get("/cases/").status_code == 302  # not signed in


def test_the_lockout_message_is_in_the_users_language(client: Client, agent: User) -> None:
    fail(client, "agent", 10)
    client.cookies["django_language"] = "vi"
    vi = sign_in(client, "agent", PASSWORD).content.decode()
    assert "Đăng nhập sai quá nhiều lần." in vi
    client.cookies["django_language"] = "th"
    th = sign_in(client, "agent", PASSWORD).content.decode()
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in th


def test_resetting_the_username_unlocks_it(client: Client, agent: User) -> None:
    fail(client, "agent", 10)
    call_command("axes_reset_username", "agent")
    assert AccessAttempt.objects.filter(username="agent").count() == 0
    assert sign_in(client, "agent", PASSWORD).status_code == 302


def test_the_admin_lists_and_deletes_the_attempts(client: Client, agent: User, admin_user: User) -> None:
    fail(client, "agent", 10)
    attempt = AccessAttempt.objects.get(username="agent")
    assert attempt.failures_since_start == 10
    admin = login(Client(), admin_user)
    assert "agent" in admin.get("/admin/axes/accessattempt/").content.decode()
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert sign_in(client, "agent", PASSWORD).status_code == 302


def test_another_ip_and_another_user_are_unaffected(client: Client, agent: User, supervisor: User) -> None:
    fail(client, "agent", 10)
    assert sign_in(Client(), "agent", PASSWORD, ip="198.51.100.9").status_code == 302
    assert sign_in(Client(), "supervisor", PASSWORD).status_code == 302


def test_one_ip_guessing_many_accounts_is_stopped_at_fifty(client: Client, agent: User, supervisor: User) -> None:
    for number in range(5):
        fail(client, f"guess{number}", 9)  # 45 failures, no pair over its limit
    assert sign_in(client, "supervisor", PASSWORD).status_code == 302
    fail(Client(), "guess9", 5)  # 50 from this address
    response = sign_in(Client(), "agent", PASSWORD)
    assert response.status_code == 429
    assert sign_in(Client(), "agent", PASSWORD, ip="198.51.100.9").status_code == 302


def test_a_success_clears_the_pairs_failures(client: Client, agent: User) -> None:
    fail(client, "agent", 9)
    assert sign_in(client, "agent", PASSWORD).status_code == 302
    client.post("/logout/")
    fail(client, "agent", 9)
    assert sign_in(client, "agent", PASSWORD).status_code == 302


def test_force_login_and_api_tokens_bypass_the_lock(client: Client, agent: User) -> None:
    fail(client, "agent", 10)
    assert login(Client(), agent).get("/cases/").status_code == 200
    _token, raw = ApiToken.issue(agent, name="test")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
