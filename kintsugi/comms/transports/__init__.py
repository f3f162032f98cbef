"""Transports send one outbound message on one channel. Each raises SendError; `permanent` says retrying is
pointless. Channels without a connected provider fail permanently with a clear reason, visible on the case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from kintsugi.comms.models import Message


class SendError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Transport(Protocol):
    def send(self, message: Message) -> str:
        """Deliver the message; return the provider's id for it (may be empty)."""


class NotConnected:
    """A channel whose provider is not connected yet: fail permanently, say so on the timeline."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def send(self, message: Message) -> str:
        from kintsugi.cases.models import Channel

        label = Channel(self.channel).label if self.channel in Channel.values else self.channel
        raise SendError(
            str(_("%(channel)s is not connected yet; tell the customer another way.") % {"channel": label}),
            permanent=True,
        )


def get_transport(channel: str) -> Transport:
    from kintsugi.comms.transports.email import EmailTransport

    if channel == "email":
        return EmailTransport()
    return NotConnected(channel)
