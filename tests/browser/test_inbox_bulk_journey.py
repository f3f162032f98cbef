"""A supervisor ticks cases in the inbox and acts on them together, on a phone and a desktop, with and without
JavaScript; then follows the workload page's number to the inbox filtered to one person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Organisation, Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, EventKind, SlaPolicy
from kintsugi.cases.tests.inbox_cases import open_web
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def three(org: Organisation, front_desk: Touchpoint, policy: SlaPolicy) -> list[Case]:
    start = timezone.now() - timedelta(days=3)
    return [open_web(org, front_desk, start + timedelta(minutes=i), subject=f"Phòng {301 + i} chưa dọn")
            for i in range(3)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("js_enabled", [True, False], ids=["js", "no-js"])
def test_supervisor_assigns_all_but_one_case_on_the_page(
    page: Page, live_server: LiveServer, supervisor: User, agent: User, three: list[Case], js_enabled: bool,
    viewport: ViewportSize
) -> None:
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/?view=breached")
    expect(page.locator(".inbox-row .case-ref")).to_have_text([c.reference for c in three])
    keep = three[2]
    if viewport is PHONE and js_enabled:
        # On a phone the bar is folded until a case is ticked, or until it is opened.
        expect(page.locator("#bulk-assignee")).to_be_hidden()
        page.get_by_text("Act on several cases").click()
    if js_enabled:
        page.get_by_label("Select all on page").check()
        expect(page.locator("input[name=case]:checked")).to_have_count(3)
        page.locator(f"input[name=case][value='{keep.pk}']").uncheck()
        expect(page.get_by_label("Select all on page")).not_to_be_checked()
    else:
        for case in three[:2]:
            page.locator(f"input[name=case][value='{case.pk}']").check()
    page.locator("#bulk-assignee").select_option(label="Linh")
    page.get_by_role("button", name="Assign", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/cases/?view=breached")
    expect(page.locator(".flash-item")).to_have_text("2 cases assigned to Linh.")
    for case in three:
        case.refresh_from_db()
    assert [c.assignee_id for c in three] == [agent.pk, agent.pk, None]
    assert three[0].events.filter(kind=EventKind.ASSIGNED, actor=supervisor).count() == 1


def test_a_workload_number_opens_that_persons_cases(
    page: Page, live_server: LiveServer, supervisor: User, agent: User, three: list[Case]
) -> None:
    for case in three[:2]:
        services.assign(case, agent, by=supervisor)
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/workload/")
    row = page.locator(f"tr[data-assignee='{agent.pk}']")
    row.locator("td[data-label=Breached] a").click()
    expect(page).to_have_url(f"{live_server.url}/cases/?view=breached&assignee={agent.pk}")
    expect(page.locator(".scope-chip")).to_have_text("Assigned to Linh")
    expect(page.locator(".inbox-row .case-ref")).to_have_text([c.reference for c in three[:2]])
