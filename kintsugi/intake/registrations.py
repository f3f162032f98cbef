"""What intake plugs in at start-up: each channel's parser into the inbound pipeline, and how its originals read."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kintsugi.cases.models import Channel
from kintsugi.comms.models import ChannelConnection
from kintsugi.comms.transports.mail.mailbox import check_smtp
from kintsugi.intake.channels.email.checks import CONNECTION_CHECKS
from kintsugi.intake.channels.email.imap import check_imap
from kintsugi.intake.channels.email.original import read_email_original
from kintsugi.intake.channels.email.parse import parse_email
from kintsugi.intake.inbound.originals import ORIGINALS
from kintsugi.intake.inbound.parsers import PARSERS


def register() -> None:
    PARSERS.register(Channel.EMAIL, parse_email)
    ORIGINALS.register(Channel.EMAIL, read_email_original)
    CONNECTION_CHECKS.extend([_receiving, _sending])


def _receiving(connection: ChannelConnection) -> tuple[str, str | None]:
    return str(_("Receiving (IMAP)")), check_imap(connection)


def _sending(connection: ChannelConnection) -> tuple[str, str | None]:
    if not connection.config.get("smtp_host"):
        return str(_("Sending answers (SMTP)")), None
    return str(_("Sending answers (SMTP)")), check_smtp(connection)
