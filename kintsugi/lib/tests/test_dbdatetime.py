from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings

from kintsugi.lib.dbdatetime import adapter, build_adapter, reader

VALUES = [
    datetime(2026, 11, 23, 9, 26, 0, 698962, tzinfo=UTC),
    datetime(2026, 11, 23, 9, 26, 0, tzinfo=UTC),  # no microseconds: str() leaves them out, as Django's does
    datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    datetime(2026, 11, 23, 16, 26, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),  # another zone: Django's own path
    datetime(2026, 11, 23, 16, 26, tzinfo=timezone(timedelta(hours=7))),
    None,
]


@pytest.mark.parametrize("value", VALUES)
def test_the_adapter_stores_what_djangos_adapter_stores(value: datetime | None) -> None:
    assert adapter(connection.alias)(value) == connection.ops.adapt_datetimefield_value(value)


def test_a_utc_value_is_stored_as_the_naive_utc_text_on_sqlite() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite stores date-times as text")
    assert adapter(connection.alias)(datetime(2026, 11, 23, 9, 26, 0, 5, tzinfo=UTC)) == "2026-11-23 09:26:00.000005"


def test_a_datetime_subclass_goes_through_djangos_adapter() -> None:
    class Frozen(datetime):
        pass

    value = Frozen(2026, 11, 23, 9, 26, tzinfo=UTC)
    assert adapter(connection.alias)(value) == connection.ops.adapt_datetimefield_value(value)


def test_without_time_zone_support_the_adapter_is_djangos_own() -> None:
    with override_settings(USE_TZ=False):
        built = build_adapter(connection.alias)
        assert built == connection.ops.adapt_datetimefield_value


STORED = ["2026-11-23 09:26:00.698962", "2026-11-23 09:26:00", "2026-01-01 00:00:00.000001",
          "2026-11-23 16:26:00+07:00", None,
          # What the driver hands over for a column declared "datetime": already parsed, naive (or aware).
          datetime(2026, 11, 23, 9, 26, 0, 698962, tzinfo=UTC).replace(tzinfo=None),
          datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None), datetime(2026, 11, 23, 16, 26, tzinfo=UTC),
          datetime(2026, 11, 23, 16, 26, tzinfo=timezone(timedelta(hours=7)))]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite stores date-times as text to convert")
@pytest.mark.parametrize("value", STORED)
def test_the_reader_reads_what_djangos_converter_reads(value: str | datetime | None) -> None:
    expected = getattr(connection.ops, "convert_datetimefield_value")(value, None, connection)  # noqa: B009
    found = reader(connection.alias)(value)
    assert found == expected
    assert (found.utcoffset() if found else None) == (expected.utcoffset() if expected else None)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite stores date-times as text to convert")
def test_the_reader_reads_a_real_column_as_the_orm_does() -> None:
    from kintsugi.accounts.models import Organisation

    Organisation.objects.create(name="Lotus", slug="lotus")
    column = Organisation._meta.get_field("created_at").column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}, datetime({column}) FROM accounts_organisation")
        raw_declared, raw_text = cursor.fetchone()
    assert type(raw_declared) is datetime  # the driver parsed it: the reader's fast path must take it
    expected = Organisation.objects.values_list("created_at", flat=True).get()
    found = reader(connection.alias)(raw_declared)
    assert found == expected
    assert found is not None
    assert found.tzinfo is UTC
    assert reader(connection.alias)(raw_text) == expected.replace(microsecond=0)
