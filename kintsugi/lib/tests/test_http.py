"""The outbound HTTP seam against a real local server: retries on 429 and 5xx as the server asks, returns other
answers as they are, gives up with HttpUnavailable, and refuses to run inside a database transaction."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from kintsugi.lib import http


class Script:
    """The answers the server gives, in order (status, headers, body), and what it was sent."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            script.seen.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
            status, headers, body = script.answers.pop(0) if script.answers else (200, {}, b"{}")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def test_a_json_body_is_sent_and_the_answer_read(server: tuple[str, Script]) -> None:
    base, script = server
    script.answers = [(200, {"Content-Type": "application/json"}, b'{"sentMessages": [{"id": "1"}]}')]

    answer = http.request("POST", f"{base}/v2/bot/message/push", headers={"Authorization": "Bearer t"},
                          json={"to": "U1", "messages": [{"type": "text", "text": "Xin chào"}]})

    assert (answer.status, answer.ok, answer.json()) == (200, True, {"sentMessages": [{"id": "1"}]})
    method, path, headers, body = script.seen[0]
    assert (method, path, headers["Authorization"]) == ("POST", "/v2/bot/message/push", "Bearer t")
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body) == {"to": "U1", "messages": [{"type": "text", "text": "Xin chào"}]}


def test_a_rate_limit_is_waited_out_as_the_server_asks_then_retried(server: tuple[str, Script]) -> None:
    base, script = server
    script.answers = [(429, {"Retry-After": "0"}, b""), (503, {}, b""), (200, {}, b"ok")]

    answer = http.request("GET", f"{base}/profile", params={"fields": "name,locale"}, backoff=0.01)

    assert (answer.status, answer.text()) == (200, "ok")
    assert [path for _m, path, _h, _b in script.seen] == ["/profile?fields=name%2Clocale"] * 3


def test_after_the_last_try_the_failing_answer_is_returned(server: tuple[str, Script]) -> None:
    base, script = server
    script.answers = [(500, {}, b"a"), (500, {}, b"b"), (502, {}, b'{"error": "down"}')]

    answer = http.request("POST", f"{base}/send", json={}, retries=2, backoff=0.01)

    assert (answer.status, answer.ok, answer.json()) == (502, False, {"error": "down"})
    assert len(script.seen) == 3


def test_a_client_error_is_not_retried(server: tuple[str, Script]) -> None:
    base, script = server
    script.answers = [(401, {}, b'{"message": "Authentication failed"}')]

    answer = http.request("POST", f"{base}/send", form={"a": "1"}, backoff=0.01)

    assert answer.status == 401
    assert len(script.seen) == 1
    assert script.seen[0][3] == b"a=1"


def test_a_retry_after_longer_than_the_cap_returns_the_answer_at_once(server: tuple[str, Script]) -> None:
    base, script = server
    script.answers = [(429, {"Retry-After": "3600"}, b"slow down")]

    answer = http.request("GET", f"{base}/x")

    assert (answer.status, answer.text(), len(script.seen)) == (429, "slow down", 1)


def test_a_server_that_cannot_be_reached_raises_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(http.HttpUnavailable):
        http.request("GET", f"http://127.0.0.1:{port}/", retries=1, backoff=0.01, timeout=1)


@pytest.mark.django_db
def test_a_call_inside_a_transaction_is_refused(server: tuple[str, Script]) -> None:
    base, script = server
    with transaction.atomic(), pytest.raises(http.InsideTransaction):
        http.request("GET", f"{base}/x")
    assert script.seen == []
    assert http.request("GET", f"{base}/x").status == 200  # the test's own wrapping transaction does not count
