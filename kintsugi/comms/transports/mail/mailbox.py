"""Which mailbox a message goes out from, and the SMTP connection of a mailbox.

The order: the message's own connection; else the mailbox the customer's latest mail on the case came in through;
else the organisation's first active mailbox; else the project's default mailer (settings.MAILERS["default"],
from DEFAULT_FROM_EMAIL). Only an active mailbox of the message's organisation with an SMTP server set sends; one
without (mail delivered by pipe, or read over IMAP only) is passed over. The mailbox is worked out when the
message is sent, not when it is queued, so acknowledgements and follow-ups queued before any mail came in, and
messages queued before a mailbox was connected, still go out from the mailbox the customer knows."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.translation import gettext as _

from kintsugi.comms.connections import connection_for
from kintsugi.comms.models import ChannelConnection, Message
from kintsugi.comms.transports.base import SendError
from kintsugi.comms.transports.mail.errors import SMTP_TIMEOUT, smtp_failure

SECURITIES = ("ssl", "starttls", "none")
DEFAULT_PORTS = {"ssl": 465, "starttls": 587, "none": 25}
# An unencrypted connection is allowed only to a mail server on this machine (a local relay).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _smtp_host(connection: ChannelConnection) -> str:
    return str((connection.config or {}).get("smtp_host") or "").strip()


@dataclass(frozen=True, slots=True)
class Sender:
    """Who a mail is from and the mailer it goes through: a mailbox's own SMTP, or the project's default."""

    from_email: str
    connection: ChannelConnection | None = None

    @property
    def server(self) -> str:
        """The mail server's name, for the reasons staff read."""
        if self.connection is not None:
            return _smtp_host(self.connection)
        default: dict[str, Any] = dict(settings.MAILERS.get("default", {}))
        host = dict(default.get("OPTIONS") or {}).get("host")
        return str(host) if host else _("the mail server")

    def backend(self) -> BaseEmailBackend:
        return smtp_backend(self.connection) if self.connection is not None else mailers.default


def from_address(connection: ChannelConnection) -> str:
    """`"<from name, else the organisation's name>" <mailbox address>`."""
    name = str((connection.config or {}).get("from_name") or "").strip() or connection.organisation.name
    try:
        return str(Address(display_name=" ".join(name.split()), addr_spec=connection.address.strip()))
    except (ValueError, HeaderParseError):
        raise SendError(_("The mailbox's address %(address)s is not an email address; an admin should correct it "
                          "in the settings.") % {"address": connection.address}, permanent=True) from None


def sender_for(message: Message) -> Sender:
    """The mailbox `message` goes out from (see the module's docstring for the order)."""
    chosen = connection_for(message, usable=lambda mailbox: bool(_smtp_host(mailbox)))
    if chosen is None:
        return Sender(str(settings.DEFAULT_FROM_EMAIL))
    return Sender(from_address(chosen), chosen)


def smtp_backend(connection: ChannelConnection) -> SmtpBackend:
    """Django's SMTP backend for the mailbox's own server, its login unsealed; SendError(permanent) when the
    mailbox's settings cannot work (no server, an unknown security, no encryption to another machine, a user
    without a password)."""
    config = connection.config or {}
    host = _smtp_host(connection)
    if not host:
        raise SendError(_("The mailbox %(address)s has no SMTP server set.") % {"address": connection.address},
                        permanent=True)
    security = str(config.get("smtp_security") or "starttls")
    if security not in SECURITIES:
        raise SendError(_("The mailbox's SMTP security must be SSL, STARTTLS or none, not %(value)s.")
                        % {"value": security}, permanent=True)
    if security == "none" and host.casefold() not in LOCAL_HOSTS:
        raise SendError(_("%(server)s is not on this machine, so its connection must be encrypted: choose SSL or "
                          "STARTTLS for the mailbox.") % {"server": host}, permanent=True)
    try:
        port = int(config.get("smtp_port") or DEFAULT_PORTS[security])
    except (TypeError, ValueError):
        port = 0
    if not 0 < port < 65536:
        raise SendError(_("The mailbox's SMTP port must be a number from 1 to 65535."), permanent=True)
    username = str(config.get("smtp_user") or "").strip()
    password = connection.secret("smtp_password")
    if username and not password:
        raise SendError(_("The mailbox has an SMTP user but no SMTP password."), permanent=True)
    return SmtpBackend(
        alias=f"mailbox-{connection.pk}", host=host, port=port, username=username, password=password,
        use_ssl=security == "ssl", use_tls=security == "starttls", timeout=SMTP_TIMEOUT,
    )


def check_smtp(connection: ChannelConnection) -> str | None:
    """Connect to the mailbox's SMTP server and log in, sending nothing (the settings page's check): None when
    that works, else what went wrong, in words staff understand."""
    try:
        backend = smtp_backend(connection)
        backend.open()
    except SendError as exc:
        return exc.reason
    except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
        return smtp_failure(exc, server=_smtp_host(connection), recipient="", sender=connection.address).reason
    with suppress(OSError):  # the login worked; a server that hangs up on QUIT does not make it fail
        backend.close()
    return None
