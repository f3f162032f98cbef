"""Follow-ups sent before follow-ups expired have no expiry row: give each one still waiting (on a resolved or
closed case, not answered) its FOLLOW_UP_EXPIRY timer, due FOLLOW_UP_EXPIRY_DAYS after it was sent. Those already
past are expired by the timer loop at its next tick, each with its timeline event, as any other."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import migrations


def add_expiry_timers(apps: Any, schema_editor: Any) -> None:
    CaseEvent = apps.get_model("cases", "CaseEvent")
    Timer = apps.get_model("cases", "Timer")
    days = timedelta(days=settings.FOLLOW_UP_EXPIRY_DAYS)
    latest: dict[int, Any] = {}
    sent = CaseEvent.objects.filter(kind="follow_up_sent", case__status__in=("resolved", "closed")).order_by(
        "created_at", "id").values_list("id", "case_id", "organisation_id", "created_at")
    for pk, case_id, organisation_id, created_at in sent.iterator():
        latest[case_id] = (pk, organisation_id, created_at)
    if not latest:
        return
    waiting_already = set(Timer.objects.filter(kind="follow_up_expiry", state="pending").values_list(
        "case_id", flat=True))
    closed: dict[int, Any] = {}
    for case_id, created_at in CaseEvent.objects.filter(
            kind__in=("follow_up_answered", "follow_up_expired"), case_id__in=list(latest)).values_list(
            "case_id", "created_at"):
        closed[case_id] = max(created_at, closed.get(case_id, created_at))
    rows = [
        Timer(case_id=case_id, organisation_id=organisation_id, kind="follow_up_expiry", due_at=created_at + days)
        for case_id, (_pk, organisation_id, created_at) in latest.items()
        if case_id not in waiting_already and not (case_id in closed and closed[case_id] >= created_at)
    ]
    Timer.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0001_initial"),
        ("cases", "0007_follow_up_expiry"),
    ]

    operations = [migrations.RunPython(add_expiry_timers, migrations.RunPython.noop)]
