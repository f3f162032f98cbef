"""Read stored inbound payloads again: the problems (failed), or chosen ones, e.g. after a fix was deployed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kintsugi.intake.inbound.store import process_again
from kintsugi.intake.models import InboundPayload, InboundStatus


class Command(BaseCommand):
    help = "Process inbound payloads again: every problem (the default), or the ids given."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="Payload ids; none: every payload listed as a problem.")
        parser.add_argument("--ignored", action="store_true", help="Also the ones kept without a case.")

    def handle(self, *args: Any, **options: Any) -> None:
        statuses = [InboundStatus.FAILED] + ([InboundStatus.IGNORED] if options["ignored"] else [])
        payloads = InboundPayload.objects.filter(status__in=statuses)
        if options["ids"]:
            payloads = payloads.filter(pk__in=options["ids"])
        ids = list(payloads.values_list("pk", flat=True))
        done = process_again(ids)
        self.stdout.write(f"{done} payload(s) queued to be read again")
