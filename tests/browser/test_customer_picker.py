"""Browser journey: an agent on a phone logs a returning customer's complaint through the customer picker (as
they type with HTMX, and with "Find" without JavaScript), then opens the customer's page from the case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, Customer
from tests.browser.signin import sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("js_enabled", [True, False], ids=["htmx", "no-js"])
def test_agent_logs_a_returning_customers_complaint_by_phone_number(
    page: Page, live_server: LiveServer, js_enabled: bool, agent: User, case: Case, vi_customer: Customer
) -> None:
    agent.language = "en"
    agent.save(update_fields=["language"])
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/new/")

    page.get_by_label("Find the customer").fill("0912 345 678")
    if not js_enabled:
        page.get_by_role("button", name="Find", exact=True).click()
    match = page.locator("#customer-matches .customer-match")
    expect(match).to_have_count(1)
    expect(match.locator(".match-name")).to_have_text("Nguyễn Thị Hoa")
    expect(match.locator(".match-repeat")).to_have_text("A case now would be a repeat failure.")
    match.click()

    chosen = page.locator(".chosen-customer")
    expect(chosen.locator(".match-name")).to_have_text("Nguyễn Thị Hoa")
    expect(page.get_by_label("Customer name")).to_be_hidden()  # the new-customer fields make way
    page.get_by_label("What happened?").fill("Khách gọi: điều hòa phòng 210 lại chảy nước.")
    page.get_by_role("button", name="Open case", exact=True).click()

    expect(page).to_have_url(re.compile(r"/cases/K-\d{4}-\d{6}/$"))
    new = Case.objects.exclude(pk=case.pk).get()
    assert (new.customer_id, new.is_repeat_failure) == (vi_customer.pk, True)
    expect(page.locator(".customer-card .repeat-flag strong")).to_have_text("REPEAT FAILURE")
    page.locator(".customer-card .customer-name a").click()

    expect(page).to_have_url(f"{live_server.url}/customers/{vi_customer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nguyễn Thị Hoa")
    expect(page.locator(".history .case-ref")).to_have_text([new.reference, case.reference])
