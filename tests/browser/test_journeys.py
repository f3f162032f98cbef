"""Browser journeys: what staff see and do in a real (headless) chromium against the live server.

State is built through the services and the fixed cast in the root conftest. Expected texts are exact; where
a page speaks the viewer's language they are read from the same catalogue the page uses, so the journeys hold
in every language and fail if the page shows the wrong one.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Location, Touchpoint, User
from kintsugi.cases.models import Case, Category, SlaPolicy
from tests.browser.signin import sign_in

PASSWORD = "kintsugi-test"  # the cast's password (conftest.PASSWORD)
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tr(language: str, message: str) -> str:
    """`message` as the pages show it to someone reading `language`."""
    with translation.override(language):
        return translation.gettext(message)


def mark_document(page: Page) -> None:
    """Tag the loaded document, so `document_survived` tells an HTMX swap from a full page load."""
    page.evaluate("window.__journey = true")


def document_survived(page: Page) -> bool:
    return bool(page.evaluate("window.__journey === true"))


# ------------------------------------------------------------------------------- 1. the frontline agent's morning


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
@pytest.mark.parametrize("js_enabled", [True, False], ids=["htmx", "no-js"])
def test_agent_on_a_phone_answers_a_complaint(
    page: Page, live_server: LiveServer, js_enabled: bool, agent: User, case: Case, bangkok_case: Case
) -> None:
    agent.language = "vi"  # Linh reads Vietnamese; the login page (not yet signed in) follows the browser: English
    agent.save(update_fields=["language"])
    lang = agent.language

    def t(message: str) -> str:
        return tr(lang, message)

    page.goto(f"{live_server.url}/cases/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/cases/$"))
    page.get_by_label("Username").fill(agent.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()

    # The inbox: the Hà Nội case, and nothing from Bangkok, which is not Linh's location.
    expect(page).to_have_url(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Inbox"))
    expect(page.locator(".inbox-row .case-ref")).to_have_text([case.reference])
    expect(page.get_by_text(bangkok_case.reference)).to_have_count(0)
    expect(page.get_by_text(bangkok_case.subject)).to_have_count(0)

    page.get_by_role("link", name=case.subject).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.reference}/")
    expect(page.locator(".case-header .case-ref")).to_have_text(case.reference)
    expect(page.locator(".case-title")).to_have_text(case.subject)
    status = page.locator(".case-header .badge[class*='status-']")
    expect(status).to_have_text(f"{t('Status:')} {t('New')}")
    if js_enabled:
        mark_document(page)

    # On a phone the one-tap actions sit in the bar at the bottom of the screen.
    page.locator(".action-bar").get_by_role("button", name=t("Acknowledge"), exact=True).click()
    flash = page.locator("#case-status .flash-item")
    expect(flash).to_have_text(t("You acknowledged the case."))
    expect(status).to_have_text(f"{t('Status:')} {t('Acknowledged')}")
    expect(page.get_by_role("button", name=t("Acknowledge"), exact=True)).to_have_count(0)
    assignee = page.locator(".case-header .meta div", has_text=t("Assignee")).locator("dd")
    expect(assignee).to_have_text(agent.display_name)

    reply = "Chào chị Hoa, chúng tôi rất xin lỗi. Buồng phòng đang lên dọn phòng 305 và kỹ thuật sẽ kiểm tra điều hòa."
    page.locator("#reply-body").fill(reply)
    page.get_by_role("button", name=t("Send reply"), exact=True).click()
    expect(flash).to_have_text(t("Reply posted on the customer's status page."))
    sent = page.locator(".timeline .entry-reply")
    expect(sent).to_have_count(1)
    expect(sent.locator(".entry-title")).to_have_text(
        t("%(actor)s replied to the customer (%(channel)s).") % {"actor": agent.display_name, "channel": t("Web form")}
    )
    expect(sent.locator(".entry-body")).to_have_text(reply)
    expect(sent.locator(".visibility")).to_have_text(t("Customer can see this"))
    expect(sent.locator(".visibility")).to_have_class(re.compile(r"\bvisibility-public\b"))
    expect(status).to_have_text(f"{t('Status:')} {t('In progress')}")
    expect(page.locator("#reply-body")).to_have_value("")

    note = "Đã báo bộ phận kỹ thuật: điều hòa phòng 305 cần thay lọc gió trước 14 giờ."
    page.locator(".composer-tabs").get_by_text(t("Internal note"), exact=True).click()
    expect(page.locator("#reply-body")).to_be_hidden()
    page.locator("#note-body").fill(note)
    page.get_by_role("button", name=t("Add note"), exact=True).click()
    expect(flash).to_have_text(t("Your note was added."))
    noted = page.locator(".timeline .entry-note")
    expect(noted).to_have_count(1)
    expect(noted.locator(".entry-title")).to_have_text(
        t("%(actor)s added an internal note.") % {"actor": agent.display_name}
    )
    expect(noted.locator(".entry-body")).to_have_text(note)
    expect(noted.locator(".visibility")).to_have_text(t("Staff only"))
    expect(noted.locator(".visibility")).to_have_class(re.compile(r"\bvisibility-internal\b"))
    expect(status).to_have_text(f"{t('Status:')} {t('In progress')}")

    if js_enabled:  # every action was an HTMX swap of the case body, never a full page load
        assert document_survived(page)
    case.refresh_from_db()
    assert (case.status, case.assignee_id) == ("in_progress", agent.pk)


# ------------------------------------------------------------------------------- 2. a supervisor logs a phone call


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
def test_supervisor_logs_a_phone_complaint(
    page: Page, live_server: LiveServer, supervisor: User, hanoi: Location, bangkok: Location,
    front_desk: Touchpoint, rooms: Category, policy: SlaPolicy
) -> None:
    assert supervisor.language == ""  # no preference: the browser's English decides
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/")
    page.get_by_role("link", name="Log a complaint", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/cases/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a complaint")

    description = "Khách gọi: phòng 412 có mùi thuốc lá, xin đổi phòng nhưng lễ tân nói hết phòng."
    page.get_by_role("radio", name="Phone", exact=True).check()
    page.get_by_label("Location", exact=True).select_option(label="Lotus Hà Nội")
    page.get_by_label("What happened?").fill(description)
    page.get_by_label("Customer name").fill("Phạm Quốc Bảo")
    page.get_by_role("textbox", name="Phone", exact=True).fill("0912 345 678")
    page.get_by_role("button", name="Open case", exact=True).click()

    year = timezone.now().astimezone(ZoneInfo(hanoi.timezone)).year
    reference = re.compile(rf"^K-{year}-\d{{6}}$")
    expect(page).to_have_url(re.compile(rf"/cases/K-{year}-\d{{6}}/$"))
    expect(page.locator(".case-header .case-ref")).to_have_text(reference)
    case = Case.objects.get()
    expect(page.locator("#case-status .flash-item")).to_have_text(f"Case {case.reference} is open.")
    expect(page.locator(".case-title")).to_have_text(case.subject)
    expect(page.locator(".case-header .meta div", has_text="Channel").locator("dd")).to_have_text("Phone")
    expect(page.locator(".case-header .meta div", has_text="Where").locator("dd")).to_have_text("Lotus Hà Nội")
    customer = page.locator(".customer-card")
    expect(customer.locator(".customer-name")).to_have_text("Phạm Quốc Bảo")
    expect(customer.locator(".identity")).to_have_text("+84912345678")
    expect(customer.get_by_role("link", name="+84912345678")).to_have_attribute("href", "tel:+84912345678")
    expect(page.locator(".timeline .entry-customer .entry-body")).to_have_text(description)

    # A number that cannot be right: the form says so and keeps everything typed.
    page.get_by_role("link", name="Log a complaint", exact=True).click()
    page.get_by_label("Location", exact=True).select_option(label="Lotus Hà Nội")
    page.get_by_label("What happened?").fill("Khách gọi lại: vẫn chưa đổi phòng.")
    phone = page.get_by_role("textbox", name="Phone", exact=True)
    phone.fill("12")
    page.get_by_role("button", name="Open case", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/cases/new/")
    expect(page.locator(".form-error")).to_have_text(
        "Please correct the marked fields. Everything you typed is still here."
    )
    expect(page.locator("#id_customer_phone-error")).to_have_text("“12” is not a valid phone number.")
    expect(phone).to_have_value("12")
    expect(page.get_by_label("What happened?")).to_have_value("Khách gọi lại: vẫn chưa đổi phòng.")
    expect(page.get_by_label("Location", exact=True)).to_have_value(str(hanoi.pk))
    expect(page.get_by_role("radio", name="Phone", exact=True)).to_be_checked()
    assert Case.objects.count() == 1


# ------------------------------------------------------------------------------- 3. the interface in Thai


def test_switching_the_interface_to_thai(page: Page, live_server: LiveServer, supervisor: User) -> None:
    heading = tr("th", "Inbox")  # from the compiled Thai catalogue, as the page reads it
    sign_in(page, live_server, supervisor)
    page.goto(f"{live_server.url}/cases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")

    page.get_by_label("Your account", exact=True).click()  # the avatar menu holds the switcher
    thai = page.locator(".menu-user .language-switcher").get_by_role("button", name="ภาษาไทย")
    expect(thai).to_have_attribute("aria-pressed", "false")
    thai.click()

    expect(page).to_have_url(f"{live_server.url}/cases/")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.reload()  # the choice is the staff member's preference, not just this page
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_label(tr("th", "Your account"), exact=True).click()
    expect(page.locator(".menu-user .language-switcher").get_by_role("button", name="ภาษาไทย")).to_have_attribute(
        "aria-pressed", "true"
    )
    supervisor.refresh_from_db()
    assert supervisor.language == "th"
    assert heading != "Inbox", "the compiled Thai catalogue does not translate the inbox heading (msgid 'Inbox')"


# ------------------------------------------------------------------------------- 4. the SLA clock


def test_sla_countdown_ticks_while_the_location_is_open(
    page: Page, live_server: LiveServer, agent: User, case: Case
) -> None:
    # The countdown is in working time, so it only moves while the location is open: make that now.
    case.location.always_open = True
    case.location.save()
    sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    countdown = page.locator(".sla-card [data-countdown]")
    clock = re.compile(r"^\u2212?\d+:\d{2}:\d{2}$")  # H:MM:SS, a minus sign once overdue
    expect(countdown).to_have_text(clock)
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=2_500)
    expect(countdown).to_have_text(clock)
