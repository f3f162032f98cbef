"""Browser journey: an agent on a phone writes the five-part apology for a Vietnamese case (the lint and preview
follow the typing with HTMX; without JavaScript the Preview button shows them), sends it, inserts a reply
template into the reply box, and sends the thanks-and-explain message."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import User
from kintsugi.cases.models import Case, CaseEvent, EventKind
from kintsugi.recovery.services import messages
from tests.browser.signin import sign_in

PHONE: ViewportSize = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTS = {
    "restore": "Chúng tôi đã chuyển quý khách sang phòng 512 và hoàn lại tiền đêm đầu tiên.",
    "responsibility": "Đây là lỗi của chúng tôi, nhưng do hệ thống đặt phòng.",
    "explanation": "Nhân viên ca sáng đã đánh dấu nhầm phòng của quý khách là đã dọn.",
    "prevention": "Từ hôm nay, trưởng ca sẽ kiểm tra từng phòng trước khi giao cho khách.",
    "regret": "Chúng tôi rất tiếc vì quý khách đã mất buổi tối nghỉ ngơi sau chuyến bay dài.",
}


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("js_enabled", [True, False], ids=["htmx", "no-js"])
def test_agent_apologises_inserts_a_template_and_thanks_the_customer(
    page: Page, live_server: LiveServer, js_enabled: bool, agent: User, manager: User, case: Case
) -> None:
    agent.language = "en"
    agent.save(update_fields=["language"])
    messages.save_reply_template(None, by=manager, language="vi", category=None, name="Đang xử lý",
                                 body="Chào {customer_name}, hồ sơ {reference} đang được xử lý.")
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_role("link", name="Write the apology").click()

    for key in ("restore", "responsibility", "explanation"):
        page.locator(f"textarea[name={key}]").fill(PARTS[key])
    if not js_enabled:
        page.get_by_role("button", name="Preview", exact=True).click()
    warnings = page.locator("#part-responsibility-warnings .lint")
    expect(warnings).to_have_count(2)
    expect(warnings.first.locator("q")).to_have_text("nhưng")
    expect(page.locator("#apology-live .apology-missing")).to_contain_text("Regret for the impact")

    page.get_by_role("button", name="Send the apology").click()  # two parts missing: refused, nothing lost
    expect(page.locator(".flash-error")).to_contain_text("Missing:")
    expect(page.locator("textarea[name=explanation]")).to_have_value(PARTS["explanation"])
    for key in ("prevention", "regret"):
        page.locator(f"textarea[name={key}]").fill(PARTS[key])
    page.get_by_role("button", name="Send the apology").click()

    expect(page).to_have_url(f"{live_server.url}/cases/{case.reference}/")
    expect(page.locator(".timeline")).to_contain_text("Linh apologised to the customer")
    assert CaseEvent.objects.get(kind=EventKind.APOLOGY_SENT).data["warnings"] == 2

    page.locator("#reply-template").select_option(label="Đang xử lý")
    page.get_by_role("button", name="Insert", exact=True).click()
    expect(page.locator("#reply-body")).to_have_value(f"Chào Nguyễn Thị Hoa, hồ sơ {case.reference} đang được xử lý.")

    page.goto(f"{live_server.url}/cases/{case.reference}/thanks/")
    expect(page.locator("#thanks-body")).to_contain_text("Chúng tôi đã gửi lời xin lỗi")
    page.get_by_role("button", name="Send thanks").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}/$"))
    expect(page.locator(".timeline")).to_contain_text("thanked the customer and explained what was done")
