"""Transports send one outbound message on one channel. Each raises SendError; `permanent` says retrying is
pointless. Channels without a connected provider fail permanently with a clear reason, visible on the case."""

from __future__ import annotations

from kintsugi.comms.transports.base import NotConnected, SendError, Transport
from kintsugi.comms.transports.email import EmailTransport

__all__ = ["NotConnected", "SendError", "Transport", "get_transport"]


def get_transport(channel: str) -> Transport:
    if channel == "email":
        return EmailTransport()
    return NotConnected(channel)
