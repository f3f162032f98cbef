"""FreezeAfter: a web process's objects leave the garbage collector's full passes once, after its first
requests."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from kintsugi import wsgi
from kintsugi.lib.gcfreeze import FreezeAfter, freeze_after


@pytest.fixture(autouse=True)
def _unfreeze() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def hello(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def call(app: Callable[..., Iterable[bytes]]) -> bytes:
    return b"".join(app({}, lambda status, headers: None))


def test_it_freezes_once_after_the_first_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    freezes: list[int] = []
    real_freeze = gc.freeze

    def counted_freeze() -> None:
        freezes.append(1)
        real_freeze()

    # Counted, not compared by the frozen count: a frozen object that another thread of the test process (a
    # checkpointer's loop, say) lets go later leaves the permanent generation and lowers the count.
    monkeypatch.setattr(gc, "freeze", counted_freeze)
    app = FreezeAfter(hello, after=3)
    assert call(app) == b"hello"
    assert call(app) == b"hello"
    assert (freezes, gc.get_freeze_count()) == ([], 0)

    assert call(app) == b"hello"
    assert freezes == [1]
    assert gc.get_freeze_count() > 1000  # the test process's modules, at least

    made_since = [[index] for index in range(500)]  # new objects the collector tracks
    assert call(app) == b"hello"
    assert call(app) == b"hello"
    assert freezes == [1]  # not frozen again: what came later stays collectable
    assert made_since


def test_garbage_cycles_are_collected_before_the_freeze() -> None:
    class Node:
        other: Any = None

    def cycle() -> weakref.ref[Node]:
        first, second = Node(), Node()
        first.other, second.other = second, first
        return weakref.ref(first)

    app = FreezeAfter(hello, after=1)
    gc.disable()  # nothing but the freeze's own collection may collect the cycle
    try:
        node = cycle()
        assert node() is not None  # garbage, but a cycle: only the collector frees it
        call(app)
    finally:
        gc.enable()
    assert gc.get_freeze_count() > 0
    assert node() is None  # collected, not frozen for good


def test_zero_switches_it_off() -> None:
    assert freeze_after(hello, 0) is hello
    assert isinstance(freeze_after(hello, 5), FreezeAfter)


def test_the_web_application_is_wrapped() -> None:
    assert isinstance(wsgi.application, FreezeAfter)
    assert wsgi.application.after == 200
