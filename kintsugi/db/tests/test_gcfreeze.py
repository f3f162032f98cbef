"""The web process's objects leave the collector's full passes once, after its first requests."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from kintsugi.db.gcfreeze import FreezeAfter, freeze_after


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def _app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [])
    return [b"ok"]


def test_the_objects_are_frozen_after_the_first_requests_and_only_once(unfrozen: None) -> None:
    app = FreezeAfter(_app, 3)
    for _ in range(2):
        assert list(app({}, lambda *a: None)) == [b"ok"]
    assert gc.get_freeze_count() == 0
    app({}, lambda *a: None)
    frozen = gc.get_freeze_count()
    assert frozen > 1000  # Django, pytest and this suite's modules at least
    app({}, lambda *a: None)
    assert gc.get_freeze_count() == frozen
    assert (app.seen, app.frozen) == (3, True)


def test_zero_switches_it_off() -> None:
    assert freeze_after(_app, 0) is _app
    assert isinstance(freeze_after(_app, 200), FreezeAfter)
