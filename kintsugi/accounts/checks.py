"""System checks for configuration a deployment would trip on: the signing key of staff sessions, and the working
hours of each location (registered by AccountsConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError

from kintsugi.accounts.models import Location
from kintsugi.accounts.workhours import WorkingCalendar

DEV_KEY_PREFIX = "dev-only-insecure-key"


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    if settings.SECRET_KEY.startswith(DEV_KEY_PREFIX):
        return [Warning("SECRET_KEY is the development default.", hint="Set SECRET_KEY in the environment.",
                        id="kintsugi.W001")]
    return []


@register(Tags.database)
def check_location_calendars(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every location's time zone and working hours must parse, or its SLA clocks cannot run."""
    if not databases:
        return []
    problems: list[CheckMessage] = []
    try:
        locations = list(Location.objects.only("pk", "name", "timezone", "working_hours", "always_open"))
    except DatabaseError:
        return []
    for location in locations:
        try:
            WorkingCalendar.from_config(location.timezone, location.working_hours, always_open=location.always_open)
        except ValueError as exc:
            problems.append(Warning(f"Location {location.name!r}: {exc}", id="kintsugi.W002", obj=location))
    return problems
