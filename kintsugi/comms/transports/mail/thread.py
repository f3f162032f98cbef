"""The email conversation an outbound message joins: the Message-IDs its case's mails carried so far (the
customer's and the ones we sent) and the customer's latest mail it answers. Read once per send, in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from kintsugi.cases.models import Channel
from kintsugi.comms.models import DeliveryStatus, Direction, Message

# A References header names the first mail of the conversation and the latest ones, not all of them: clients
# thread on the first and the last few, and a header hundreds of ids long is refused by some servers.
MAX_REFERENCES = 20


@dataclass(frozen=True, slots=True)
class MailThread:
    message_ids: tuple[str, ...] = ()  # the case's email Message-IDs, oldest first (this message's not among them)
    replying_to: str = ""  # the Message-ID of the customer's latest mail ("" when they never wrote by email)
    customer_subject: str | None = None  # the subject of the customer's latest mail (None: they never wrote by email)

    @property
    def references(self) -> tuple[str, ...]:
        """The References header's ids: all of them, or the first and the latest when there are too many."""
        if len(self.message_ids) <= MAX_REFERENCES:
            return self.message_ids
        return (self.message_ids[0], *self.message_ids[-(MAX_REFERENCES - 1):])


def _is_message_id(value: str) -> bool:
    # A mail without a Message-ID is kept under a digest of its bytes ("sha256:..."), which no client knows.
    return "@" in value and not value.startswith("sha256:")


def thread_of(message: Message) -> MailThread:
    """The conversation `message` joins on its case (its email messages received, and sent before it)."""
    rows = (
        Message.objects.filter(case_id=message.case_id, channel=Channel.EMAIL)
        .filter(Q(direction=Direction.INBOUND)
                | Q(direction=Direction.OUTBOUND, status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED]))
        .exclude(pk=message.pk)
        .order_by("created_at", "pk")
        .values_list("direction", "external_id", "subject")
    )
    ids: list[str] = []
    replying_to, subject = "", None
    for direction, external_id, row_subject in rows:
        if _is_message_id(external_id) and external_id not in ids:
            ids.append(external_id)
        if direction == Direction.INBOUND:
            subject = row_subject
            if _is_message_id(external_id):
                replying_to = external_id
    return MailThread(tuple(ids), replying_to, subject)
