"""A real SMTP server for the tests: aiosmtpd in a thread of the test process, on a free port of 127.0.0.1,
keeping every mail it is given (envelope and bytes, and the user it logged in as). It can be told to refuse a
recipient with a given reply (a 550 for a mailbox that does not exist, a 451 for greylisting), and to check logins
(AUTH PLAIN or LOGIN over the plain connection: aiosmtpd's auth_require_tls=False, for the tests only); each mail
records who sent it, so a test sees the login was used."""

from __future__ import annotations

import socket
from collections.abc import Awaitable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True, slots=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    login: str  # the user the client logged in as ("" when it did not)

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def _part(self, subtype: str) -> str:
        part = self.message.get_body((subtype,))
        assert part is not None, f"no text/{subtype} part"
        return str(part.get_content()).replace("\r\n", "\n")  # as sent over SMTP, with CRLF line ends

    @property
    def text(self) -> str:
        return self._part("plain")

    @property
    def html(self) -> str:
        return self._part("html")

    def header(self, name: str) -> str | None:
        """A header as a client reads it (unfolded), None when the mail has none."""
        value = self.message[name]
        return None if value is None else " ".join(str(value).split())


class _Handler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refusals: dict[str, str] = {}

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        refusal = self.refusals.get(address.casefold())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        auth = session.auth_data
        content = envelope.original_content or envelope.content or b""
        self.received.append(Received(
            mail_from=envelope.mail_from or "", rcpt_tos=tuple(envelope.rcpt_tos),
            raw=content if isinstance(content, bytes) else content.encode(),
            login=auth.login.decode() if isinstance(auth, LoginPassword) else "",
        ))
        return "250 2.0.0 Message accepted for delivery"


class _OnFreePort(Controller):
    """aiosmtpd's Controller listening on a socket bound to port 0: the port is the kernel's choice, so parallel
    test workers never collide."""

    def __init__(self, handler: _Handler, **smtp: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        super().__init__(handler, hostname="127.0.0.1", port=self._socket.getsockname()[1], **smtp)

    def _create_server(self) -> Awaitable[Any]:
        return self.loop.create_server(self._factory_invoker, sock=self._socket, ssl=self.ssl_context)


class SmtpServer:
    """The test SMTP server; `users` (login -> password): the logins it offers AUTH for and accepts."""

    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.users = dict(users or {})
        self._handler = _Handler()
        options: dict[str, Any] = {"server_hostname": "mx.test", "ready_timeout": 10.0}
        if self.users:
            options |= {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = _OnFreePort(self._handler, **options)
        self.host = "127.0.0.1"
        self.port = self._controller.port

    @property
    def received(self) -> list[Received]:
        return self._handler.received

    def refuse(self, address: str, reply: str) -> None:
        """Answer RCPT TO:<address> with `reply` (e.g. "550 5.1.1 No such user")."""
        self._handler.refusals[address.casefold()] = reply

    def _authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                      auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword)
              and self.users.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
