"""Browser journey: a frontline agent gives a remedy above their authority; a supervisor opens the notification,
lands on the case and approves it; the agent is told."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Organisation, Role, User
from kintsugi.cases.models import Case
from kintsugi.remedies.models import AuthorityLimit, Remedy, RemedyStatus
from tests.browser.signin import sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_supervisor_approves_an_agents_remedy_from_the_notification(
    page: Page, live_server: LiveServer, org: Organisation, agent: User, supervisor: User, case: Case,
    viewport: ViewportSize,
) -> None:
    AuthorityLimit.objects.create(organisation=org, role=Role.FRONTLINE, currency="VND", per_remedy_minor=500_000,
                                  per_case_minor=800_000, per_day_minor=1_500_000)
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    remedies = page.locator("#remedies")
    expect(remedies).to_contain_text("Within your authority up to 500,000 ₫ on this case now")
    if viewport == PHONE:  # the card starts folded on a phone
        remedies.locator(".fold-summary").click()
    remedies.get_by_text("Give a remedy…").click()
    remedies.get_by_label("Remedy", exact=True).select_option("refund")
    remedies.get_by_label("Amount", exact=True).fill("900,000")
    remedies.get_by_label("What exactly (for the team)").fill("Refund two nights")
    remedies.get_by_role("button", name="Give remedy").click()
    expect(page.locator(".flash")).to_contain_text("This is above your authority, so the remedy waits for approval")
    expect(remedies.locator(".remedy")).to_contain_text("Awaiting approval")
    remedy = Remedy.objects.get()
    assert remedy.status == RemedyStatus.PENDING_APPROVAL

    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/")
    page.locator(".menu-notifications > summary").click()
    notification = page.get_by_text(f"Linh asks you to approve a remedy on case {case.reference}: Full refund, "
                                    "900,000 ₫.")
    notification.click()
    page.wait_for_url(f"**/cases/{case.reference}/#remedy-{remedy.pk}")
    item = page.locator(f"#remedy-{remedy.pk}")
    expect(item).to_contain_text("Refund two nights")
    item.get_by_label("Reason (required to reject)").fill("Loyal guest, two nights")
    item.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("You approved the remedy.")
    expect(page.locator(f"#remedy-{remedy.pk}")).to_contain_text("Approved by Minh")
    assert Remedy.objects.get().status == RemedyStatus.APPROVED

    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator(".notification-list")).to_contain_text(
        f"Minh approved your remedy on case {case.reference}: Full refund, 900,000 ₫.")
