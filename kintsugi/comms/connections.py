"""Which connection a message to the customer goes out through, on every channel that has them (a mailbox, a
LINE channel, a Facebook page, a Zalo Official Account: the customer knows, or only has an id with, the one they
wrote to): the message's own; else the one the case's latest message from the customer on that channel came in
through; else the organisation's first. Only active connections of the message's organisation on its channel
that `usable` accepts are chosen (a mailbox needs an SMTP server to send)."""

from __future__ import annotations

from collections.abc import Callable

from kintsugi.comms.models import ChannelConnection, Direction, Message


def connection_for(
    message: Message, *, usable: Callable[[ChannelConnection], bool] | None = None
) -> ChannelConnection | None:
    candidates = [
        connection for connection in ChannelConnection.objects.filter(
            organisation_id=message.organisation_id, channel=message.channel, is_active=True,
        ).select_related("organisation").order_by("pk")
        if usable is None or usable(connection)
    ]
    if not candidates:
        return None
    by_id = {connection.pk: connection for connection in candidates}
    latest = (Message.objects.filter(case_id=message.case_id, direction=Direction.INBOUND, channel=message.channel,
                                     connection__isnull=False)
              .order_by("-pk").values_list("connection_id", flat=True).first())
    return by_id.get(message.connection_id or 0) or by_id.get(latest or 0) or candidates[0]
