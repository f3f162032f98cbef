"""/healthz and /readyz: no sign-in, no secrets; ready only while the database answers and takes writes, the
migrations are applied, the timer loop and the worker beat, and neither the outbox nor the task queue is stuck."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from kintsugi.accounts.models import Location, Organisation
from kintsugi.cases.models import Case
from kintsugi.comms.models import ChannelConnection, DeliveryStatus, Direction, Message
from kintsugi.ops import health
from kintsugi.ops.heartbeats import MAILBOXES, TIMERS, WORKER, beat, worker_heartbeat
from kintsugi.ops.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings: Settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_healthz_answers_while_the_process_is_up(client: Client) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok\n")
    assert client.post("/healthz").status_code == 405


def test_ready_once_the_timer_loop_has_beaten(client: Client) -> None:
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["timers"] == {"ok": False, "last_beat_s": None, "max_s": 60.0}

    call_command("run_timers", "--once", stdout=StringIO())

    status, body = ready(client)
    assert status == 200
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "timers", "worker", "outbox", "tasks", "mailboxes"}
    assert body["checks"]["database"] == {"ok": True, "reachable": True, "writable": True}
    assert body["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert body["checks"]["timers"]["ok"] is True
    assert body["checks"]["timers"]["last_beat_s"] < 5
    # The tests' task backend runs tasks as they are enqueued: no queue, no separate worker to wait for.
    assert body["checks"]["worker"] == {"ok": True, "runs_tasks_inline": True}
    assert body["checks"]["tasks"] == {"ok": True, "runs_tasks_inline": True}
    assert body["checks"]["outbox"] == {"ok": True, "queued": 0, "oldest_due_s": None, "max_s": 300.0}
    assert body["checks"]["mailboxes"] == {"ok": True, "active": 0}  # no mailbox: no receiver to wait for
    # The web process wrote its own beat: the database takes writes.
    assert Heartbeat.objects.filter(name="web").exists()


def test_a_heartbeat_older_than_the_limit_is_not_ready(client: Client) -> None:
    beat(TIMERS, timezone.now() - timedelta(seconds=61))
    status, body = ready(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["timers"]["ok"] is False
    assert 61 <= body["checks"]["timers"]["last_beat_s"] < 70


def test_with_an_active_mailbox_the_mailbox_receiver_must_beat(client: Client, org: Organisation,
                                                               hanoi: Location) -> None:
    beat(TIMERS)
    for address, active, error in [("care@hotel.example", True, ""), ("sales@hotel.example", True, "refused"),
                                   ("old@hotel.example", False, "")]:
        ChannelConnection.objects.create(organisation=org, channel="email", name=address, address=address,
                                         location=hanoi, is_active=active, last_error=error)
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["mailboxes"] == {"ok": False, "active": 2, "failing": 1, "last_beat_s": None,
                                           "max_s": 60.0}

    beat(MAILBOXES, timezone.now() - timedelta(seconds=61))
    assert ready(client)[1]["checks"]["mailboxes"]["ok"] is False

    beat(MAILBOXES)  # a failing mailbox is its owner's to fix (its page says why): the desk is ready
    status, body = ready(client)
    assert (status, body["checks"]["mailboxes"]["ok"], body["checks"]["mailboxes"]["failing"]) == (200, True, 1)


def test_a_message_due_too_long_ago_is_a_stuck_outbox(client: Client, case: Case) -> None:
    beat(TIMERS)
    now = timezone.now()
    for minutes, state in ((1, DeliveryStatus.QUEUED), (6, DeliveryStatus.QUEUED), (60, DeliveryStatus.SENT)):
        Message.objects.create(organisation_id=case.organisation_id, case=case, direction=Direction.OUTBOUND,
                               channel="email", recipient="lan@example.com", body="x", status=state,
                               created_at=now, next_attempt_at=now - timedelta(minutes=minutes))
    status, body = ready(client)
    assert status == 503
    outbox = body["checks"]["outbox"]
    assert (outbox["ok"], outbox["queued"]) == (False, 2)
    assert 360 <= outbox["oldest_due_s"] < 370
    # A retry not yet due is not waiting: only the one due six minutes ago made it stuck.
    Message.objects.filter(next_attempt_at__lt=now - timedelta(minutes=5)).update(
        next_attempt_at=now + timedelta(minutes=5))
    status, body = ready(client)
    assert (status, body["checks"]["outbox"]["oldest_due_s"]) == (200, pytest.approx(60, abs=10))


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when its batch is done
@pytest.mark.usefixtures("database_queue")
def test_with_the_database_queue_the_worker_beats_by_running_the_loops_request(client: Client) -> None:
    call_command("run_timers", "--once", stdout=StringIO())
    call_command("run_timers", "--once", stdout=StringIO())  # the request still waits: not asked again

    assert DBTaskResult.objects.ready().filter(task_path=worker_heartbeat.module_path).count() == 1
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "last_beat_s": None, "max_s": 60.0}
    assert body["checks"]["tasks"]["ready"] == 1

    call_command("db_worker", "--batch", stdout=StringIO(), stderr=StringIO())
    connection.close()  # as the worker left it: the next request opens its own

    status, body = ready(client)
    assert status == 200
    assert body["checks"]["worker"]["ok"] is True
    assert Heartbeat.objects.filter(name=WORKER).exists()
    assert body["checks"]["tasks"] == {"ok": True, "ready": 0, "oldest_s": None, "max_s": 300.0}


@pytest.mark.usefixtures("database_queue")
def test_a_task_waiting_too_long_is_a_stuck_queue(client: Client) -> None:
    beat(TIMERS)
    beat(WORKER)
    worker_heartbeat.enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=301))
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["tasks"]["ok"] is False
    assert body["checks"]["tasks"]["oldest_s"] >= 301


def test_neither_answer_says_anything_secret(client: Client, settings: Settings) -> None:
    beat(TIMERS)
    text = client.get("/readyz").content.decode() + client.get("/healthz").content.decode()
    for secret in (settings.SECRET_KEY, str(settings.DATABASES["default"]["NAME"])):
        assert secret not in text


def test_the_migrations_check_counts_what_is_left_to_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_migrated", False)
    assert health.migrations().as_json() == {"ok": True, "unapplied": 0}
    assert health._migrated is True
