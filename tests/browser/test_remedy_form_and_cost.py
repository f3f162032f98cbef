"""Browser journeys: a mistyped amount comes back at its field with what was typed, with and without JavaScript,
and never in the address bar; a "small gesture" of 2,000,000,000 ₫ is asked to be confirmed first; the cost of
failure on a phone does not scroll sideways in English, Vietnamese or Thai."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Organisation, Role, User
from kintsugi.cases.models import Case
from kintsugi.remedies import services
from kintsugi.remedies.models import AuthorityLimit, Remedy, RemedyOption, RemedySettings
from tests.browser.signin import sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def limits(org: Organisation) -> None:
    for role, per_remedy in ((Role.FRONTLINE, 500_000), (Role.CX_MANAGER, 20_000_000)):
        for currency in ("VND", "THB"):
            AuthorityLimit.objects.create(organisation=org, role=role, currency=currency, per_remedy_minor=per_remedy,
                                          per_case_minor=per_remedy * 2, per_day_minor=per_remedy * 3)
    RemedySettings.objects.create(organisation=org, currencies=["VND", "THB"], average_customer_value_minor=2_000_000,
                                  average_value_currency="VND")


@pytest.mark.usefixtures("limits")
@pytest.mark.parametrize("js_enabled", [True, False], ids=["htmx", "no-script"])
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_mistyped_amount_comes_back_at_its_field(page: Page, live_server: LiveServer, agent: User,
                                                   case: Case, js_enabled: bool) -> None:
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    remedies = page.locator("#remedies")
    if js_enabled:  # the card starts folded on a phone (without JavaScript every card is open)
        remedies.locator(".fold-summary").click()
    remedies.get_by_text("Give a remedy…").click()
    remedies.get_by_label("Remedy", exact=True).select_option("gesture")
    remedies.get_by_label("Amount", exact=True).fill("150.000,5")
    remedies.get_by_label("What exactly (for the team)").fill("Giỏ trái cây phòng 305")
    remedies.get_by_role("button", name="Give remedy").click()
    amount = page.locator("#remedy-amount")
    expect(page.locator("#remedy-amount-error")).to_have_text(
        "Enter the amount as a number, for example 150,000.")
    expect(amount).to_have_value("150.000,5")
    expect(page.locator("#remedy-description")).to_have_value("Giỏ trái cây phòng 305")
    assert "amount" not in page.url
    assert Remedy.objects.count() == 0
    amount.fill("150,000")
    page.locator("#remedies").get_by_role("button", name="Give remedy").click()
    expect(page.locator(".flash")).to_contain_text("Remedy granted: Small gesture, 150,000 ₫.")
    assert Remedy.objects.get().amount_minor == 150_000


@pytest.mark.usefixtures("limits")
def test_a_slip_of_zeros_is_confirmed_before_it_is_saved(page: Page, live_server: LiveServer, org: Organisation,
                                                         manager: User, case: Case) -> None:
    gesture = RemedyOption.objects.create(organisation=org, kind="gesture", name="Fruit basket",
                                          default_amount_minor=150_000, currency="VND")
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    remedies = page.locator("#remedies")
    remedies.get_by_text("Give a remedy…").click()
    remedies.get_by_label("Remedy", exact=True).select_option(f"option-{gesture.pk}")
    remedies.get_by_label("Amount", exact=True).fill("2,000,000,000")
    remedies.get_by_role("button", name="Give remedy").click()
    expect(page.locator("#remedy-amount-error")).to_contain_text("2,000,000,000 ₫ is far more than is usual")
    assert Remedy.objects.count() == 0
    page.get_by_label("Yes, this amount is right").check()
    page.locator("#remedies").get_by_role("button", name="Give remedy").click()
    expect(page.locator(".flash")).to_contain_text("waits for approval")
    assert Remedy.objects.get().is_outlier is True


@pytest.mark.usefixtures("limits")
@pytest.mark.parametrize("language", ["en", "vi", "th"])
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_the_cost_view_fits_a_phone(page: Page, live_server: LiveServer, manager: User, agent: User,
                                    bangkok_agent: User, case: Case, bangkok_case: Case, language: str) -> None:
    now = timezone.now()
    for back in range(9):
        at = now - timedelta(days=31 * back)
        services.propose_remedy(case, kind="gesture", amount_minor=120_000 + back, currency="VND", by=agent, at=at)
        services.propose_remedy(bangkok_case, kind="apology", amount_minor=0, currency="THB", by=bangkok_agent,
                                at=at)
        services.record_customer_cost(case, kind="money_spent", amount_minor=85_000, currency="VND", by=agent,
                                      at=at, note="Taxi")
    manager.language = language
    manager.save()
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/remedies/cost/")
    expect(page.locator("#currency-VND")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide"
    # Nor does any part of it scroll sideways inside itself (a table in a scrolling box).
    sideways = page.evaluate("""[...document.querySelectorAll('main *')].filter(e => e.scrollWidth > e.clientWidth + 1
        && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)).map(e => e.className)""")
    assert sideways == []
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000, f"the page is {height} px tall"
