"""Start a browser journey signed in (journeys that are not about the login form skip it)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import User


def sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    """The browser is signed in as `user` (and as nobody else: other cookies are cleared)."""
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
