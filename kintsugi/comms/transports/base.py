"""What every transport shares: the SendError it raises (`permanent` says retrying is pointless), the Transport
protocol, and NotConnected, the transport of a channel without a connected provider."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext_lazy as _

from kintsugi.cases.models import Channel

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
        label = Channel(self.channel).label if self.channel in Channel.values else self.channel
        raise SendError(
            str(_("%(channel)s is not connected yet; tell the customer another way.") % {"channel": label}),
            permanent=True,
        )
