"""The case page on a phone: the customer's words above the fold, the action bar in reach while scrolled, the
secondary cards folded, each action confirmed in words, a blocked resolve that looks blocked; and on a desktop
two columns with the words on top of the main one and no bar."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FloatRect, Locator, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import User
from kintsugi.cases import services
from kintsugi.cases.models import Case
from tests.browser.signin import sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def box_of(locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box


def in_view(page: Page, selector: str) -> bool:
    """The element's box lies wholly inside the viewport."""
    box = box_of(page.locator(selector))
    size = page.viewport_size
    assert size is not None
    return box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] >= 0 and (
        box["x"] + box["width"] <= size["width"])


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_on_a_phone_the_customers_words_come_first_and_the_actions_stay_in_reach(
    page: Page, live_server: LiveServer, agent: User, supervisor: User, case: Case
) -> None:
    # A case with some history, so the page is long.
    services.acknowledge(case, by=agent)
    for i in range(4):
        services.add_note(case, f"Ghi chú số {i}: đã gọi bộ phận buồng phòng và kỹ thuật.", by=agent)
    services.receive_message(case, "Đã một tiếng rồi mà chưa ai lên phòng.")
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")

    # What the customer wrote is above the fold, their latest message with it.
    words = page.locator(".words-card .words").first
    expect(words).to_have_text(case.description)
    assert box_of(words)["y"] < PHONE["height"]
    expect(page.locator(".words-latest")).to_have_text("Đã một tiếng rồi mà chưa ai lên phòng.")

    # The time zone stays on the line of the time it belongs to.
    opened = page.locator(".case-header .meta dd time")
    assert box_of(opened.locator("abbr.tz"))["x"] > box_of(opened)["x"] + 1

    # The secondary cards start folded; the timeline is open.
    for fold in ("#fold-playbook", "#fold-remedies", "#fold-customer"):
        expect(page.locator(fold)).not_to_have_attribute("open", re.compile(".*"))
    expect(page.locator("#fold-timeline")).to_have_attribute("open", "")

    # Scrolled to the end the bar is still on screen, with tap targets of at least 44 px.
    bar = page.locator(".action-bar")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 1000
    assert in_view(page, ".action-bar")
    for item in bar.locator(".bar-item").all():
        assert box_of(item)["height"] >= 44
        assert box_of(item)["width"] >= 44

    # Resolving is blocked (playbook steps are open): the bar says so, the button looks and acts disabled.
    bar.get_by_role("link", name=re.compile("^Resolve")).click()
    button = page.get_by_role("button", name="Resolve case")
    expect(button).to_be_in_viewport()
    expect(button).to_have_attribute("aria-disabled", "true")
    expect(button).to_have_css("cursor", "not-allowed")
    expect(page.locator("#resolve-blocked")).to_contain_text("Required playbook steps are still open.")
    button.click(force=True)  # a tap anyway: nothing is sent
    expect(page.locator("#case-status")).to_be_empty()

    # Reply from the bar: the reply box comes into view with the cursor in it; the outcome is said in words and
    # stays in view, and the bar is there again after the swap.
    bar.get_by_role("link", name="Reply").click()
    expect(page.locator("#reply-body")).to_be_focused()
    expect(page.locator("#reply-body")).to_be_in_viewport()
    page.locator("#reply-body").fill("Dạ em xin lỗi chị, nhân viên đang lên phòng 305 ngay ạ.")
    page.get_by_role("button", name="Send reply").click()
    status = page.locator("#case-status .flash-item")
    expect(status).to_have_text("Reply posted on the customer's status page.")
    expect(status).to_be_in_viewport()
    assert in_view(page, ".action-bar")

    # Escalate from the bar: the folded form opens; the confirmation names who was told.
    bar.get_by_role("link", name="Escalate").click()
    expect(page.locator("#escalate-reason")).to_be_focused()
    page.locator("#escalate-reason").fill("Khách yêu cầu gặp quản lý.")
    page.locator("#escalate").get_by_role("button", name="Escalate").click()
    expect(status).to_have_text("Escalated to supervisors: Minh. The priority is now High.")
    expect(status).to_be_in_viewport()
    # A card staff opened stays open across the swap; the others stay folded.
    page.locator("#fold-customer > summary").click()
    bar.get_by_role("link", name="Escalate").click()
    page.locator("#escalate-reason").fill("Khách vẫn chờ.")
    page.locator("#escalate").get_by_role("button", name="Escalate").click()
    expect(status).to_have_text("Escalated to supervisors: Minh. The priority is now Urgent.")
    expect(page.locator("#fold-customer")).to_have_attribute("open", "")
    expect(page.locator("#fold-remedies")).not_to_have_attribute("open", re.compile(".*"))


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
def test_on_a_desktop_the_words_lead_the_main_column_and_there_is_no_bar(
    page: Page, live_server: LiveServer, agent: User, case: Case
) -> None:
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    expect(page.locator(".action-bar")).to_be_hidden()
    words, composer = box_of(page.locator(".words-card")), box_of(page.locator(".composer"))
    actions = box_of(page.locator(".actions-card"))
    assert words["y"] < composer["y"] < PHONE["height"]
    assert actions["x"] > words["x"] + words["width"]  # the side column
    for fold in ("#fold-playbook", "#fold-remedies", "#fold-customer", "#fold-timeline"):
        expect(page.locator(fold)).to_have_attribute("open", "")
