"""Pipe delivery, like Request Tracker's mailgate: the organisation's own mail server hands one RFC 822 message on
standard input (e.g. a Postfix alias `care: "|/srv/kintsugi/.venv/bin/python /srv/kintsugi/manage.py
receive_email --mailbox 3"`). Exit code 0 once the mail is stored (a redelivery included); otherwise non-zero
with the reason on standard error, so the mail server keeps the mail and tries again (75, EX_TEMPFAIL, when the
database cannot take it now)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from kintsugi.cases.models import Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.inbound.store import Arrival, store_payloads

MAX_MAIL_BYTES = 50 * 1024 * 1024
EX_DATAERR, EX_NOINPUT, EX_TEMPFAIL = 65, 66, 75


class Command(BaseCommand):
    help = "Store one email read from standard input for a connected mailbox; its case follows from the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", type=int, required=True, help="The mailbox's id (staff settings).")

    def handle(self, *args: Any, **options: Any) -> None:
        mailbox = ChannelConnection.objects.filter(pk=options["mailbox"], channel=Channel.EMAIL).first()
        if mailbox is None:
            raise CommandError(f"no mailbox with id {options['mailbox']}", returncode=EX_NOINPUT)
        raw = sys.stdin.buffer.read(MAX_MAIL_BYTES + 1)
        if not raw.strip():
            raise CommandError("no mail on standard input", returncode=EX_DATAERR)
        if len(raw) > MAX_MAIL_BYTES:
            raise CommandError(f"the mail is larger than {MAX_MAIL_BYTES // (1024 * 1024)} MB", returncode=EX_DATAERR)
        try:
            stored = store_payloads(mailbox, [Arrival(external_id_of(raw), raw, {"via": "pipe"})])
        except DatabaseError as exc:
            raise CommandError(f"the database cannot take it now ({exc}); try again", returncode=EX_TEMPFAIL) from exc
        self.stdout.write("stored" if stored else "already stored")
