"""The mailbox receiver: reads every active email connection over IMAP, one thread each, and stores each new mail
raw; the worker turns it into a case (kintsugi.intake.channels.email.watch). It looks at the connections again
every --rescan seconds (new, changed, deactivated mailboxes), beats its heartbeat every HEARTBEAT_SECONDS (/readyz
wants it fresh while any mailbox is active), and stops cleanly on SIGTERM or Ctrl-C. `--once` reads each active
mailbox once and exits (non-zero when one of them could not be read)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from kintsugi.intake.channels.email.watch import RESCAN_SECONDS, Receiver, active_mailboxes, poll_once
from kintsugi.ops.heartbeats import MAILBOXES, beat

log = logging.getLogger("kintsugi.mailboxes")


class Command(BaseCommand):
    help = "Read the connected mailboxes over IMAP (IDLE where offered) and store each new mail for the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Read each active mailbox once and exit.")
        parser.add_argument("--rescan", type=float, default=RESCAN_SECONDS,
                            help="Seconds between looks at the list of mailboxes (default %(default)s).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self._once()
            return
        self.stopping = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        rescan = max(0.2, float(options["rescan"]))
        self.stdout.write(f"Mailbox receiver running (mailboxes looked at every {rescan:g} s)")
        receiver = Receiver()
        last_scan = last_beat = float("-inf")
        try:
            while not self.stopping.is_set():
                if time.monotonic() - last_scan >= rescan:
                    last_scan = time.monotonic()
                    try:
                        close_old_connections()
                        receiver.sync()
                    except Exception:  # the database away for a moment: the next look tries again
                        log.exception("looking at the mailboxes failed")
                if time.monotonic() - last_beat >= settings.HEARTBEAT_SECONDS:
                    last_beat = time.monotonic()
                    try:
                        beat(MAILBOXES)
                    except Exception:
                        log.exception("heartbeat failed")
                self.stopping.wait(0.2)
        finally:
            log.info("mailbox receiver stopping (%d mailbox(es))", len(receiver.watchers))
            receiver.stop()

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping.set()

    def _once(self) -> None:
        failed = 0
        for connection in active_mailboxes():
            outcome = poll_once(connection)
            if outcome.error:
                failed += 1
                self.stderr.write(f"{connection.address}: {outcome.error}")
            else:
                self.stdout.write(f"{connection.address}: {outcome.stored} new")
        beat(MAILBOXES)
        if failed:
            raise CommandError(f"{failed} mailbox(es) could not be read")
