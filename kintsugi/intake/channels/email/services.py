"""Connecting mailboxes: an administrator adds a mailbox, changes its settings, switches it off and on again.

A mailbox is a ChannelConnection of the email channel. It is never deleted here: the payloads received through it
keep pointing at it (PROTECT), so a mailbox no longer used is switched off. Passwords are sealed (kintsugi.lib.
secrets); an empty one keeps the password kept. Not a change to a case, so no timeline event.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kintsugi.accounts.models import Location, Organisation, Role, Touchpoint, User
from kintsugi.cases.errors import InvalidInput, NotAllowed
from kintsugi.cases.models import Category, Channel
from kintsugi.comms.models import ChannelConnection

SECURITIES = ("ssl", "starttls", "none")
# A connection without TLS is allowed only to this machine (a mail server of the organisation's own on it).
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEFAULT_PORTS = {"imap": {"ssl": 993, "starttls": 143, "none": 143}, "smtp": {"ssl": 465, "starttls": 587, "none": 25}}
# The receiver's place in the folder (UIDVALIDITY, last UID) means nothing on another server, login or folder.
_WHERE_MAIL_IS = ("imap_host", "imap_port", "imap_user", "folder")


@dataclass(frozen=True, slots=True)
class MailboxSettings:
    """Everything the mailbox form sets; empty passwords keep the ones kept."""

    name: str
    address: str
    imap_host: str
    imap_port: int | None
    imap_security: str
    imap_user: str
    imap_password: str
    folder: str
    smtp_host: str
    smtp_port: int | None
    smtp_security: str
    smtp_user: str
    smtp_password: str
    from_name: str
    location: Location
    touchpoint: Touchpoint | None
    category: Category | None
    thread_window_hours: int


def is_local(host: str) -> bool:
    return host.strip().lower() in LOCAL_HOSTS


def _require_admin(by: User, organisation_id: int) -> None:
    if by.role != Role.ADMIN or by.organisation_id != organisation_id:
        raise NotAllowed(_("Only administrators may connect mailboxes."))


def _check(values: MailboxSettings, organisation: Organisation, connection: ChannelConnection | None) -> None:
    if values.location.organisation_id != organisation.pk:
        raise InvalidInput(_("Choose one of your locations."))
    if values.touchpoint is not None and values.touchpoint.location_id != values.location.pk:
        raise InvalidInput(_("Choose a touchpoint at the mailbox's location."))
    if values.category is not None and values.category.organisation_id != organisation.pk:
        raise InvalidInput(_("Choose one of your categories."))
    for host, security in ((values.imap_host, values.imap_security), (values.smtp_host, values.smtp_security)):
        if security not in SECURITIES:
            raise InvalidInput(_("Choose how the connection is secured."))
        if security == "none" and host and not is_local(host):
            raise InvalidInput(_("A connection without encryption is allowed only to this machine (localhost)."))
    if not values.imap_password and not (connection and connection.pk and connection.secret("imap_password")):
        raise InvalidInput(_("Give the mailbox's password."))
    taken = ChannelConnection.objects.filter(organisation=organisation, channel=Channel.EMAIL,
                                             address__iexact=values.address)
    if connection is not None and connection.pk:
        taken = taken.exclude(pk=connection.pk)
    if taken.exists():
        raise InvalidInput(_("Another of your mailboxes has this address already."))


def apply_settings(connection: ChannelConnection, values: MailboxSettings) -> ChannelConnection:
    """The mailbox with these settings, not saved: what "Test connection" tries and what save_mailbox writes."""
    before = [connection.config.get(key) for key in _WHERE_MAIL_IS]
    connection.channel = Channel.EMAIL
    connection.name, connection.address = values.name.strip(), values.address.strip().lower()
    connection.config = {
        **connection.config,
        "imap_host": values.imap_host.strip(),
        "imap_port": values.imap_port or DEFAULT_PORTS["imap"][values.imap_security],
        "imap_security": values.imap_security,
        "imap_user": values.imap_user.strip(),
        "folder": values.folder.strip() or "INBOX",
        "smtp_host": values.smtp_host.strip(),
        "smtp_port": (values.smtp_port or DEFAULT_PORTS["smtp"][values.smtp_security]) if values.smtp_host else None,
        "smtp_security": values.smtp_security,
        "smtp_user": values.smtp_user.strip(),
        "from_name": values.from_name.strip(),
    }
    connection.set_secrets({"imap_password": values.imap_password, "smtp_password": values.smtp_password})
    if values.smtp_host and not connection.secret("smtp_password"):
        # No password of its own for sending: the usual case of one login for both.
        connection.set_secrets({"smtp_password": connection.secret("imap_password")})
    connection.location, connection.touchpoint, connection.category = (values.location, values.touchpoint,
                                                                       values.category)
    connection.thread_window_hours = values.thread_window_hours
    if connection.pk and before != [connection.config.get(key) for key in _WHERE_MAIL_IS]:
        connection.state = {}
    return connection


def trial_mailbox(connection: ChannelConnection | None, values: MailboxSettings, *,
                  organisation: Organisation, by: User) -> ChannelConnection:
    """A copy of the mailbox (or a new one) with these settings, for "Test connection"; nothing is saved."""
    _require_admin(by, organisation.pk)
    if connection is not None and connection.organisation_id != organisation.pk:
        raise NotAllowed(_("Only administrators may connect mailboxes."))
    base = copy.copy(connection) if connection is not None else ChannelConnection(organisation=organisation)
    base.config = dict(base.config)
    _check(values, organisation, connection)
    return apply_settings(base, values)


@transaction.atomic
def save_mailbox(connection: ChannelConnection | None, values: MailboxSettings, *,
                 organisation: Organisation, by: User) -> ChannelConnection:
    """Add a mailbox to the organisation (connection None) or change one of its mailboxes."""
    _require_admin(by, organisation.pk)
    if connection is not None and connection.organisation_id != organisation.pk:
        raise NotAllowed(_("Only administrators may connect mailboxes."))
    _check(values, organisation, connection)
    connection = apply_settings(connection or ChannelConnection(organisation=organisation), values)
    connection.save()
    return connection


def set_mailbox_active(connection: ChannelConnection, *, is_active: bool, by: User) -> ChannelConnection:
    """Switch a mailbox on (it is read again) or off (nothing more is read from it; what it received stays)."""
    _require_admin(by, connection.organisation_id)
    if connection.channel != Channel.EMAIL:
        raise InvalidInput(_("This is not a mailbox."))
    connection.is_active = is_active
    connection.save(update_fields=["is_active"])
    return connection
