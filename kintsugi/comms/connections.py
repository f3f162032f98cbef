"""Which connection a message to the customer goes out through, for the chat channels (a LINE channel, a Facebook
page, a Zalo Official Account: the customer's id is only known to the one they wrote to): the message's own,
else the one the case's latest message from the customer on that channel came through, else the organisation's
first active connection of that channel."""

from __future__ import annotations

from kintsugi.comms.models import ChannelConnection, Direction, Message


def connection_for(message: Message) -> ChannelConnection | None:
    active = ChannelConnection.objects.filter(organisation_id=message.organisation_id, channel=message.channel,
                                              is_active=True).select_related("organisation")
    if message.connection_id is not None:
        own = active.filter(pk=message.connection_id).first()
        if own is not None:
            return own
    latest = (Message.objects.filter(case_id=message.case_id, direction=Direction.INBOUND, channel=message.channel,
                                     connection__isnull=False)
              .order_by("-pk").values_list("connection_id", flat=True).first())
    if latest is not None:
        found = active.filter(pk=latest).first()
        if found is not None:
            return found
    return active.order_by("pk").first()
