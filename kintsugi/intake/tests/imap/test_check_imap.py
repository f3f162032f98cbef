"""The settings page's "Test connection" (check_imap): None when the mailbox can be read, else a reason a person can
act on, for each way a mailbox's settings can be wrong."""

from __future__ import annotations

import socket

import pytest
from pytest_django import Settings

from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.imap import check_imap
from kintsugi.intake.tests.imap.server import Dovecot

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_mailbox_that_can_be_read_is_ok(imap_mailbox: ChannelConnection) -> None:
    assert check_imap(imap_mailbox) is None


def test_a_wrong_password_is_said_as_such(imap_mailbox: ChannelConnection) -> None:
    imap_mailbox.set_secrets({"imap_password": "not-the-password"})
    assert check_imap(imap_mailbox) == (
        "The IMAP server refused the user name or password ([AUTHENTICATIONFAILED] Authentication failed).")


def test_a_folder_that_does_not_exist(imap_mailbox: ChannelConnection) -> None:
    imap_mailbox.config["folder"] = "Khiếu nại"
    assert check_imap(imap_mailbox) == (
        "The folder “Khiếu nại” cannot be opened on the IMAP server (Mailbox doesn't exist: Khiếu nại).")


def test_a_certificate_nobody_vouches_for(imap_mailbox: ChannelConnection, settings: Settings) -> None:
    settings.MAIL_TLS_CA_FILE = ""
    assert check_imap(imap_mailbox) == (
        "The IMAP server's certificate is not trusted (self-signed certificate).")


def test_ssl_spoken_to_a_plain_port(dovecot: Dovecot, imap_mailbox: ChannelConnection) -> None:
    imap_mailbox.config["imap_port"] = dovecot.imap_port
    reason = check_imap(imap_mailbox)
    assert reason is not None
    assert reason.startswith(f"TLS with the IMAP server at 127.0.0.1:{dovecot.imap_port} failed (")
    assert reason.endswith("): SSL is usually port 993, STARTTLS port 143.")


def test_nothing_listening(imap_mailbox: ChannelConnection) -> None:
    port = closed_port()
    imap_mailbox.config["imap_port"] = port
    assert check_imap(imap_mailbox) == (
        f"The IMAP server at 127.0.0.1:{port} refused the connection (check the port).")


def test_a_server_name_that_does_not_exist(imap_mailbox: ChannelConnection) -> None:
    imap_mailbox.config["imap_host"] = "imap.invalid"
    assert check_imap(imap_mailbox) == "The IMAP server “imap.invalid” was not found."


@pytest.mark.parametrize(("config", "reason"), [
    ({"imap_host": ""}, "No IMAP server is set for this mailbox."),
    ({"imap_security": "tls1.0"}, "Unknown IMAP security “tls1.0”: choose SSL, STARTTLS or none."),
    ({"imap_host": "imap.hotel.example", "imap_security": "none"},
     "IMAP without encryption is only allowed to this machine (localhost); choose SSL or STARTTLS for "
     "imap.hotel.example."),
    ({"imap_port": "nine"}, "The IMAP port must be a number."),
    ({"imap_port": 70000}, "The IMAP port must be between 1 and 65535."),
])
def test_settings_that_cannot_work_are_refused_before_connecting(
    imap_mailbox: ChannelConnection, config: dict[str, object], reason: str,
) -> None:
    imap_mailbox.config.update(config)
    assert check_imap(imap_mailbox) == reason


def test_a_password_sealed_under_a_key_no_longer_configured(
    imap_mailbox: ChannelConnection, settings: Settings,
) -> None:
    settings.CREDENTIALS_KEYS = ["bm90LXRoZS1rZXktdGhhdC1zZWFsZWQtaXQtMDAwMDA="]
    assert check_imap(imap_mailbox) == (
        "The saved password cannot be read with this server's keys (KINTSUGI_CREDENTIALS_KEYS); enter it again.")
