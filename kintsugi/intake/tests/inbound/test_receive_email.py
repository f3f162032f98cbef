"""Pipe delivery (`manage.py receive_email --mailbox ID`) as a mail server runs it: a process reading one mail on
standard input, answering with its exit code. 0 once stored, 0 again for a redelivery (the mail server must not
retry it), non-zero with the reason on standard error otherwise (the mail server keeps the mail)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.tests.inbound.conftest import mail
from kintsugi.intake.tests.processes import OtherProcess

pytestmark = pytest.mark.django_db(transaction=True)


def test_exit_codes_of_a_pipe_delivery(mailbox: ChannelConnection, tmp_path: Path) -> None:
    other = OtherProcess(tmp_path)
    payloads = "SELECT COUNT(*) FROM intake_inboundpayload"

    stored = other.run("receive_email", "--mailbox", str(mailbox.pk), stdin=mail())
    assert (stored.returncode, stored.stdout.strip(), stored.stderr) == (0, b"stored", b"")
    assert other.scalar(payloads) == 1
    assert other.scalar("SELECT external_id FROM intake_inboundpayload") == "m1@example.vn"
    assert other.scalar("SELECT raw FROM intake_inboundpayload") == mail()

    unknown = mailbox.pk + 1000
    again, elsewhere, empty = other.run_together(
        (["receive_email", "--mailbox", str(mailbox.pk)], mail()),
        (["receive_email", "--mailbox", str(unknown)], mail(message_id="m2@example.vn")),
        (["receive_email", "--mailbox", str(mailbox.pk)], b"\r\n"),
    )
    assert (again[0], again[1].strip()) == (0, b"already stored")
    assert (elsewhere[0], elsewhere[2].strip()) == (66, f"CommandError: no mailbox with id {unknown}".encode())
    assert (empty[0], empty[2].strip()) == (65, b"CommandError: no mail on standard input")
    assert other.scalar(payloads) == 1
