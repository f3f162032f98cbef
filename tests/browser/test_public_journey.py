"""Browser journeys of the public side: a customer complains through a touchpoint's QR link on their phone,
follows their case on the status page, and sees the agent's reply. Also the screenshots of those pages in the
three languages (written to $KINTSUGI_SCREENSHOTS_DIR when set, e.g. docs/screenshots, else to a temp folder).
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Touchpoint, User
from kintsugi.cases import services
from kintsugi.cases.models import Case, EventKind, SlaPolicy
from kintsugi.intake.models import Attachment
from kintsugi.intake.tests.images import jpeg_with_gps

PASSWORD = "kintsugi-test"  # the cast's password (conftest.PASSWORD)
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}
THAI = "แอร์ในห้อง 512 ไม่เย็นเลยค่ะ แจ้งแผนกต้อนรับไปสองรอบแล้ว ยังไม่มีใครมาดู"
REFERENCE = re.compile(r"^K-\d{4}-\d{6}$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tr(language: str, message: str, context: str | None = None) -> str:
    with translation.override(language):
        return translation.pgettext(context, message) if context else translation.gettext(message)


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "IMG_2041.jpg"
    path.write_bytes(jpeg_with_gps(size=(1200, 900), color="#5d6d7e"))
    return path


@pytest.fixture(autouse=True)
def _media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_customer_complains_in_thai_and_sees_the_agents_reply(
    page: Page, browser: Browser, live_server: LiveServer, front_desk: Touchpoint, policy: SlaPolicy,
    agent: User, photo: Path
) -> None:
    # The QR code leads to the touchpoint's public URL; this phone's browser asks for English.
    page.goto(f"{live_server.url}/t/{front_desk.public_code}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what went wrong")
    expect(page.locator(".place")).to_have_text("Lotus Hà Nội · Front desk")

    page.get_by_role("link", name="ภาษาไทย").click()
    expect(page).to_have_url(f"{live_server.url}/t/{front_desk.public_code}/th/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("th", "Tell us what went wrong"))

    # Too short first: the friendly message, and what was typed is still there.
    page.get_by_label(tr("th", "What happened?")).fill("แอร์เสีย")
    page.get_by_label(tr("th", "Your name")).fill("สมศรี")
    page.get_by_role("button", name=tr("th", "Send"), exact=True).click()
    expect(page.locator("#id_description_error")).to_have_text(
        tr("th", "Could you tell us a little more? A few words help us put it right."))
    expect(page.get_by_label(tr("th", "Your name"))).to_have_value("สมศรี")

    page.get_by_label(tr("th", "What happened?")).fill(THAI)
    page.get_by_role("radio", name=tr("th", "Very bad", "how bad"), exact=True).check()
    page.get_by_label(tr("th", "Booking or room number")).fill("512")
    # Half an hour ago on the hotel's clocks (Hà Nội), as the phone's date-time picker gives it.
    hotel_clock = (datetime.now(UTC) - timedelta(minutes=30)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    page.get_by_label(tr("th", "When did it happen?")).fill(hotel_clock.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(tr("th", "LINE ID")).fill("U4af4980629")
    expect(page.locator(".privacy h2")).to_have_text(tr("th", "Your privacy"))
    # The picker: one large label; once a photo is chosen, its name and a thumbnail instead of the browser's input.
    expect(page.locator("#id_photo")).to_have_css("opacity", "0")
    page.get_by_label(tr("th", "A photo (optional)")).set_input_files(photo)
    chosen = page.locator(".picker-chosen li")
    expect(chosen.locator(".picker-name")).to_contain_text("IMG_2041.jpg")
    expect(chosen.locator("canvas")).to_have_count(1)
    chosen.get_by_role("button", name=tr("th", "Remove")).click()
    expect(page.locator(".picker-chosen li")).to_have_count(0)
    assert page.locator("#id_photo").evaluate("input => input.files.length") == 0
    page.get_by_label(tr("th", "A photo (optional)")).set_input_files(photo)
    page.get_by_role("button", name=tr("th", "Send"), exact=True).click()

    # The acknowledgement: the reference, when we will answer, and the private link.
    expect(page).to_have_url(re.compile(r"/s/[A-Za-z0-9_-]{43}/thanks/th/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("th", "Thank you. We have your complaint."))
    case = Case.objects.get()
    assert (case.language, case.severity, case.channel, case.touchpoint_id) == ("th", 4, "web", front_desk.pk)
    assert (case.booking_reference, case.occurred_at) == ("512", hotel_clock.replace(second=0, microsecond=0))
    assert case.customer is not None
    assert case.customer.name == "สมศรี"
    expect(page.locator(".facts .ref")).to_have_text(case.reference)
    expect(page.locator(".facts .ref")).to_have_text(REFERENCE)
    expect(page.locator(".facts .when")).not_to_be_empty()
    status_url = page.locator(".link a").get_attribute("href")
    assert status_url is not None

    page.get_by_role("link", name=tr("th", "Open my case page")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("th", "We have received your complaint"))
    expect(page.locator(".story .said").first).to_have_text(THAI)
    expect(page.locator(".story img")).to_have_count(1)
    attachment = Attachment.objects.get()
    assert (attachment.width, attachment.height, attachment.event_id) == (
        1200, 900, case.events.get(kind=EventKind.CREATED).pk
    )

    # The agent, on a computer, signs in, finds the case in the inbox and replies.
    desk = browser.new_context(viewport=DESKTOP, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    desk.set_default_timeout(5_000)
    staff = desk.new_page()
    staff.goto(f"{live_server.url}/cases/")
    staff.get_by_label("Username").fill(agent.username)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in", exact=True).click()
    expect(staff.locator(".inbox-row .case-ref")).to_have_text([case.reference])
    staff.get_by_role("link", name=case.subject).click()
    expect(staff.locator(".case-header .case-ref")).to_have_text(case.reference)
    expect(staff.locator(".case-fact-booking dd")).to_have_text("512")
    reply = "ขออภัยอย่างยิ่งค่ะ ช่างกำลังขึ้นไปตรวจแอร์ห้อง 512 ภายใน 15 นาทีค่ะ"
    staff.locator("#reply-body").fill(reply)
    staff.get_by_role("button", name="Send reply", exact=True).click()
    expect(staff.locator(".timeline .entry-reply .entry-body")).to_have_text(reply)
    desk.close()

    # The customer's status page shows the reply, from the agent by first name.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("th", "We are working on it"))
    answered = page.locator(".story-us").filter(has_text=reply)
    expect(answered.locator(".what")).to_contain_text(tr("th", "%(name)s replied.") % {"name": agent.first_name})
    expect(answered.locator(".said")).to_have_text(reply)
    expect(page.locator(".handler")).to_have_text(agent.first_name)


SCREENSHOT_NAMES = {"en": "Emma Wilson", "vi": "Nguyễn Thị Hoa", "th": "สมศรี ใจดี"}
SCREENSHOT_TEXTS = {
    "en": "The air conditioning in room 512 is not cooling at all. I told the front desk twice and nobody came.",
    "vi": "Điều hòa phòng 512 không mát chút nào. Tôi đã báo lễ tân hai lần mà chưa ai lên kiểm tra.",
    "th": THAI,
}


@pytest.mark.parametrize(("viewport", "js_enabled"), [(PHONE, False), (PHONE, True), (DESKTOP, True)],
                         ids=["phone-no-js", "phone", "desktop"])
@pytest.mark.parametrize("language", ["en", "vi", "th"])
def test_screenshots_of_the_public_pages(
    page: Page, live_server: LiveServer, front_desk: Touchpoint, policy: SlaPolicy, agent: User, photo: Path,
    language: str, tmp_path: Path, viewport: ViewportSize, js_enabled: bool
) -> None:
    folder = Path(os.environ.get("KINTSUGI_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    screen = ("phone" if viewport == PHONE else "desktop") + ("" if js_enabled else "-no-js")
    front_desk.organisation.privacy_contact = "privacy@lotus.example"
    front_desk.organisation.privacy_policy_url = "https://lotus.example/privacy"
    front_desk.organisation.save()
    page.goto(f"{live_server.url}/t/{front_desk.public_code}/{language}/")
    page.get_by_label(tr(language, "What happened?")).fill(SCREENSHOT_TEXTS[language])
    page.get_by_label(tr(language, "Booking or room number")).fill("512")
    page.get_by_role("radio", name=tr(language, "Very bad", "how bad"), exact=True).check()
    page.get_by_label(tr(language, "Your name")).fill(SCREENSHOT_NAMES[language])
    page.get_by_label(tr(language, "Email")).fill("guest@example.com")
    page.get_by_label(tr(language, "A photo (optional)")).set_input_files(photo)
    if js_enabled:
        expect(page.locator(".picker-chosen canvas")).to_have_count(1)
    page.screenshot(path=str(folder / f"public-form-{language}-{screen}.png"), full_page=True)

    page.get_by_role("button", name=tr(language, "Send"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(language, "Thank you. We have your complaint."))
    page.screenshot(path=str(folder / f"public-ack-{language}-{screen}.png"), full_page=True)

    case = Case.objects.get()
    services.acknowledge(case, by=agent)
    replies = {
        "en": "We are very sorry. A technician is on the way to room 512 and will be there within 15 minutes.",
        "vi": "Chúng tôi rất xin lỗi. Kỹ thuật viên đang lên phòng 512 và sẽ có mặt trong vòng 15 phút.",
        "th": "ขออภัยอย่างยิ่งค่ะ ช่างกำลังขึ้นไปตรวจแอร์ห้อง 512 ภายใน 15 นาทีค่ะ",
    }
    services.reply(case, replies[language], by=agent)
    page.get_by_role("link", name=tr(language, "Open my case page")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr(language, "We are working on it"))
    expect(page.locator(".story .said").last).to_have_text(replies[language])
    page.screenshot(path=str(folder / f"public-status-{language}-{screen}.png"), full_page=True)
