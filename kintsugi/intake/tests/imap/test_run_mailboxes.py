"""`manage.py run_mailboxes`: the receiver as deployed (its own process, stopped by SIGTERM), and `--once`."""

from __future__ import annotations

import signal
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kintsugi.cases.models import Case
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.tests.imap.server import Dovecot
from kintsugi.intake.tests.inbound.conftest import mail
from kintsugi.intake.tests.processes import OtherProcess
from kintsugi.ops.heartbeats import MAILBOXES
from kintsugi.ops.models import Heartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def test_once_reads_every_active_mailbox_and_says_which_could_not_be_read(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    refused = ChannelConnection(organisation=imap_mailbox.organisation, channel="email", name="Sales",
                                address="sales@hotel.example", location=imap_mailbox.location,
                                config={**imap_mailbox.config, "folder": dovecot.new_folder()})
    refused.set_secrets({"imap_password": "not-the-password"})
    refused.save()
    ChannelConnection.objects.create(organisation=imap_mailbox.organisation, channel="email", name="Old",
                                     address="old@hotel.example", location=imap_mailbox.location, is_active=False,
                                     config={"imap_host": "imap.invalid"})
    dovecot.append(mail(), str(imap_mailbox.config["folder"]))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match=r"^1 mailbox\(es\) could not be read$"):
        call_command("run_mailboxes", "--once", stdout=out, stderr=err)

    assert out.getvalue() == "care@hotel.example: 1 new\n"
    assert err.getvalue() == ("sales@hotel.example: The IMAP server refused the user name or password "
                              "([AUTHENTICATIONFAILED] Authentication failed).\n")
    assert Case.objects.count() == 1
    assert Heartbeat.objects.filter(name=MAILBOXES).exists()


def test_the_receiver_process_stores_new_mail_beats_and_stops_on_sigterm(
    dovecot: Dovecot, imap_mailbox: ChannelConnection, tmp_path: Path,
) -> None:
    other = OtherProcess(tmp_path, MAIL_TLS_CA_FILE=str(dovecot.ca_file), MAIL_IDLE_SECONDS="600",
                         HEARTBEAT_SECONDS="0.5")
    receiver = other.start("run_mailboxes", "--rescan", "0.5")
    try:
        deadline = time.monotonic() + 30
        while other.scalar("SELECT COUNT(*) FROM comms_channelconnection WHERE last_checked_at IS NOT NULL") == 0:
            assert receiver.poll() is None, receiver.communicate()
            assert time.monotonic() < deadline, "the receiver never read the mailbox"
            time.sleep(0.1)
        dovecot.append(mail(), str(imap_mailbox.config["folder"]))
        while other.scalar("SELECT COUNT(*) FROM intake_inboundpayload") == 0:
            assert time.monotonic() < deadline, "the new mail was not stored"
            time.sleep(0.1)
        assert other.scalar(f"SELECT COUNT(*) FROM ops_heartbeat WHERE name = '{MAILBOXES}'") == 1

        receiver.send_signal(signal.SIGTERM)
        out, err = receiver.communicate(timeout=10)
    finally:
        if receiver.poll() is None:
            receiver.kill()
            receiver.wait()

    assert receiver.returncode == 0, err
    assert out.decode() == "Mailbox receiver running (mailboxes looked at every 0.5 s)\n"
    log = err.decode()
    assert f"mailbox {imap_mailbox.pk} (care@hotel.example): watching" in log
    assert f"mailbox {imap_mailbox.pk}: connected to care@127.0.0.1:{dovecot.imaps_port}/" in log
    assert "waiting with IMAP IDLE" in log
    assert f"mailbox {imap_mailbox.pk}: 1 new mail(s) stored" in log
    assert "mailbox receiver stopping (1 mailbox(es))" in log
    assert other.scalar("SELECT status FROM intake_inboundpayload") == "pending"  # the worker reads it later
