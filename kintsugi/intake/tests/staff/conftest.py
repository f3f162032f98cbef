"""The staff pages of intake's channels: an admin of a second organisation with a mailbox of its own, a LINE
connection (no parser registered for it yet, so whatever arrives on it is a problem), and payloads stored through
the pipeline's one door, read at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from conftest import make_staff
from kintsugi.accounts.models import Location, Organisation, Role, User
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import checks
from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.intake.models import InboundPayload
from kintsugi.intake.tests.inbound.conftest import mail, mailbox  # noqa: F401 (fixture)


@pytest.fixture
def rival_admin(other_org: Organisation) -> User:
    return make_staff(other_org, "rival_admin", Role.ADMIN, first_name="Rita")


@pytest.fixture
def rival_mailbox(other_org: Organisation, other_location: Location) -> ChannelConnection:
    connection = ChannelConnection(organisation=other_org, channel="email", name="Rival care",
                                   address="care@rival.example", location=other_location)
    connection.set_secrets({"imap_password": "rival-password-99"})
    connection.save()
    return connection


@pytest.fixture
def line_channel(org: Organisation, hanoi: Location) -> ChannelConnection:
    return ChannelConnection.objects.create(organisation=org, channel="line", name="LINE OA", address="@lotus",
                                            location=hanoi)


Deliver = Callable[..., InboundPayload]


@pytest.fixture
def deliver(django_capture_on_commit_callbacks: Any) -> Deliver:
    """Store one payload and let the pipeline read it (the tests' task backend runs it at once)."""

    def deliver(connection: ChannelConnection, raw: bytes, external_id: str = "") -> InboundPayload:
        with django_capture_on_commit_callbacks(execute=True):
            ids = store_payloads(connection, [Arrival(external_id or external_id_of(raw), raw)])
        return InboundPayload.objects.get(pk=ids[0])

    return deliver


@pytest.fixture
def registered_checks() -> Iterator[list[checks.ConnectionCheck]]:
    """The checks registered for the test, and none after it."""
    kept = list(checks.CONNECTION_CHECKS)
    checks.CONNECTION_CHECKS.clear()
    yield checks.CONNECTION_CHECKS
    checks.CONNECTION_CHECKS[:] = kept


__all__ = ["mail"]
