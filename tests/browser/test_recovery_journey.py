"""Browser journey of recovery: a LATTE case from complaint to follow-up. The agent follows the checklist (ticks,
a reply), resolves once every step is done, the follow-up goes out, and the customer answers "not yet" on their
status page, which reopens the case."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import User
from kintsugi.cases import services as cases
from kintsugi.cases.models import Case, EventKind, Status
from kintsugi.comms.models import Message
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("js_enabled", [True, False], ids=["htmx", "no-js"])
def test_a_latte_case_from_complaint_to_follow_up(page: Page, live_server: LiveServer, agent: User, case: Case,
                                                  js_enabled: bool) -> None:
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    card = page.locator("#playbook")
    expect(card.locator(".card-title")).to_contain_text("Playbook: LATTE")
    expect(card.locator(".step-current .step-name")).to_have_text("Listen")
    expect(card.locator(".step-current .say-list")).to_contain_text("Quý khách vui lòng kể cho tôi nghe")

    # Listen, ticked with a note; then a reply acknowledges.
    card.locator(".step-current input[name=note]").fill("Nghe khách tại quầy.")
    card.locator(".step-current").get_by_role("button", name="Mark done").click()
    expect(page.locator("#playbook .step-current .step-name")).to_have_text("Acknowledge")
    page.locator("#reply-body").fill("Chúng tôi xin lỗi, nhân viên đang lên phòng.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator("#playbook .step-current .step-name")).to_have_text("Take action")

    # Resolving now is refused, with the open steps named: the button says so before it is pressed, and pressed
    # anyway (without JavaScript it still submits) the server refuses.
    page.get_by_text("Resolve…").click()
    expect(page.locator(".resolve-steps")).to_contain_text("Take action")
    resolve = page.get_by_role("button", name="Resolve case")
    expect(resolve).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#resolve-blocked")).to_contain_text("Required playbook steps are still open.")
    resolve.click(force=True)  # pressed anyway
    if not js_enabled:
        expect(page.locator(".flash")).to_contain_text("These playbook steps are still open")

    # The other steps were done in person: ticked by hand.
    for name in ("Take action", "Thank", "Explain"):
        step = page.locator("#playbook .step", has=page.locator(".step-name", has_text=name))
        step.get_by_text("Done another way…").click()
        step.locator("input[name=note]").fill("In person.")
        step.get_by_role("button", name="Mark done").click()
        expect(page.locator("#playbook .step", has=page.locator(".step-name", has_text=name))).to_have_class(
            re.compile("step-done"))
    page.get_by_text("Resolve…").click()
    page.locator("#resolve-summary").fill("Đã dọn lại phòng và đổi khăn.")
    page.get_by_role("button", name="Resolve case").click()
    expect(page.locator(".case-header .badge").first).to_contain_text("Resolved")

    # Three days later the follow-up goes out; the customer opens its "no" link and says it is not put right.
    case.refresh_from_db()
    assert cases.run_due_timers(now=timezone.now() + timedelta(days=4)) >= 1
    body = Message.objects.filter(case=case).latest("id").body
    no_link = re.findall(r"http\S+follow_up=no#follow-up", body)[0]
    page.goto(live_server.url + no_link[no_link.index("/s/"):])
    expect(page.locator("#follow-up h2")).to_have_text("Hiện giờ mọi việc đã ổn chưa ạ?")
    page.get_by_role("button", name="Chưa, vẫn còn vấn đề").click()
    expect(page.locator("#follow-up")).to_contain_text("Chúng tôi đã mở lại hồ sơ")

    case.refresh_from_db()
    assert case.status == Status.REOPENED
    assert case.events.get(kind=EventKind.FOLLOW_UP_ANSWERED).data == {"happy": False}
