"""What a customer may add about their complaint besides its story: their booking or room number and when it
happened. Checked the same way whichever door the case comes in by (open_cases, and the public form at its
field); pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils.translation import gettext_lazy as _

from kintsugi.cases.errors import InvalidInput

MAX_BOOKING_REFERENCE = 50
# "When it happened" may not lie ahead (a few minutes of a phone's clock running fast aside), nor more than a
# year back: a complaint about last year's stay is told in the description.
OCCURRED_CLOCK_SLACK = timedelta(minutes=5)
MAX_OCCURRED_AGE = timedelta(days=365)


def check_booking_reference(value: str) -> str:
    """The booking or room number stripped; raises InvalidInput when it is too long."""
    value = value.strip()
    if len(value) > MAX_BOOKING_REFERENCE:
        raise InvalidInput(
            _("The booking or room number is too long (at most %(max)d characters).") % {"max": MAX_BOOKING_REFERENCE}
        )
    return value


def check_occurred_at(occurred_at: datetime | None, now: datetime) -> datetime | None:
    """When it happened, if given, as given; raises InvalidInput for a time without a zone, in the future or more
    than MAX_OCCURRED_AGE before `now`."""
    if occurred_at is None:
        return None
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise ValueError("occurred_at must carry its time zone")
    if occurred_at > now + OCCURRED_CLOCK_SLACK:
        raise InvalidInput(_("That time has not come yet. Please give when it happened."))
    if occurred_at < now - MAX_OCCURRED_AGE:
        raise InvalidInput(_("That is more than a year ago. Please give a time within the last 12 months."))
    return occurred_at


def in_utc(occurred_at: datetime | None) -> datetime | None:
    """A checked time as an instant in UTC (a time in a clock change's gap, as typed on a location's clocks,
    compares equal to nothing in another zone until then; PEP 495). Only after check_occurred_at: a year-1 or
    year-9999 time cannot be moved to UTC at all."""
    return occurred_at.astimezone(UTC) if occurred_at is not None else None
