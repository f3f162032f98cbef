"""The public form's kept touchpoints: always what the plain lookup reads, whoever changed what and how."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model

from kintsugi.accounts.models import Location, Organisation, Touchpoint
from kintsugi.accounts.selectors import touchpoint_by_public_code
from kintsugi.intake import touchpoints
from kintsugi.intake.models import DirectoryStamp
from kintsugi.intake.touchpoints import install_triggers, kept_touchpoint, public_touchpoint, stamp_is


@pytest.fixture(autouse=True)
def _nothing_kept() -> None:
    touchpoints.clear()


def attributes(obj: Model) -> dict[str, Any]:
    return {name: value for name, value in vars(obj).items() if name != "_state"}


def assert_same(ours: Touchpoint | None, plain: Touchpoint | None) -> None:
    """The same answer as the lookup's, object for object, built the same way."""
    if plain is None:
        assert ours is None
        return
    assert ours is not None
    pairs = [(ours, plain), (ours.location, plain.location), (ours.organisation, plain.organisation),
             (ours.location.organisation, plain.location.organisation)]
    for mine, theirs in pairs:
        assert type(mine) is type(theirs)
        assert attributes(mine) == attributes(theirs)
        assert (mine._state.adding, mine._state.db) == (theirs._state.adding, theirs._state.db)
    assert ours.location.organisation is ours.organisation
    assert set(ours._state.fields_cache) == set(plain._state.fields_cache)


def test_a_kept_touchpoint_is_the_lookups_own_for_one_stamp_read(
    front_desk: Touchpoint, django_assert_num_queries: Any
) -> None:
    first = public_touchpoint(front_desk.public_code)

    with django_assert_num_queries(1):  # the stamp; location and organisation come with it
        again = public_touchpoint(front_desk.public_code.lower() + " ")
        assert again is not None
        assert again.location.name == "Lotus Hà Nội"
        assert again.organisation.name == "Lotus Test Hotels"

    assert_same(first, touchpoint_by_public_code(front_desk.public_code))
    assert_same(again, touchpoint_by_public_code(front_desk.public_code))


def test_what_a_caller_changes_stays_with_the_caller(front_desk: Touchpoint) -> None:
    public_touchpoint(front_desk.public_code)
    mine = public_touchpoint(front_desk.public_code)
    assert mine is not None
    mine.name = "Changed"
    mine.location.languages.append("th")
    mine.location.working_hours["sun"] = [["00:00", "01:00"]]
    mine.organisation.name = "Changed"
    mine.organisation._state.db = "elsewhere"
    Touchpoint.location.field.set_cached_value(mine, None)

    assert_same(public_touchpoint(front_desk.public_code), touchpoint_by_public_code(front_desk.public_code))


def run_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def switch_off(tp: Touchpoint) -> None:
    tp.is_active = False
    tp.save()


def move_to_thailand(tp: Touchpoint) -> None:
    tp.location.country = "TH"
    tp.location.save()


def move_to_hue(tp: Touchpoint) -> None:
    hue = Location.objects.create(organisation=tp.organisation, name="Lotus Huế", code="hue", country="VN")
    Touchpoint.objects.filter(pk=tp.pk).update(location=hue)


CHANGES: dict[str, Callable[[Touchpoint], object]] = {
    "touchpoint renamed by update()": lambda tp: Touchpoint.objects.filter(pk=tp.pk).update(name="Lobby"),
    "touchpoint switched off by save()": switch_off,
    "touchpoint deleted": lambda tp: Touchpoint.objects.filter(pk=tp.pk).delete(),
    "touchpoint moved to another location": move_to_hue,
    "location languages by raw SQL": lambda tp: run_sql(
        "UPDATE accounts_location SET languages = %s WHERE id = %s", ['["th"]', tp.location_id]
    ),
    "location country by save()": move_to_thailand,
    "location hours by update()": lambda tp: Location.objects.filter(pk=tp.location_id).update(
        working_hours={"mon": [["09:00", "10:00"]]}
    ),
    "organisation renamed by raw SQL": lambda tp: run_sql(
        "UPDATE accounts_organisation SET name = %s WHERE id = %s", ["Lotus Renamed", tp.organisation_id]
    ),
    "organisation language by update()": lambda tp: Organisation.objects.filter(pk=tp.organisation_id).update(
        default_language="th"
    ),
}


def everything(found: Touchpoint | None) -> list[dict[str, Any]]:
    if found is None:
        return []
    return [attributes(found), attributes(found.location), attributes(found.organisation)]


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_what_it_reads_is_read_again(front_desk: Touchpoint, change: str) -> None:
    before = touchpoint_by_public_code(front_desk.public_code)
    public_touchpoint(front_desk.public_code)
    public_touchpoint(front_desk.public_code)  # now kept

    CHANGES[change](front_desk)

    after = touchpoint_by_public_code(front_desk.public_code)
    assert everything(after) != everything(before)
    assert_same(public_touchpoint(front_desk.public_code), after)
    assert_same(public_touchpoint(front_desk.public_code), after)


def test_another_touchpoint_written_meanwhile_is_seen_too(front_desk: Touchpoint, hanoi: Location) -> None:
    public_touchpoint(front_desk.public_code)
    pool = Touchpoint.objects.create(organisation=front_desk.organisation, location=hanoi, name="Pool", code="pool")

    assert_same(public_touchpoint(pool.public_code), touchpoint_by_public_code(pool.public_code))
    assert_same(public_touchpoint(front_desk.public_code), touchpoint_by_public_code(front_desk.public_code))


def test_a_change_made_between_the_stamp_and_the_read_is_not_kept_as_current(
    front_desk: Touchpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another process commits a change just after this one read the touchpoint: what was read must not be
    # kept under the stamp that change brought.
    def read_then_someone_writes(code: str) -> Touchpoint | None:
        found = touchpoint_by_public_code(code)
        Touchpoint.objects.filter(pk=front_desk.pk).update(name="Lobby")
        return found

    monkeypatch.setattr(touchpoints, "touchpoint_by_public_code", read_then_someone_writes)
    first = public_touchpoint(front_desk.public_code)
    monkeypatch.undo()

    assert first is not None
    assert first.name == "Front desk"
    now = public_touchpoint(front_desk.public_code)
    assert now is not None
    assert now.name == "Lobby"


def test_without_a_stamp_every_call_reads_the_touchpoint(
    front_desk: Touchpoint, django_assert_num_queries: Any
) -> None:
    DirectoryStamp.objects.all().delete()
    public_touchpoint(front_desk.public_code)

    # SQLite reads the (missing) stamp, then the touchpoint; elsewhere nothing is ever kept, so no stamp is read.
    with django_assert_num_queries(2 if connection.vendor == "sqlite" else 1):
        found = public_touchpoint(front_desk.public_code)
    assert_same(found, touchpoint_by_public_code(front_desk.public_code))


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_submissions_copy_is_taken_without_a_read_and_its_stamp_tells_when_it_is_out_of_date(
    front_desk: Touchpoint, change: str, django_assert_num_queries: Any
) -> None:
    sqlite = connection.vendor == "sqlite"
    public_touchpoint(front_desk.public_code)  # now kept (on SQLite)
    with django_assert_num_queries(0 if sqlite else 1):  # elsewhere nothing is kept: every copy is read afresh
        kept, stamp = kept_touchpoint(front_desk.public_code)
    assert_same(kept, touchpoint_by_public_code(front_desk.public_code))
    assert stamp_is(stamp)

    CHANGES[change](front_desk)

    with django_assert_num_queries(0 if sqlite else 1):
        still, same_stamp = kept_touchpoint(front_desk.public_code)
    if sqlite:
        assert_same(still, kept)  # the copy it has, out of date...
        assert same_stamp == stamp
        assert not stamp_is(stamp)  # ...which its stamp says
    else:
        assert_same(still, touchpoint_by_public_code(front_desk.public_code))
        assert same_stamp is None
    # A fresh read (the form's second try) keeps the new copy, whose stamp is current.
    assert_same(public_touchpoint(front_desk.public_code), touchpoint_by_public_code(front_desk.public_code))
    again, new_stamp = kept_touchpoint(front_desk.public_code)
    assert_same(again, touchpoint_by_public_code(front_desk.public_code))
    assert stamp_is(new_stamp)


def test_a_submissions_first_copy_is_read_with_the_current_stamp(
    front_desk: Touchpoint, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2 if connection.vendor == "sqlite" else 1):  # the stamp, then the touchpoint
        found, stamp = kept_touchpoint(front_desk.public_code)
    assert_same(found, touchpoint_by_public_code(front_desk.public_code))
    assert stamp_is(stamp)
    assert kept_touchpoint("ZZZZZZZZ")[0] is None


def test_unknown_and_malformed_codes_are_none(front_desk: Touchpoint) -> None:
    for code in ("", "ZZZZZZZZ", "bad/code", "0" * 40):
        assert public_touchpoint(code) is None
        assert public_touchpoint(code) is None


def trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def expected_triggers() -> set[str]:
    return {
        f"kintsugi_directory_stamp_{model._meta.db_table}_{event}"
        for model in (Touchpoint, Location, Organisation) for event in ("insert", "update", "delete")
    }


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the stamp's triggers are SQLite's")
@pytest.mark.django_db
def test_migrate_left_every_trigger_and_a_stamp() -> None:
    assert trigger_names() >= expected_triggers()
    assert DirectoryStamp.objects.get(pk=touchpoints.STAMP_ID).stamp


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the stamp's triggers are SQLite's")
@pytest.mark.django_db
def test_installing_again_restores_a_dropped_trigger_and_changes_the_stamp() -> None:
    # What a migration that rebuilds a table does to its triggers; migrate's end installs them again.
    before = DirectoryStamp.objects.get().stamp
    run_sql('DROP TRIGGER "kintsugi_directory_stamp_accounts_location_update"', [])
    assert "kintsugi_directory_stamp_accounts_location_update" not in trigger_names()

    install_triggers(connection)
    install_triggers(connection)

    assert trigger_names() >= expected_triggers()
    assert DirectoryStamp.objects.get().stamp != before


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the stamp's triggers are SQLite's")
@pytest.mark.django_db
def test_each_write_sets_a_new_random_stamp(org: Organisation) -> None:
    seen = {DirectoryStamp.objects.get().stamp}
    for name in ("A", "B", "A"):
        Organisation.objects.filter(pk=org.pk).update(name=name)
        seen.add(DirectoryStamp.objects.get().stamp)
    assert len(seen) == 4
    assert DirectoryStamp.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the stamp's triggers are SQLite's")
@pytest.mark.django_db
def test_without_the_stamp_table_no_trigger_is_left_to_fail_writes() -> None:
    # Migrated back past intake 0002: its reverse drops the triggers before the table; so does migrate's end.
    stamp_migration = importlib.import_module("kintsugi.intake.migrations.0002_directory_stamp")
    assert sorted(stamp_migration.TRIGGERS) == sorted(name for name, _event, _table in touchpoints.trigger_names())
    with connection.cursor() as cursor:
        stamp_migration.drop_triggers(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert not trigger_names() & expected_triggers()
    install_triggers(connection)
    run_sql(f"DROP TABLE {DirectoryStamp._meta.db_table}", [])

    install_triggers(connection)

    assert not trigger_names() & expected_triggers()
    Organisation.objects.create(name="Still writable", slug="still-writable")
