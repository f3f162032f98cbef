"""Heartbeats: each long-running process writes when it was last alive, and /readyz reads how long ago that was.

The timer loop and the mailbox receiver beat on their own every HEARTBEAT_SECONDS; the task worker cannot be asked
from inside its loop, so the timer loop enqueues `worker_heartbeat` as a task (one at a time: not again while one
waits) and the worker beats by running it. A stopped worker therefore shows as an old beat, and so does a worker
that no longer takes tasks from the queue.
"""

from __future__ import annotations

from datetime import datetime

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kintsugi.lib.taskqueue import queue_is_the_database
from kintsugi.ops.models import Heartbeat

TIMERS = "timers"
WORKER = "worker"
MAILBOXES = "mailboxes"  # the mailbox receiver, manage.py run_mailboxes: beats on its own, like the timer loop


def beat(name: str, at: datetime | None = None) -> None:
    """Record that `name` is alive now: one conditional UPDATE, an INSERT the first time."""
    at = at or timezone.now()
    if not Heartbeat.objects.filter(name=name).update(beat_at=at):
        Heartbeat.objects.bulk_create([Heartbeat(name=name, beat_at=at)], ignore_conflicts=True)
        Heartbeat.objects.filter(name=name).update(beat_at=at)


def last_beats() -> dict[str, datetime]:
    return dict(Heartbeat.objects.values_list("name", "beat_at"))


@task()
def worker_heartbeat() -> None:
    """Run by the task worker: it is alive and takes tasks from the queue."""
    beat(WORKER)


def ask_the_worker() -> None:
    """Have the worker beat, unless a request for it is still waiting in the queue."""
    if queue_is_the_database() and DBTaskResult.objects.ready().filter(
        task_path=worker_heartbeat.module_path
    ).exists():
        return
    worker_heartbeat.enqueue()
