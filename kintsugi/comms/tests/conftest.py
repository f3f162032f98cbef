from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from kintsugi.accounts.models import Location, Organisation
from kintsugi.comms.models import ChannelConnection
from kintsugi.comms.tests.smtpserver import SmtpServer

SMTP_USER = "care@hotel.example"
SMTP_PASSWORD = "smtp-app-password-42"


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free port that accepts the mailbox's login (see smtpserver.py)."""
    server = SmtpServer(users={SMTP_USER: SMTP_PASSWORD})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_mailbox(org: Organisation, hanoi: Location, smtp_server: SmtpServer) -> ChannelConnection:
    """The organisation's mailbox, sending through the test server with its own login."""
    connection = ChannelConnection(
        organisation=org, channel="email", name="Care", address="care@hotel.example", location=hanoi,
        config={"imap_host": "127.0.0.1", "smtp_host": smtp_server.host, "smtp_port": smtp_server.port,
                "smtp_user": SMTP_USER, "smtp_security": "none", "from_name": "Lotus Hà Nội"},
    )
    connection.set_secrets({"imap_password": "imap-app-password-1", "smtp_password": SMTP_PASSWORD})
    connection.save()
    return connection


def use_default_smtp(settings: Settings, server: SmtpServer) -> None:
    """The project's default mailer (settings.MAILERS) sends through the test server, without a login."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": server.host, "port": server.port, "timeout": 5}}}


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (connections to it are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
