"""Email through Django's mail backend (SMTP in production, a file or memory backend elsewhere)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage

from kintsugi.comms.transports.base import SendError

if TYPE_CHECKING:
    from kintsugi.comms.models import Message


class EmailTransport:
    def send(self, message: Message) -> str:
        if not message.recipient:
            raise SendError("no email address", permanent=True)
        email = EmailMessage(
            subject=message.subject or message.case.reference,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            headers={"X-Kintsugi-Case": message.case.reference},
        )
        try:
            email.send(fail_silently=False)
        except OSError as exc:  # SMTP and socket errors: worth another try
            raise SendError(str(exc), permanent=False) from exc
        return ""
