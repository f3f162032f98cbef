"""Browser journey: a supervisor on a phone searches the inbox for a Vietnamese complaint typed without
diacritics (as they type with HTMX, and with Enter without JavaScript), narrows it with a filter, saves the
search under a name, opens it again from the inbox and deletes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases.models import Case, SavedFilter
from tests.browser.signin import sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("js_enabled", [True, False], ids=["htmx", "no-js"])
def test_supervisor_searches_the_inbox_and_saves_the_search(
    page: Page, live_server: LiveServer, js_enabled: bool, supervisor: User, case: Case, bangkok_case: Case,
    bangkok_desk: Touchpoint
) -> None:
    supervisor.language = "en"
    supervisor.save(update_fields=["language"])
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/")
    expect(page.locator(".case-ref")).to_have_count(2)

    search = page.get_by_label("Search cases")
    search.fill("dieu hoa khong mat")
    if not js_enabled:
        search.press("Enter")
    expect(page.locator(".search-note")).to_have_text("Cases matching “dieu hoa khong mat”, newest first.")
    expect(page.locator(".case-ref")).to_have_text([case.reference])

    page.get_by_label("Name of this filter").fill("Cold rooms")
    page.get_by_role("button", name="Save filter").click()
    expect(page.locator(".flash-item")).to_contain_text("Saved filter “Cold rooms”.")
    saved = SavedFilter.objects.get()
    assert (saved.user_id, saved.query) == (supervisor.pk, "view=open&q=dieu+hoa+khong+mat")

    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name="Cold rooms").click()
    expect(page.locator(".case-ref")).to_have_text([case.reference])
    page.get_by_role("button", name="Delete saved filter “Cold rooms”").click()
    expect(page.get_by_role("link", name="Cold rooms")).to_have_count(0)
    assert SavedFilter.objects.count() == 0
