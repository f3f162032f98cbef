"""Which task backend runs: the database queue (django-tasks-db, worked by `manage.py db_worker`) in production,
or one that runs each task as it is enqueued (the tests'); and how work is handed to it with a transaction."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction

__all__ = ["enqueue_with_commit", "queue_is_the_database"]


def queue_is_the_database() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db.")


def enqueue_with_commit(enqueue: Callable[..., Any], *args: Any) -> None:
    """Hand work to the worker once the transaction that wrote its rows commits. With the database queue
    (production) the task row is written in that same transaction, so it becomes visible exactly at commit and
    rolls back with it; other backends (the tests' immediate one) are called after commit."""
    if queue_is_the_database() and transaction.get_connection().in_atomic_block:
        enqueue(*args)
    else:
        transaction.on_commit(partial(enqueue, *args))
