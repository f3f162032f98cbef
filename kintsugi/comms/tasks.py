"""Background tasks: each fetches by id and calls a service."""

from __future__ import annotations

import logging

from django.tasks import task

from kintsugi.comms.delivery import deliver

log = logging.getLogger("kintsugi.comms")


@task()
def send_message(message_id: int) -> str:
    return deliver(message_id)


@task()
def send_messages(message_ids: list[int]) -> list[str]:
    """Send several queued messages, each on its own (one task row for the acknowledgements of a burst of
    submissions): a message that fails is recorded, or left for requeue_due_messages to hand out again, and the
    others still go. The outcome of each, in order ("error" for one that raised)."""
    outcomes = []
    for message_id in message_ids:
        try:
            outcomes.append(deliver(message_id))
        except Exception:
            log.exception("sending message %s failed", message_id)
            outcomes.append("error")
    return outcomes
