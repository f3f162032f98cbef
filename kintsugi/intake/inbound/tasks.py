"""The inbound pipeline's task: read stored payloads and put each on a case (kintsugi.intake.inbound.pipeline)."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from kintsugi.intake.inbound.pipeline import process_payloads


@task()
def process_inbound(payload_ids: list[int], handed_at: str | None = None) -> dict[str, int]:
    """`handed_at`: when these payloads were handed out (ISO); a payload handed out again since is left to the
    newer task (kintsugi.intake.inbound.pipeline.claim)."""
    return process_payloads(payload_ids, handed_at=datetime.fromisoformat(handed_at) if handed_at else None)
