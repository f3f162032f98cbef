"""The read gate: at most READ_CONCURRENCY reads compute at once in a web process, served first come, first
served; writes are never held back."""

from __future__ import annotations

import threading
import time

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from conftest import wait_until
from kintsugi.db.readgate import FairGate, ReadGateMiddleware


def test_a_gate_serves_its_waiters_in_the_order_they_came() -> None:
    gate = FairGate(1)
    gate.acquire()
    order: list[int] = []

    def wait(n: int) -> None:
        gate.acquire()
        order.append(n)
        gate.release()

    threads = []
    for n in range(6):
        thread = threading.Thread(target=wait, args=(n,))
        thread.start()
        threads.append(thread)
        wait_until(lambda: len(gate._waiters) == len(threads))  # queued before the next one comes
    gate.release()
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4, 5]


def test_a_freed_place_goes_to_the_waiter_not_to_a_late_comer() -> None:
    gate = FairGate(1)
    gate.acquire()
    order: list[str] = []

    def waiter() -> None:
        gate.acquire()
        order.append("waiter")
        time.sleep(0.05)
        gate.release()

    thread = threading.Thread(target=waiter)
    thread.start()
    wait_until(lambda: len(gate._waiters) == 1)
    gate.release()
    gate.acquire()  # arrives after the waiter: threading.Semaphore would let it take the place first
    order.append("late comer")
    gate.release()
    thread.join(5)
    assert order == ["waiter", "late comer"]


def test_a_gate_needs_a_place() -> None:
    with pytest.raises(ValueError, match="at least one place"):
        FairGate(0)


def _peak(method: str, concurrency: int, threads: int = 6) -> int:
    """How many requests were inside the view at once, with `threads` of them sent together."""
    inside = 0
    peak = 0
    lock = threading.Lock()

    def view(request: HttpRequest) -> HttpResponse:
        nonlocal inside, peak
        with lock:
            inside += 1
            peak = max(peak, inside)
        time.sleep(0.1)
        with lock:
            inside -= 1
        return HttpResponse("ok")

    with override_settings(READ_CONCURRENCY=concurrency):
        middleware = ReadGateMiddleware(view)
    factory = RequestFactory()
    request = factory.generic(method, "/cases/")
    workers = [threading.Thread(target=middleware, args=(request,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    return peak


def test_reads_compute_at_most_the_limit_at_once() -> None:
    assert _peak("GET", concurrency=2) == 2
    assert _peak("HEAD", concurrency=3) == 3


def test_writes_are_never_held_back() -> None:
    assert _peak("POST", concurrency=2) > 2


def test_zero_switches_the_gate_off() -> None:
    assert _peak("GET", concurrency=0) > 2
