"""The IMAP tests' server (one real Dovecot per test session) and a mailbox connected to a fresh folder on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import Settings

from kintsugi.accounts.models import Location, Organisation
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.tests.imap.server import Dovecot, running_dovecot


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    with running_dovecot() as server:
        yield server


@pytest.fixture
def imap_mailbox(dovecot: Dovecot, org: Organisation, hanoi: Location, settings: Settings) -> ChannelConnection:
    """A mailbox read over IMAPS from a folder of its own; the server's self-signed certificate trusted."""
    settings.MAIL_TLS_CA_FILE = str(dovecot.ca_file)
    connection = ChannelConnection(
        organisation=org, channel="email", name="Care", address="care@hotel.example", location=hanoi,
        config={"imap_host": dovecot.host, "imap_port": dovecot.imaps_port, "imap_security": "ssl",
                "imap_user": dovecot.user, "folder": dovecot.new_folder()},
    )
    connection.set_secrets({"imap_password": dovecot.password})
    connection.save()
    return connection
