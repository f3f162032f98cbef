"""Pages the other journeys do not open, under the Content-Security-Policy: the page fixture fails the test on any
CSP violation in the console, a script error or a 5xx."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Location, Touchpoint, User
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_the_policy(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kintsugi")
    expect(page.locator(".opblock").first).to_be_visible()


def test_the_print_button_prints_without_an_inline_handler(
    page: Page, live_server: LiveServer, supervisor: User, hanoi: Location, front_desk: Touchpoint
) -> None:
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/locations/{hanoi.code}/print/")
    page.evaluate("window.__printed = false; window.print = function () { window.__printed = true; }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed") is True
