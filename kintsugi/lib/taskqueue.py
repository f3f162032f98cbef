"""Which task backend runs: the database queue (django-tasks-db, worked by `manage.py db_worker`) in production,
or one that runs each task as it is enqueued (the tests')."""

from __future__ import annotations

from django.conf import settings

__all__ = ["queue_is_the_database"]


def queue_is_the_database() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_db.")
