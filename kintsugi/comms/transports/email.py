"""Email out: each message as a multipart text and HTML mail in the case's language, threaded in the customer's
client (kintsugi.comms.transports.mail.compose), sent over SMTP from the mailbox the customer knows or the
project's default mailer (mail.mailbox). A mail server's 5xx answer fails the message for good with the reason
on the case; 4xx answers, dropped connections and timeouts are retried with backoff by kintsugi.comms.delivery.
The Message-ID returned is stored on the message, so the customer's answer threads back to its case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kintsugi.comms.mailids import message_id_for
from kintsugi.comms.transports.base import SendError
from kintsugi.comms.transports.mail.compose import compose
from kintsugi.comms.transports.mail.errors import smtp_failure
from kintsugi.comms.transports.mail.mailbox import check_smtp, sender_for
from kintsugi.comms.transports.mail.thread import thread_of

if TYPE_CHECKING:
    from kintsugi.comms.models import Message

__all__ = ["EmailTransport", "check_smtp"]


class EmailTransport:
    def send(self, message: Message) -> str:
        if not message.recipient:
            raise SendError(_("The customer gave no email address; reach them another way."), permanent=True)
        try:
            validate_email(message.recipient)
        except ValidationError:
            raise SendError(_("%(address)s is not an email address we can send to; check it with the customer.")
                            % {"address": message.recipient}, permanent=True) from None
        thread = thread_of(message)
        sender = sender_for(message)
        try:
            email = compose(message, thread, from_email=sender.from_email, can_reply=sender.connection is not None)
            sent = sender.backend().send_messages([email])
        except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors; a header it cannot carry, ValueError
            raise smtp_failure(exc, server=sender.server, recipient=message.recipient,
                               sender=sender.from_email) from exc
        if sent != 1:
            raise SendError(_("The mail server did not take the message."))
        return message_id_for(message.pk)
