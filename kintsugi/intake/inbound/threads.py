"""Which case a customer's message belongs to, in this order (issue 19): the provider's conversation id; an
email's In-Reply-To and References against the Message-IDs Kintsugi sent or received; a case reference
(K-2026-000123) in the subject, when the sender is that case's customer; the same customer's open case on the same
channel, active within the connection's window; otherwise none (a new case). Reads only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from kintsugi.cases.contacts import normalise_email
from kintsugi.cases.models import Case, CustomerIdentity, IdentityKind
from kintsugi.comms.mailids import message_pk_from_id
from kintsugi.comms.models import ChannelConnection, Message
from kintsugi.intake.inbound.normalised import InboundMessage

REFERENCE = re.compile(r"\bK-\d{4}-\d{6}\b")
MAX_REFERENCES = 50  # a References header can be long; the newest ones are the ones that matter


@dataclass(frozen=True, slots=True)
class Thread:
    """The case a message joins and why ("conversation", "reply", "reference", "window"); case None: a new case."""

    case: Case | None
    how: str = ""


def identities(message: InboundMessage) -> dict[str, str]:
    """The sender's identities as the customer records keep them (kind -> value)."""
    found = {
        IdentityKind.EMAIL: normalise_email(message.email) if message.email else "",
        IdentityKind.LINE: message.line_id.strip(),
        IdentityKind.MESSENGER: message.messenger_id.strip(),
        IdentityKind.ZALO: message.zalo_id.strip(),
    }
    return {kind: value for kind, value in found.items() if value}


def _customer_ids(organisation_id: int, message: InboundMessage) -> set[int]:
    query = Q()
    for kind, value in identities(message).items():
        query |= Q(kind=kind, value=value)
    if not query:
        return set()
    return set(CustomerIdentity.objects.filter(query, organisation_id=organisation_id)
               .values_list("customer_id", flat=True))


def _replied_to(messages: QuerySet[Message], references: list[str]) -> Message | None:
    """The newest message (ours or the customer's) these Message-IDs name. The ids are looked up through the
    partial index on (organisation, external_id): the query repeats the index's condition, and has no ORDER BY
    (with one, SQLite walks the organisation's messages in id order instead, a scan that grows with every mail);
    a few rows at most, the newest picked here."""
    found = list(messages.filter(external_id__in=references).exclude(external_id=""))
    ours = [pk for pk in map(message_pk_from_id, references) if pk is not None]
    if ours:
        found += messages.filter(pk__in=ours)
    return max(found, key=lambda m: m.pk, default=None)


def find_thread(connection: ChannelConnection, message: InboundMessage, at: datetime) -> Thread:
    organisation_id = connection.organisation_id
    messages = Message.objects.filter(organisation_id=organisation_id).select_related("case")
    if message.thread_id:
        # The condition of the partial index on (organisation, channel, thread), repeated so that it is used.
        found = (messages.filter(channel=message.channel, thread=message.thread_id).exclude(thread="")
                 .order_by("-id").first())
        if found is not None:
            return Thread(found.case, "conversation")
    if message.references:
        replied_to = _replied_to(messages, list(message.references[:MAX_REFERENCES]))
        if replied_to is not None:
            return Thread(replied_to.case, "reply")
    customers = _customer_ids(organisation_id, message)
    if customers:
        for reference in REFERENCE.findall(message.subject):
            case = Case.objects.filter(organisation_id=organisation_id, reference=reference).first()
            if case is not None and case.customer_id in customers:
                return Thread(case, "reference")
        window = timedelta(hours=connection.thread_window_hours)
        case = (Case.objects.filter(customer_id__in=customers, channel=message.channel, is_open=True,
                                    updated_at__gte=at - window)
                .order_by("-updated_at").first())
        if case is not None:
            return Thread(case, "window")
    return Thread(None)
