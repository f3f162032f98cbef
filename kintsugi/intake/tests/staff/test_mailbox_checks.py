"""“Test connection”: whatever checks are registered run against the settings in the form (saved or not), are
reported in the page (HTMX fragment or the whole page without JavaScript), and nothing is saved."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.test import Client

from conftest import login
from kintsugi.accounts.models import Location, User
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import checks
from kintsugi.intake.tests.staff.test_mailbox_pages import form_data, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening_port() -> Iterator[int]:
    """A real TCP server on this machine, accepting connections."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()[1]
    server.close()


def reachable(connection: ChannelConnection) -> tuple[str, str | None]:
    """A real check, as the receiving side will register one: can the IMAP server be reached at all?"""
    host, port = connection.config["imap_host"], int(connection.config["imap_port"])
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        return "Receiving (IMAP)", f"Cannot reach {host}:{port} ({exc.strerror or exc})."
    return "Receiving (IMAP)", None


def signed_in(connection: ChannelConnection) -> tuple[str, str | None]:
    ok = connection.secret("imap_password") == "app-password-1234"
    return "Signing in", None if ok else "The server refused the user name or password."


def broken(connection: ChannelConnection) -> tuple[str, str | None]:
    raise TimeoutError("timed out")


def test_the_checks_try_the_settings_in_the_form_without_saving_them(
    client: Client, admin_user: User, hanoi: Location, mailbox: ChannelConnection,
    registered_checks: list[checks.ConnectionCheck], listening_port: int,
) -> None:
    registered_checks.extend([reachable, signed_in])
    before = snapshot(mailbox)
    login(client, admin_user)
    data = form_data(hanoi, name="Care", address="care@hotel.example", imap_host="127.0.0.1",
                     imap_port=str(listening_port), imap_security="none", imap_password="", smtp_host="")
    response = client.post(f"/settings/mailboxes/{mailbox.pk}/test/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Receiving (IMAP)</strong> Works." in html
    assert "<strong>Signing in</strong> Works." in html  # the kept password, as the empty field keeps it
    assert "<html" not in html  # the fragment only
    assert snapshot(mailbox) == before

    response = client.post(f"/settings/mailboxes/{mailbox.pk}/test/", {**data, "imap_password": "typo-password"},
                           HTTP_HX_REQUEST="true")
    assert "<strong>Signing in</strong> The server refused the user name or password." in response.content.decode()
    assert snapshot(mailbox) == before


def test_an_unreachable_server_is_reported(client: Client, admin_user: User, hanoi: Location,
                                           registered_checks: list[checks.ConnectionCheck],
                                           listening_port: int) -> None:
    registered_checks.append(reachable)
    login(client, admin_user)
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    response = client.post("/settings/mailboxes/test/", form_data(
        hanoi, imap_host="127.0.0.1", imap_port=str(port), imap_security="none", smtp_host=""), HTTP_HX_REQUEST="true")
    assert f"<strong>Receiving (IMAP)</strong> Cannot reach 127.0.0.1:{port} (Connection refused)." in \
        response.content.decode()
    assert not ChannelConnection.objects.exists()


def test_without_javascript_the_whole_form_comes_back_with_the_results(
    client: Client, admin_user: User, hanoi: Location, registered_checks: list[checks.ConnectionCheck],
    listening_port: int,
) -> None:
    registered_checks.append(reachable)
    login(client, admin_user)
    response = client.post("/settings/mailboxes/test/", form_data(
        hanoi, imap_host="127.0.0.1", imap_port=str(listening_port), imap_security="none", smtp_host=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Receiving (IMAP)</strong> Works." in html
    assert 'value="Guest care Hà Nội"' in html
    assert 'value="app-password-5678"' in html  # what was just typed is not lost
    assert not ChannelConnection.objects.exists()


def test_a_form_with_errors_is_not_tried(client: Client, admin_user: User, hanoi: Location,
                                         registered_checks: list[checks.ConnectionCheck]) -> None:
    registered_checks.append(broken)
    login(client, admin_user)
    response = client.post("/settings/mailboxes/test/", form_data(hanoi, imap_host=""), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Correct these first:" in html
    assert "<li><strong>Server:</strong> This field is required.</li>" in html
    assert "timed out" not in html


def test_a_check_that_fails_unexpectedly_is_reported_not_raised(
    client: Client, admin_user: User, hanoi: Location, registered_checks: list[checks.ConnectionCheck],
) -> None:
    registered_checks.append(broken)
    login(client, admin_user)
    response = client.post("/settings/mailboxes/test/", form_data(hanoi), HTTP_HX_REQUEST="true")
    assert "<strong>broken</strong> The check itself failed: timed out" in response.content.decode()


def test_with_no_check_registered_the_page_says_so(client: Client, admin_user: User, hanoi: Location,
                                                   registered_checks: list[checks.ConnectionCheck]) -> None:
    login(client, admin_user)
    response = client.post("/settings/mailboxes/test/", form_data(hanoi), HTTP_HX_REQUEST="true")
    assert "No test is available for mailboxes yet." in response.content.decode()


def test_the_results_are_in_the_users_language(client: Client, admin_user: User, hanoi: Location,
                                               registered_checks: list[checks.ConnectionCheck]) -> None:
    admin_user.language = "vi"
    admin_user.save()
    login(client, admin_user)
    response = client.post("/settings/mailboxes/test/", form_data(hanoi, imap_host=""), HTTP_HX_REQUEST="true")
    assert response.headers["Content-Language"] == "vi"
    assert "Trường này là bắt buộc." in response.content.decode()
