"""The mailbox receiver behind `manage.py run_mailboxes`: one thread per active mailbox, each connected to its IMAP
server and storing new mail as it comes (kintsugi.intake.channels.email.imap). Where the server offers IMAP IDLE a
thread waits on it, renewed every MAIL_IDLE_SECONDS; elsewhere (or with `config["imap_idle"]` off) it asks every
MAIL_POLL_SECONDS. A failure (the network, the server, a refused password) is written on the connection
(`last_error`, `last_error_at`, shown on the mailbox's page) and the thread tries again after a pause that grows
to five minutes; each good pass writes `last_checked_at` and clears the error. The set of threads follows the
connections: `Receiver.sync` starts new ones, restarts changed ones and stops deactivated or removed ones."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections
from django.db import connection as db_connection
from django.utils import timezone

from kintsugi.cases.models import Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email import imap

log = logging.getLogger("kintsugi.mailboxes")

RESCAN_SECONDS = 30.0
BACKOFF_SECONDS = (5, 10, 30, 60, 120, 300)


@dataclass(frozen=True, slots=True)
class Outcome:
    stored: int
    error: str = ""


def fingerprint(connection: ChannelConnection) -> str:
    """What a running thread was started with: a change of any of it restarts the thread."""
    return json.dumps([connection.address, connection.config, connection.sealed_secrets, connection.is_active],
                      sort_keys=True, default=str)


def active_mailboxes() -> list[ChannelConnection]:
    return list(ChannelConnection.objects.filter(channel=Channel.EMAIL, is_active=True).order_by("pk"))


def record_checked(connection: ChannelConnection, at: datetime | None = None) -> None:
    """A good pass: when, and no error any more."""
    at = at or timezone.now()
    changes: dict[str, object] = {"last_checked_at": at}
    if connection.last_error:
        changes["last_error"] = ""
        log.info("mailbox %s: reading again after: %s", connection.pk, connection.last_error)
    ChannelConnection.objects.filter(pk=connection.pk).update(**changes)
    connection.last_checked_at, connection.last_error = at, ""


def record_error(connection: ChannelConnection, message: str, at: datetime | None = None) -> None:
    at = at or timezone.now()
    ChannelConnection.objects.filter(pk=connection.pk).update(last_error=message, last_error_at=at)
    connection.last_error, connection.last_error_at = message, at


def poll_once(connection: ChannelConnection) -> Outcome:
    """One pass over one mailbox, connecting for it and leaving after (`run_mailboxes --once`)."""
    account: imap.Account | None = None
    try:
        account = imap.account_of(connection)
        with imap.session(account) as mailbox:
            stored = imap.receive(mailbox, connection, account)
    except Exception as exc:
        message = imap.reason(exc, account)
        log.warning("mailbox %s: %s", connection.pk, message)
        record_error(connection, message)
        return Outcome(0, message)
    record_checked(connection)
    return Outcome(stored)


class Watcher(threading.Thread):
    """One mailbox, read until `stopping` is set."""

    def __init__(self, connection: ChannelConnection) -> None:
        super().__init__(name=f"mailbox-{connection.pk}", daemon=True)
        self.connection_id = connection.pk
        self.fingerprint = fingerprint(connection)
        self.stopping = threading.Event()
        self.passes = 0  # good passes so far, each counted once written down
        self.stored = 0  # mails stored
        self.failures = 0  # failures in a row, each counted once written down
        self._account: imap.Account | None = None

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    self._watch()
                except Exception as exc:  # the network, the server, the database: try again after a pause
                    delay = BACKOFF_SECONDS[min(self.failures, len(BACKOFF_SECONDS) - 1)]
                    self._failed(exc, delay)
                    self.failures += 1
                    self.stopping.wait(delay)
        finally:
            db_connection.close()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self.is_alive() and self is not threading.current_thread():
            self.join(timeout)

    def _watch(self) -> None:
        close_old_connections()
        connection = ChannelConnection.objects.get(pk=self.connection_id)
        self._account = None
        account = self._account = imap.account_of(connection)
        with imap.session(account) as mailbox:
            idle = account.use_idle and imap.supports_idle(mailbox)
            log.info("mailbox %s: connected to %s, %s", connection.pk, account.key,
                     "waiting with IMAP IDLE" if idle else f"asking every {settings.MAIL_POLL_SECONDS:g} s")
            while not self.stopping.is_set():
                close_old_connections()
                self.stored += imap.receive(mailbox, connection, account, stop=self.stopping)
                record_checked(connection)
                self.failures = 0
                self.passes += 1
                if imap.more_waiting(mailbox):
                    continue
                if idle:
                    imap.wait_for_mail(mailbox, self.stopping, settings.MAIL_IDLE_SECONDS)
                else:
                    self.stopping.wait(settings.MAIL_POLL_SECONDS)

    def _failed(self, exc: Exception, delay: int) -> None:
        message = imap.reason(exc, self._account)
        log.warning("mailbox %s: %s (trying again in %d s)", self.connection_id, message, delay)
        try:
            connection = ChannelConnection.objects.get(pk=self.connection_id)
            if connection.last_error != message or connection.last_error_at is None:
                record_error(connection, message)
            else:  # the same error again: only its time
                ChannelConnection.objects.filter(pk=connection.pk).update(last_error_at=timezone.now())
        except Exception:
            log.exception("mailbox %s: the error could not be recorded", self.connection_id)


class Receiver:
    """The threads of the active mailboxes, kept in step with the connections by `sync`."""

    def __init__(self) -> None:
        self.watchers: dict[int, Watcher] = {}

    def sync(self) -> None:
        active = {connection.pk: connection for connection in active_mailboxes()}
        for pk, watcher in list(self.watchers.items()):
            current = active.get(pk)
            if current is not None and fingerprint(current) == watcher.fingerprint and watcher.is_alive():
                continue
            log.info("mailbox %s: %s", pk, "deactivated or removed, stopping" if current is None
                     else "settings changed, reconnecting" if watcher.is_alive() else "its thread ended, restarting")
            watcher.stop()
            del self.watchers[pk]
        for pk, connection in active.items():
            if pk not in self.watchers:
                watcher = self.watchers[pk] = Watcher(connection)
                watcher.start()
                log.info("mailbox %s (%s): watching", pk, connection.address)

    def stop(self, timeout: float = 10.0) -> None:
        for watcher in self.watchers.values():
            watcher.stopping.set()
        deadline = time.monotonic() + timeout
        for watcher in self.watchers.values():
            watcher.join(max(0.0, deadline - time.monotonic()))
        self.watchers.clear()
