"""The receiver's threads against a real Dovecot: a new mail is a case within seconds on IMAP IDLE, a server asked
at intervals without it, a refused login written and tried again later, and the threads kept in step with the
mailboxes (new, changed, deactivated).

The tests watch the threads' own counters and read the database only while the thread waits: the in-memory SQLite
test database is shared between threads with table locks, which a read beside a write does not wait for."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from pytest_django import Settings

from kintsugi.cases.models import Case
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.watch import Receiver, Watcher
from kintsugi.intake.tests.imap.server import Dovecot
from kintsugi.intake.tests.inbound.conftest import mail

pytestmark = pytest.mark.django_db(transaction=True)


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> float:
    """Seconds until `condition` held (asked every 50 ms); fails after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"not within {timeout:g} s")
        time.sleep(0.05)
    return time.monotonic() - start


@pytest.fixture
def watch() -> Iterator[Callable[[ChannelConnection], Watcher]]:
    started: list[Watcher] = []

    def start(connection: ChannelConnection) -> Watcher:
        watcher = Watcher(connection)
        watcher.start()
        started.append(watcher)
        return watcher

    yield start
    for watcher in started:
        watcher.stop()


def test_on_idle_a_new_mail_is_a_case_within_seconds(
    dovecot: Dovecot, imap_mailbox: ChannelConnection, settings: Settings,
    watch: Callable[[ChannelConnection], Watcher],
) -> None:
    settings.MAIL_POLL_SECONDS = settings.MAIL_IDLE_SECONDS = 600  # only IDLE can bring it in time
    watcher = watch(imap_mailbox)
    eventually(lambda: watcher.passes == 1)

    dovecot.append(mail(), str(imap_mailbox.config["folder"]))

    assert eventually(lambda: watcher.passes == 2) < 10  # the pass that stored it, its case opened, is written
    assert watcher.stored == 1
    assert Case.objects.get().subject == "Phòng bẩn"
    watcher.stop()
    assert not watcher.is_alive()


def test_without_idle_the_server_is_asked_every_poll_interval(
    dovecot: Dovecot, imap_mailbox: ChannelConnection, settings: Settings,
    watch: Callable[[ChannelConnection], Watcher],
) -> None:
    settings.MAIL_POLL_SECONDS = 0.2
    imap_mailbox.config["imap_idle"] = False
    imap_mailbox.save()
    watcher = watch(imap_mailbox)
    eventually(lambda: watcher.passes >= 3)

    dovecot.append(mail(), str(imap_mailbox.config["folder"]))

    eventually(lambda: watcher.stored == 1, timeout=5)
    watcher.stop()
    assert Case.objects.count() == 1
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_checked_at is not None


def test_a_refused_login_is_written_and_tried_again_later(
    imap_mailbox: ChannelConnection, watch: Callable[[ChannelConnection], Watcher],
) -> None:
    imap_mailbox.set_secrets({"imap_password": "not-the-password"})
    imap_mailbox.save()
    watcher = watch(imap_mailbox)

    eventually(lambda: watcher.failures == 1)
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error == (
        "The IMAP server refused the user name or password ([AUTHENTICATIONFAILED] Authentication failed).")
    assert (watcher.failures, watcher.passes, watcher.is_alive()) == (1, 0, True)  # waiting 5 s before the next try

    started = time.monotonic()
    watcher.stop()
    assert not watcher.is_alive()
    assert time.monotonic() - started < 1  # the pause does not hold a stop back


def test_the_threads_follow_the_mailboxes(
    dovecot: Dovecot, imap_mailbox: ChannelConnection, settings: Settings,
) -> None:
    settings.MAIL_IDLE_SECONDS = 600
    receiver = Receiver()
    try:
        receiver.sync()
        first = receiver.watchers[imap_mailbox.pk]
        eventually(lambda: first.passes == 1)
        receiver.sync()
        assert receiver.watchers == {imap_mailbox.pk: first}  # nothing changed: the same thread

        imap_mailbox.config["folder"] = dovecot.new_folder()
        imap_mailbox.save()
        receiver.sync()
        second = receiver.watchers[imap_mailbox.pk]
        assert second is not first
        assert not first.is_alive()
        eventually(lambda: second.passes == 1)
        dovecot.append(mail(), str(imap_mailbox.config["folder"]))
        eventually(lambda: second.passes == 2)
        assert (second.stored, Case.objects.count()) == (1, 1)

        imap_mailbox.is_active = False
        imap_mailbox.save()
        receiver.sync()
        assert receiver.watchers == {}
        assert not second.is_alive()
    finally:
        receiver.stop()
