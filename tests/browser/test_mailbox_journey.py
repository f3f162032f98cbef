"""An administrator connects a mailbox: tries the settings with "Test connection" (answered in place, nothing
saved), saves, and later processes the inbound problems again from the list."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kintsugi.accounts.models import Location, User
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import checks
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.intake.models import InboundPayload
from tests.browser.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def reachable(connection: ChannelConnection) -> tuple[str, str | None]:
    host, port = connection.config["imap_host"], int(connection.config["imap_port"])
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return "Receiving (IMAP)", f"Cannot reach {host}:{port}."
    return "Receiving (IMAP)", None


@pytest.fixture
def imap_port() -> Iterator[int]:
    kept = list(checks.CONNECTION_CHECKS)
    checks.CONNECTION_CHECKS[:] = [reachable]
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()
    checks.CONNECTION_CHECKS[:] = kept


def test_an_administrator_tests_then_saves_a_mailbox(page: Page, live_server: LiveServer, admin_user: User,
                                                      hanoi: Location, imap_port: int) -> None:
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/settings/mailboxes/")
    page.get_by_role("link", name="Add a mailbox").first.click()
    page.get_by_label("Name", exact=True).fill("Guest care")
    page.get_by_label("Email address").fill("care@hotel.example")
    page.locator("#id_imap_host").fill("127.0.0.1")
    page.locator("#id_imap_security").select_option("none")
    page.locator("#id_imap_port").fill(str(imap_port))
    page.locator("#id_imap_password").fill("app-password-1234")
    page.locator("#id_location").select_option(str(hanoi.pk))
    page.get_by_role("button", name="Test connection").click()
    expect(page.locator("#connection-checks")).to_contain_text("Receiving (IMAP) Works.")
    assert page.url == f"{live_server.url}/settings/mailboxes/new/"  # answered in place
    assert not ChannelConnection.objects.exists()
    page.get_by_role("button", name="Add mailbox").click()
    expect(page.locator(".flash-success")).to_contain_text("The mailbox “Guest care” was saved.")
    assert ChannelConnection.objects.get().config["imap_port"] == imap_port


def test_select_all_ticks_every_problem_and_they_are_processed_again(
    page: Page, live_server: LiveServer, admin_user: User, hanoi: Location
) -> None:
    line = ChannelConnection.objects.create(organisation=hanoi.organisation, channel="line", name="LINE OA",
                                            address="@lotus", location=hanoi)
    store_payloads(line, [Arrival(f"evt-{n}", json.dumps({"n": n}).encode()) for n in range(3)])
    sign_in(page, live_server, admin_user)
    page.goto(f"{live_server.url}/inbound/")
    expect(page.locator(".inbound-row")).to_have_count(3)
    page.get_by_label("Select all on page").check()
    for box in page.locator("input[name=payload]").all():
        expect(box).to_be_checked()
    page.get_by_role("button", name="Process the ticked again").click()
    expect(page.locator(".flash-success")).to_contain_text("3 messages will be read again.")
    assert sorted(InboundPayload.objects.values_list("attempts", flat=True)) == [2, 2, 2]
