"""Transports send one outbound message on one channel. Each raises SendError; `permanent` says retrying is
pointless. Each channel's transport is registered in TRANSPORTS (from comms' AppConfig.ready()); a channel with
none fails permanently with a clear reason, visible on the case."""

from __future__ import annotations

from collections.abc import Callable

from kintsugi.comms.transports.base import NotConnected, SendError, Transport
from kintsugi.lib.registry import Registry

__all__ = ["TRANSPORTS", "NotConnected", "SendError", "Transport", "get_transport"]

TRANSPORTS: Registry[str, Callable[[], Transport]] = Registry("transports")


def get_transport(channel: str) -> Transport:
    factory = TRANSPORTS.get(channel)
    return factory() if factory is not None else NotConnected(channel)
