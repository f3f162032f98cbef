"""What comms adds to the core, wired in by CommsConfig.ready(): the outbox the core reaches staff and customers
through, the names of a message's delivery states on the pages, and each channel's transport."""

from __future__ import annotations

from kintsugi.cases.hooks import set_outbox
from kintsugi.cases.labels import CHOICES
from kintsugi.cases.models import Channel
from kintsugi.comms.models import DeliveryStatus
from kintsugi.comms.outbox import CommsOutbox
from kintsugi.comms.transports import TRANSPORTS
from kintsugi.comms.transports.email import EmailTransport


def register() -> None:
    """Plug the app into the core (once, from its AppConfig)."""
    # The core reaches staff and customers through this app, and its pages name a message's delivery.
    set_outbox(CommsOutbox())
    CHOICES.register("delivery", DeliveryStatus)
    TRANSPORTS.register(Channel.EMAIL, EmailTransport)
