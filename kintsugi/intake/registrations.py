"""What intake plugs in at start-up: each channel's parser into the inbound pipeline, and how its originals read."""

from __future__ import annotations

from kintsugi.cases.models import Channel
from kintsugi.intake.channels.email.original import read_email_original
from kintsugi.intake.channels.email.parse import parse_email
from kintsugi.intake.inbound.originals import ORIGINALS
from kintsugi.intake.inbound.parsers import PARSERS


def register() -> None:
    PARSERS.register(Channel.EMAIL, parse_email)
    ORIGINALS.register(Channel.EMAIL, read_email_original)
