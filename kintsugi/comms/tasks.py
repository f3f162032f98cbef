"""Background tasks: each fetches by id and calls a service."""

from __future__ import annotations

from django.tasks import task

from kintsugi.comms.services import deliver


@task()
def send_message(message_id: int) -> str:
    return deliver(message_id)
