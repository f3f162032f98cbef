"""The inbound pipeline's task: read stored payloads and put each on a case (kintsugi.intake.inbound.pipeline)."""

from __future__ import annotations

from django.tasks import task

from kintsugi.intake.inbound.pipeline import process_payloads


@task()
def process_inbound(payload_ids: list[int]) -> dict[str, int]:
    return process_payloads(payload_ids)
