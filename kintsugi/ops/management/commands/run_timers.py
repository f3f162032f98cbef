"""The timer loop: fires due SLA timers and hands due message retries (and inbound payloads whose task was lost)
to the worker, every few seconds; beats its
heartbeat and asks the worker for one (kintsugi.ops.heartbeats) every HEARTBEAT_SECONDS."""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from kintsugi.cases.hooks import outbox
from kintsugi.cases.services import run_due_timers
from kintsugi.intake.inbound.store import requeue_stale
from kintsugi.ops import backup
from kintsugi.ops.heartbeats import TIMERS, ask_the_worker, beat

log = logging.getLogger("kintsugi.timers")


class Command(BaseCommand):
    help = "Fire due SLA warnings and breaches, and requeue due message retries, in a loop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--tick", type=float, default=settings.TIMER_TICK_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        tick = max(0.5, float(options["tick"]))
        if not options["once"]:
            self.stdout.write(f"Timer loop running every {tick:g} s")
        last_beat = float("-inf")
        while True:
            close_old_connections()
            try:
                fired = run_due_timers()
                requeued = outbox().requeue_due()
                inbound = requeue_stale()
                if fired or requeued or inbound:
                    log.info("timers fired=%d messages requeued=%d inbound requeued=%d", fired, requeued, inbound)
            except Exception:  # keep the loop alive; the next tick retries
                log.exception("timer pass failed")
            if time.monotonic() - last_beat >= settings.HEARTBEAT_SECONDS:
                last_beat = time.monotonic()
                try:  # neither stops the timers: each is tried again at the next beat
                    beat(TIMERS)
                    ask_the_worker()
                except Exception:
                    log.exception("heartbeat failed")
                try:
                    if archive := backup.scheduled(timezone.now()):
                        log.info("backup written: %s", archive)
                except Exception:
                    log.exception("scheduled backup failed")
            if options["once"] or stopping:
                break
            deadline = time.monotonic() + tick
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
            if stopping:
                break
