"""Readiness: what a monitor or a load balancer needs to know about a running Kintsugi, without secrets.

Each check answers whether it is within bounds and the figures behind it:
- database: reachable (a read) and writable (the web process's own heartbeat written);
- migrations: none left to apply (checked once a process, then kept while it holds);
- timers, worker: seconds since the timer loop's and the task worker's last heartbeat (kintsugi.ops.heartbeats),
  at most HEALTH_HEARTBEAT_MAX_AGE_S;
- outbox: messages queued to send, and how long the one due longest has waited, at most HEALTH_QUEUE_MAX_AGE_S;
- tasks: tasks ready in the database queue, and the age of the oldest, at most HEALTH_QUEUE_MAX_AGE_S;
- mailboxes: with any active mailbox, seconds since the mailbox receiver's (manage.py run_mailboxes) last
  heartbeat, at most HEALTH_HEARTBEAT_MAX_AGE_S; how many mailboxes are active and how many fail to be read (their
  owners see why on the mailbox's page: a wrong password does not make the desk unready).
With a task backend other than the database (the tests' runs tasks as they are enqueued) there is no queue and no
separate worker to wait for: those two checks say so and pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kintsugi.cases.models import Channel
from kintsugi.comms.models import ChannelConnection, DeliveryStatus, Message
from kintsugi.lib.taskqueue import queue_is_the_database
from kintsugi.ops.heartbeats import MAILBOXES, TIMERS, WORKER, beat, last_beats

log = logging.getLogger("kintsugi.health")

_migrated = False  # once this process has seen every migration applied, it stays so until it is restarted


@dataclass(slots=True)
class Check:
    ok: bool
    figures: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.figures}


def _age(since: datetime | None, now: datetime) -> float | None:
    return None if since is None else round(max(0.0, (now - since).total_seconds()), 1)


def database(now: datetime) -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        log.warning("readiness: the database is unreachable: %s", exc)
        return Check(False, {"reachable": False, "writable": False})
    try:
        beat("web", now)
    except DatabaseError as exc:
        log.warning("readiness: the database takes no writes: %s", exc)
        return Check(False, {"reachable": True, "writable": False})
    return Check(True, {"reachable": True, "writable": True})


def migrations() -> Check:
    global _migrated  # a per-process flag, set once
    if _migrated:
        return Check(True, {"unapplied": 0})
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = unapplied == 0
    return Check(unapplied == 0, {"unapplied": unapplied})


def heartbeats(now: datetime) -> dict[str, Check]:
    limit = settings.HEALTH_HEARTBEAT_MAX_AGE_S
    beats = last_beats()
    checks = {}
    for name in (TIMERS, WORKER):
        if name == WORKER and not queue_is_the_database():
            checks[name] = Check(True, {"runs_tasks_inline": True})
            continue
        age = _age(beats.get(name), now)
        checks[name] = Check(age is not None and age <= limit, {"last_beat_s": age, "max_s": limit})
    return checks


def outbox(now: datetime) -> Check:
    limit = settings.HEALTH_QUEUE_MAX_AGE_S
    queued = Message.objects.filter(status=DeliveryStatus.QUEUED)
    due = queued.filter(next_attempt_at__lte=now).aggregate(oldest=Min("next_attempt_at"))["oldest"]
    waited = _age(due, now)  # None: nothing due to be sent
    return Check(waited is None or waited <= limit, {"queued": queued.count(), "oldest_due_s": waited, "max_s": limit})


def tasks(now: datetime) -> Check:
    if not queue_is_the_database():
        return Check(True, {"runs_tasks_inline": True})
    limit = settings.HEALTH_QUEUE_MAX_AGE_S
    ready = DBTaskResult.objects.ready()
    oldest = _age(ready.aggregate(oldest=Min("enqueued_at"))["oldest"], now)
    return Check(oldest is None or oldest <= limit, {"ready": ready.count(), "oldest_s": oldest, "max_s": limit})


def mailboxes(now: datetime) -> Check:
    active = ChannelConnection.objects.filter(channel=Channel.EMAIL, is_active=True)
    count = active.count()
    if not count:
        return Check(True, {"active": 0})
    limit = settings.HEALTH_HEARTBEAT_MAX_AGE_S
    age = _age(last_beats().get(MAILBOXES), now)
    return Check(age is not None and age <= limit, {"active": count, "failing": active.exclude(last_error="").count(),
                                                    "last_beat_s": age, "max_s": limit})


def readiness(now: datetime | None = None) -> dict[str, Check]:
    """Every check; the database first, and nothing else asked of a database that does not answer."""
    now = now or timezone.now()
    checks = {"database": database(now)}
    if not checks["database"].figures.get("reachable"):
        return checks
    checks["migrations"] = migrations()
    checks.update(heartbeats(now))
    checks["outbox"] = outbox(now)
    checks["tasks"] = tasks(now)
    checks["mailboxes"] = mailboxes(now)
    return checks
