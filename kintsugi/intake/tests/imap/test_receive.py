"""A mailbox read over IMAP from a real Dovecot: each new mail stored raw once and turned into a case, UIDs kept
between passes, a renumbered folder read again without duplicates, nothing changed on the server, and a refused
login written on the mailbox."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from imap_tools import AND

from kintsugi.cases.models import Case
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import imap
from kintsugi.intake.channels.email.watch import Outcome, poll_once
from kintsugi.intake.models import InboundPayload, InboundStatus
from kintsugi.intake.tests.imap.server import Dovecot
from kintsugi.intake.tests.inbound.conftest import mail

pytestmark = pytest.mark.django_db(transaction=True)


def folder(mailbox: ChannelConnection) -> str:
    return str(mailbox.config["folder"])


def state(dovecot: Dovecot, mailbox: ChannelConnection, last_uid: int) -> dict[str, object]:
    return {"mailbox": f"care@127.0.0.1:{dovecot.imaps_port}/{folder(mailbox)}",
            "uidvalidity": dovecot.uidvalidity(folder(mailbox)), "last_uid": last_uid}


def test_a_mail_in_the_folder_becomes_a_case_from_its_bytes_as_sent(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    raw = mail()
    dovecot.append(raw, folder(imap_mailbox))

    assert poll_once(imap_mailbox) == Outcome(1)

    payload = InboundPayload.objects.get()
    assert (payload.raw, payload.external_id, payload.status) == (raw, "m1@example.vn", InboundStatus.DONE)
    assert payload.headers == {"uid": "1", "folder": folder(imap_mailbox),
                               "uidvalidity": str(dovecot.uidvalidity(folder(imap_mailbox)))}
    case = Case.objects.get()
    assert (payload.case_id, case.channel, case.subject, case.language) == (case.pk, "email", "Phòng bẩn", "vi")
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.state == state(dovecot, imap_mailbox, 1)
    assert imap_mailbox.last_checked_at is not None
    assert imap_mailbox.last_error == ""


def test_each_pass_takes_only_what_arrived_since_the_last(dovecot: Dovecot, imap_mailbox: ChannelConnection) -> None:
    dovecot.append(mail(), folder(imap_mailbox))
    assert poll_once(imap_mailbox) == Outcome(1)
    assert poll_once(imap_mailbox) == Outcome(0)

    dovecot.append(mail("Wifi", "Wifi không vào được.", sender="An <an@example.vn>", message_id="m2@example.vn"),
                   folder(imap_mailbox))
    dovecot.append(mail("Noise", "Máy lạnh ồn.", sender="Binh <binh@example.vn>", message_id="m3@example.vn"),
                   folder(imap_mailbox), seen=True)  # read by someone in their mail client: still new to us
    assert poll_once(imap_mailbox) == Outcome(2)

    assert sorted(InboundPayload.objects.values_list("external_id", flat=True)) == [
        "m1@example.vn", "m2@example.vn", "m3@example.vn"]
    assert Case.objects.count() == 3
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.state["last_uid"] == 3


def test_mail_announced_while_a_pass_ran_is_known_to_be_waiting(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    account = imap.account_of(imap_mailbox)
    with imap.session(account) as mailbox:
        dovecot.append(mail(), folder(imap_mailbox))
        assert imap.receive(mailbox, imap_mailbox, account) == 1
        assert not imap.more_waiting(mailbox)

        dovecot.append(mail("Wifi", "Wifi không vào được.", message_id="m2@example.vn"), folder(imap_mailbox))
        mailbox.client.noop()  # any command: the server tells of the new mail in its answer, and IDLE would not
        assert imap.more_waiting(mailbox)
        assert imap.receive(mailbox, imap_mailbox, account) == 1
        assert not imap.more_waiting(mailbox)


def test_the_same_mail_delivered_twice_is_one_case(dovecot: Dovecot, imap_mailbox: ChannelConnection) -> None:
    dovecot.append(mail(), folder(imap_mailbox))
    dovecot.append(mail(), folder(imap_mailbox))  # the same Message-ID: a redelivery
    assert poll_once(imap_mailbox) == Outcome(1)
    dovecot.append(mail(), folder(imap_mailbox))
    assert poll_once(imap_mailbox) == Outcome(0)

    assert InboundPayload.objects.count() == 1
    assert Case.objects.count() == 1
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.state["last_uid"] == 3


def test_a_renumbered_folder_is_read_again_without_duplicates(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    dovecot.append(mail(), folder(imap_mailbox))
    dovecot.append(mail("Wifi", "Wifi không vào được.", sender="An <an@example.vn>", message_id="m2@example.vn"),
                   folder(imap_mailbox))
    assert poll_once(imap_mailbox) == Outcome(2)
    before = dovecot.uidvalidity(folder(imap_mailbox))

    # The server renumbers the folder (a restore, a migration): the same mails, new UIDs from 1, a new UIDVALIDITY.
    dovecot.recreate(folder(imap_mailbox))
    dovecot.append(mail(), folder(imap_mailbox))
    dovecot.append(mail("Noise", "Máy lạnh ồn.", sender="Binh <binh@example.vn>", message_id="m3@example.vn"),
                   folder(imap_mailbox))
    assert dovecot.uidvalidity(folder(imap_mailbox)) != before

    assert poll_once(imap_mailbox) == Outcome(1)  # m1 is read again and known; m3 is new

    assert sorted(InboundPayload.objects.values_list("external_id", flat=True)) == [
        "m1@example.vn", "m2@example.vn", "m3@example.vn"]
    assert Case.objects.count() == 3
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.state == state(dovecot, imap_mailbox, 2)


def test_the_first_pass_takes_the_unread_mail_of_the_last_days_then_everything_new(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    old = timezone.now() - timedelta(days=30)
    with dovecot.client() as client:
        client.append(mail(message_id="old@example.vn"), folder(imap_mailbox), dt=old)
    dovecot.append(mail(message_id="read@example.vn"), folder(imap_mailbox), seen=True)
    dovecot.append(mail(message_id="unread@example.vn"), folder(imap_mailbox))

    assert poll_once(imap_mailbox) == Outcome(1)
    assert list(InboundPayload.objects.values_list("external_id", flat=True)) == ["unread@example.vn"]
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.state["last_uid"] == 3  # the history is behind us, read or not

    dovecot.append(mail(message_id="later@example.vn"), folder(imap_mailbox), seen=True)
    assert poll_once(imap_mailbox) == Outcome(1)
    assert InboundPayload.objects.filter(external_id="later@example.vn").exists()


def test_reading_changes_nothing_on_the_server(dovecot: Dovecot, imap_mailbox: ChannelConnection) -> None:
    dovecot.append(mail(), folder(imap_mailbox))
    assert poll_once(imap_mailbox) == Outcome(1)
    with dovecot.client() as client:
        client.folder.set(folder(imap_mailbox))
        # Not \Seen, and still \Recent: the receiver's session was read-only (EXAMINE), or it would have taken it.
        assert [m.flags for m in client.fetch(AND(all=True), mark_seen=False)] == [("\\Recent",)]


def test_with_mark_seen_a_stored_mail_is_flagged_seen_and_kept(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    imap_mailbox.config["mark_seen"] = True
    imap_mailbox.save()
    dovecot.append(mail(), folder(imap_mailbox))
    assert poll_once(imap_mailbox) == Outcome(1)
    with dovecot.client() as client:
        client.folder.set(folder(imap_mailbox))
        assert [m.flags for m in client.fetch(AND(all=True), mark_seen=False)] == [("\\Seen",)]


def test_a_refused_password_is_written_on_the_mailbox_and_cleared_once_it_works(
    dovecot: Dovecot, imap_mailbox: ChannelConnection,
) -> None:
    dovecot.append(mail(), folder(imap_mailbox))
    imap_mailbox.set_secrets({"imap_password": "not-the-password"})
    imap_mailbox.save()

    reason = "The IMAP server refused the user name or password ([AUTHENTICATIONFAILED] Authentication failed)."
    assert poll_once(imap_mailbox) == Outcome(0, reason)

    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == reason
    assert isinstance(imap_mailbox.last_error_at, datetime)
    assert (imap_mailbox.last_checked_at, imap_mailbox.state) == (None, {})
    assert InboundPayload.objects.count() == 0

    imap_mailbox.set_secrets({"imap_password": dovecot.password})
    imap_mailbox.save()
    assert poll_once(imap_mailbox) == Outcome(1)
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == ""
    assert Case.objects.count() == 1


@pytest.mark.parametrize("security", ["starttls", "none"])
def test_starttls_and_plain_imap_on_this_machine(
    dovecot: Dovecot, imap_mailbox: ChannelConnection, security: str,
) -> None:
    imap_mailbox.config.update(imap_security=security, imap_port=dovecot.imap_port)
    imap_mailbox.save()
    dovecot.append(mail(), folder(imap_mailbox))
    assert poll_once(imap_mailbox) == Outcome(1)
