"""Mailboxes read over IMAP with imap-tools: connect over TLS, log in with the sealed password, and store every new
mail of the folder raw (kintsugi.intake.inbound.store) before anything reads it.

What is fetched: the folder's mail by UID after `state["last_uid"]`, in batches of BATCH, each batch stored in one
transaction and only then `last_uid` advanced, so a crash fetches the batch again and the store's unique constraint
ignores what it already has. The first time a folder is read, and whenever the server renumbers it (a new
UIDVALIDITY: a restored or migrated mailbox), its unread mail of the last MAIL_FIRST_DAYS days is taken, not the
years of history a shared mailbox holds; then everything after it. The folder is opened read-only (EXAMINE) and mail
is fetched with BODY.PEEK, so nothing on the server changes; only with `config["mark_seen"]` is a stored mail flagged
\\Seen (after it is stored). Mail is never deleted nor expunged.

Security (`config["imap_security"]`): "ssl" (IMAPS, port 993, the default), "starttls" (port 143, upgraded before
the login) or "none" (only to this machine). Certificates are checked against the system's authorities and
settings.MAIL_TLS_CA_FILE.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from imap_tools import AND, BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage, UidRange
from imap_tools.errors import (
    MailboxFlagError,
    MailboxFolderSelectError,
    MailboxLoginError,
    MailboxStarttlsError,
    UnexpectedCommandStatusError,
)
from imap_tools.utils import check_command_status

from kintsugi.comms.models import ChannelConnection
from kintsugi.intake.channels.email.parse import external_id_of
from kintsugi.intake.inbound.store import Arrival, store_payloads
from kintsugi.lib.secrets import CannotUnseal

log = logging.getLogger("kintsugi.mailboxes")

SECURITY = ("ssl", "starttls", "none")
DEFAULT_PORT = {"ssl": 993, "starttls": 143, "none": 143}
_TIMING = re.compile(r"\s*\([\d.]+(?: \+ [\d.]+)* secs\)\.?$")
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
BATCH = 100
TIMEOUT_S = 30.0


class ImapProblem(Exception):
    """Why a mailbox cannot be read, said for the person who connected it."""


@dataclass(frozen=True, slots=True)
class Account:
    """How to reach one mailbox: the connection's settings, checked, with its password unsealed."""

    host: str
    port: int
    security: str
    user: str
    password: str
    folder: str
    mark_seen: bool
    use_idle: bool

    @property
    def key(self) -> str:
        """Which folder the kept UIDs belong to: a change of server, user or folder starts afresh."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


def account_of(connection: ChannelConnection) -> Account:
    config = connection.config or {}
    host = str(config.get("imap_host") or "").strip()
    security = str(config.get("imap_security") or "ssl").strip().lower()
    user = str(config.get("imap_user") or connection.address).strip()
    try:
        password = connection.secret("imap_password")
    except CannotUnseal as exc:
        raise ImapProblem(_("The saved password cannot be read with this server's keys "
                            "(KINTSUGI_CREDENTIALS_KEYS); enter it again.")) from exc
    if not host:
        raise ImapProblem(_("No IMAP server is set for this mailbox."))
    if security not in SECURITY:
        raise ImapProblem(_("Unknown IMAP security “%(security)s”: choose SSL, STARTTLS or none.")
                          % {"security": security})
    if security == "none" and host.lower() not in LOCAL_HOSTS:
        raise ImapProblem(_("IMAP without encryption is only allowed to this machine (localhost); choose SSL or "
                            "STARTTLS for %(host)s.") % {"host": host})
    try:
        port = int(config.get("imap_port") or DEFAULT_PORT[security])
    except (TypeError, ValueError) as exc:
        raise ImapProblem(_("The IMAP port must be a number.")) from exc
    if not 0 < port < 65536:
        raise ImapProblem(_("The IMAP port must be between 1 and 65535."))
    if not user or not password:
        raise ImapProblem(_("The IMAP user name or password is missing."))
    return Account(host=host, port=port, security=security, user=user, password=password,
                   folder=str(config.get("folder") or "INBOX").strip() or "INBOX",
                   mark_seen=bool(config.get("mark_seen", False)), use_idle=bool(config.get("imap_idle", True)))


def tls_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.MAIL_TLS_CA_FILE or None)


class _RawMail(MailMessage):
    """A fetched mail that keeps its bytes exactly as the server sent them: the store keeps the original."""

    def __init__(self, fetch_data: list[Any]) -> None:
        super().__init__(fetch_data)
        self.raw: bytes = self._get_message_data_parts(fetch_data)[0]


def reason(exc: BaseException, account: Account | None) -> str:
    """What went wrong, in words a mailbox's owner can act on."""
    where = f"{account.host}:{account.port}" if account else ""
    if isinstance(exc, ImapProblem):
        return str(exc)
    if isinstance(exc, MailboxLoginError):
        return _("The IMAP server refused the user name or password (%(answer)s).") % {"answer": _answer(exc)}
    if isinstance(exc, MailboxFolderSelectError):
        return _("The folder “%(folder)s” cannot be opened on the IMAP server (%(answer)s).") % {
            "folder": account.folder if account else "", "answer": _answer(exc)}
    if isinstance(exc, MailboxStarttlsError):
        return _("The IMAP server at %(where)s does not offer STARTTLS; choose SSL (port 993).") % {"where": where}
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _("The IMAP server's certificate is not trusted (%(why)s).") % {"why": exc.verify_message or exc}
    if isinstance(exc, ssl.SSLError):
        return _("TLS with the IMAP server at %(where)s failed (%(why)s): SSL is usually port 993, STARTTLS port "
                 "143.") % {"where": where, "why": exc.reason or exc}
    if isinstance(exc, socket.gaierror):
        return _("The IMAP server “%(host)s” was not found.") % {"host": account.host if account else ""}
    if isinstance(exc, ConnectionRefusedError):
        return _("The IMAP server at %(where)s refused the connection (check the port).") % {"where": where}
    if isinstance(exc, TimeoutError):
        return _("The IMAP server at %(where)s did not answer in time.") % {"where": where}
    if isinstance(exc, (OSError, imaplib.IMAP4.error, UnexpectedCommandStatusError)):
        return _("The connection to the IMAP server at %(where)s failed: %(why)s") % {"where": where, "why": exc}
    return _("Reading the mailbox failed: %(why)s") % {"why": f"{type(exc).__name__}: {exc}"}


def _answer(exc: UnexpectedCommandStatusError) -> str:
    data = exc.command_result[1] if len(exc.command_result) > 1 else []
    parts = [part.decode("utf-8", "replace") if isinstance(part, bytes) else str(part) for part in data or []]
    text = _TIMING.sub("", " ".join(parts).strip())  # Dovecot adds how long the command took
    return text.rstrip(".") or str(exc.command_result[0])


def connect(account: Account, *, timeout: float = TIMEOUT_S) -> BaseMailBox:
    """A logged-in client (no folder opened yet); the caller closes it (`close`)."""
    mailbox: BaseMailBox
    if account.security == "ssl":
        mailbox = MailBox(account.host, account.port, timeout=timeout, ssl_context=tls_context())
    elif account.security == "starttls":
        mailbox = MailBoxStartTls(account.host, account.port, timeout=timeout, ssl_context=tls_context())
    else:
        mailbox = MailBoxUnencrypted(account.host, account.port, timeout=timeout)
    mailbox.email_message_class = _RawMail
    try:
        if (account.user + account.password).isascii():
            mailbox.login(account.user, account.password, initial_folder=None)
        else:  # LOGIN takes ASCII only; AUTHENTICATE PLAIN carries UTF-8
            mailbox.login_utf8(account.user, account.password, initial_folder=None)
    except BaseException:
        close(mailbox)
        raise
    return mailbox


def close(mailbox: BaseMailBox) -> None:
    """Log out, or at least drop the connection: a connection that broke cannot say goodbye."""
    with suppress(Exception):
        mailbox.client.logout()
    with suppress(Exception):
        mailbox.client.shutdown()


@contextmanager
def session(account: Account, *, timeout: float = TIMEOUT_S) -> Iterator[BaseMailBox]:
    mailbox = connect(account, timeout=timeout)
    try:
        yield mailbox
    finally:
        close(mailbox)


def check_imap(connection: ChannelConnection) -> str | None:
    """The settings page's "Test connection": None when the mailbox can be logged into and its folder opened, else
    the reason, for a person."""
    account = None
    try:
        account = account_of(connection)
        with session(account, timeout=15) as mailbox:
            mailbox.folder.set(account.folder, readonly=True)
    except Exception as exc:
        return reason(exc, account)
    return None


def supports_idle(mailbox: BaseMailBox) -> bool:
    return "IDLE" in mailbox.client.capabilities


def more_waiting(mailbox: BaseMailBox) -> bool:
    """Whether the server told of more mail while a pass ran (an EXISTS after the one the folder was opened with):
    mail that arrived between the pass's search and its end would not be announced again by IDLE."""
    return len(mailbox.client.untagged_responses.get("EXISTS", [])) > 1


def _code(mailbox: BaseMailBox, name: str) -> int | None:
    """A number the server gave when the folder was opened (UIDVALIDITY, UIDNEXT), if it did."""
    _, data = mailbox.client.response(name)
    with suppress(IndexError, TypeError, ValueError):
        return int(data[-1])
    return None


def receive(mailbox: BaseMailBox, connection: ChannelConnection, account: Account, *,
            stop: threading.Event | None = None) -> int:
    """One pass over the folder: store what arrived since the last one. How many new mails were stored."""
    mailbox.folder.set(account.folder, readonly=not account.mark_seen)
    uidvalidity = _code(mailbox, "UIDVALIDITY")
    uidnext = _code(mailbox, "UIDNEXT")
    state = dict(connection.state or {})
    if uidvalidity is None or state.get("uidvalidity") != uidvalidity or state.get("mailbox") != account.key:
        if state:
            log.info("mailbox %s: %s is new or renumbered (UIDVALIDITY %s, was %s): reading it afresh",
                     connection.pk, account.key, uidvalidity, state.get("uidvalidity"))
        return _first_pass(mailbox, connection, account, uidvalidity, uidnext, stop)
    last_uid = int(state.get("last_uid") or 0)
    if uidnext is not None and uidnext <= last_uid + 1:
        return 0  # nothing new: no search needed
    # "n:*" always names the last mail, even one below n: keep only what is really new.
    uids = [uid for uid in _uids(mailbox, AND(uid=UidRange(str(last_uid + 1), "*"))) if uid > last_uid]
    stored = 0
    for batch in _batches(uids):
        if stop is not None and stop.is_set():
            break
        stored += _store(mailbox, connection, account, batch, uidvalidity)
        _save_state(connection, {"mailbox": account.key, "uidvalidity": uidvalidity, "last_uid": batch[-1]})
    return stored


def _first_pass(mailbox: BaseMailBox, connection: ChannelConnection, account: Account, uidvalidity: int | None,
                uidnext: int | None, stop: threading.Event | None) -> int:
    """The unread mail of the last MAIL_FIRST_DAYS days, then everything after the folder's newest mail. The state
    is written once the whole pass is stored: a crash half-way does the first pass again (what it stored already
    is ignored)."""
    since = timezone.localdate() - timedelta(days=settings.MAIL_FIRST_DAYS)
    newest = (uidnext - 1) if uidnext is not None else max(_uids(mailbox, "ALL"), default=0)
    wanted = [uid for uid in _uids(mailbox, AND(seen=False, date_gte=since)) if uid <= newest]
    stored = 0
    for batch in _batches(wanted):
        if stop is not None and stop.is_set():
            return stored
        stored += _store(mailbox, connection, account, batch, uidvalidity)
    _save_state(connection, {"mailbox": account.key, "uidvalidity": uidvalidity, "last_uid": newest})
    return stored


def _uids(mailbox: BaseMailBox, criteria: Any) -> list[int]:
    # No CHARSET: the criteria are ASCII, and some servers refuse an explicit one.
    return sorted(int(uid) for uid in mailbox.uids(criteria, charset=None))


def _batches(uids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(uids), BATCH):
        yield uids[start:start + BATCH]


def _store(mailbox: BaseMailBox, connection: ChannelConnection, account: Account, batch: list[int],
           uidvalidity: int | None) -> int:
    arrivals = []
    for mail in mailbox.fetch(uid_list=[str(uid) for uid in batch], mark_seen=False, bulk=BATCH):
        raw = mail.raw if isinstance(mail, _RawMail) else bytes(mail.obj)
        if not raw.strip():
            continue
        arrivals.append(Arrival(external_id_of(raw), raw, {"uid": str(mail.uid), "folder": account.folder,
                                                           "uidvalidity": str(uidvalidity or "")}))
    stored = len(store_payloads(connection, arrivals)) if arrivals else 0
    if account.mark_seen and arrivals:  # only once stored; STORE, never imap-tools' flag() (it expunges)
        result = mailbox.client.uid("STORE", ",".join(str(uid) for uid in batch), "+FLAGS.SILENT", "(\\Seen)")
        check_command_status(result, MailboxFlagError)
    if stored:
        log.info("mailbox %s: %d new mail(s) stored from %s", connection.pk, stored, account.key)
    return stored


def _save_state(connection: ChannelConnection, state: dict[str, Any]) -> None:
    connection.state = state
    ChannelConnection.objects.filter(pk=connection.pk).update(state=state)


def wait_for_mail(mailbox: BaseMailBox, stop: threading.Event, seconds: float) -> bool:
    """IMAP IDLE (RFC 2177) until the server tells of new mail, `seconds` pass or `stop` is set. True when mail
    arrived. It listens in slices of a quarter second, so that a stop is heard at once."""
    mailbox.idle.start()  # type: ignore[no-untyped-call]
    try:
        deadline = time.monotonic() + seconds
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            if any(b"EXISTS" in line for line in mailbox.idle.poll(timeout=min(0.25, left))):
                return True
        return False
    finally:
        mailbox.idle.stop()  # type: ignore[no-untyped-call]
