"""Crash: the real server (granian, the task worker, the timer loop) killed with SIGKILL in the middle of a load of
API creations and public form submissions, then started again. Every complaint that was acknowledged (a 201 with
its reference, a 303 to its acknowledgement) exists afterwards, exactly once; nothing half-written is left."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
GRANIAN = str(Path(sys.executable).with_name("granian"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Desk:
    """A Kintsugi of three processes on a data directory of its own, started and killed as a whole."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items()
                    if k not in {"DATABASE_URL", "SQLITE_PATH", "KINTSUGI_TESTING", "DJANGO_SETTINGS_MODULE"}}
        self.env.update({
            "KINTSUGI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "kintsugi.settings", "DEBUG": "0",
            "LOG_LEVEL": "WARNING", "PORT": str(self.port), "API_RATE_LIMIT_PER_MINUTE": "1000000000",
            "PUBLIC_FORM_LIMIT_PER_IP": "1000000000/600", "PUBLIC_FORM_LIMIT_PER_TOUCHPOINT": "1000000000/600",
            "BACKUP_EVERY_HOURS": "0", "KINTSUGI_DEMO": "0", "STATIC_ROOT": str(data_dir / "static"),
        })
        self.processes: list[subprocess.Popen[bytes]] = []

    def run(self, *args: str) -> str:
        done = subprocess.run([PYTHON, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> None:
        if not (Path(self.env["STATIC_ROOT"]) / "staticfiles.json").exists():
            self.run("manage.py", "collectstatic", "--noinput", "--verbosity", "0")  # as scripts/run.sh does
        for command in (
            [GRANIAN, "--interface", "wsgi", "kintsugi.wsgi:application", "--host", "127.0.0.1", "--port",
             str(self.port), "--workers", "2", "--blocking-threads", "8"],
            [PYTHON, "manage.py", "db_worker"],
            [PYTHON, "manage.py", "run_timers"],
        ):
            self.processes.append(subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True,
                                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start")

    def kill(self) -> None:
        """SIGKILL to every process of the desk (granian's workers too): nothing gets to finish or clean up."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        for process in self.processes:
            process.wait(timeout=30)
        self.processes = []

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    desk = Desk(tmp_path)
    yield desk
    desk.kill()


def creator(desk: Desk, token: str, stop: threading.Event, acknowledged: list[str], n: int) -> None:
    i = 0
    while not stop.is_set():
        i += 1
        body = json.dumps({"description": f"Phòng {n}-{i}: khăn tắm bẩn, điều hòa không mát.", "location": "hanoi",
                           "customer": {"name": "Lan", "email": f"crash-{n}-{i}@example.com"}}).encode()
        try:
            status, _headers, content = desk.request("POST", "/api/v1/cases", body, {
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        except OSError:
            continue  # killed mid-request: not acknowledged
        if status == 201:
            acknowledged.append(json.loads(content)["reference"])


def submitter(desk: Desk, code: str, stop: threading.Event, acknowledged: list[str], n: int) -> None:
    status, headers, page = desk.request("GET", f"/t/{code}/vi/")
    assert status == 200
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    cookie = headers["set-cookie"].split(";")[0]
    i = 0
    while not stop.is_set():
        i += 1
        form = urllib.parse.urlencode({
            "csrfmiddlewaretoken": csrf.group(1).decode(), "description": f"Bàn {n}-{i}: món ăn nguội, chờ lâu.",
            "severity": "3", "email": f"form-{n}-{i}@example.com", "phone": "", "line_id": "", "zalo_id": "",
            "website": "",
        }).encode()
        try:
            status, headers, _content = desk.request("POST", f"/t/{code}/vi/", form, {
                "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        except OSError:
            continue
        if status == 303:
            acknowledged.append(headers["location"])


def test_every_acknowledged_complaint_survives_a_kill_9_exactly_once(desk: Desk) -> None:
    fixtures: dict[str, Any] = json.loads(desk.run("bench/fixtures.py", "setup").strip().splitlines()[-1])
    desk.start()
    stop = threading.Event()
    created: list[str] = []
    submitted: list[str] = []
    threads = [threading.Thread(target=creator, args=(desk, fixtures["token"], stop, created, n)) for n in range(4)]
    threads += [threading.Thread(target=submitter, args=(desk, fixtures["public_codes"][n], stop, submitted, n))
                for n in range(3)]
    for thread in threads:
        thread.start()
    # Kill once the load is well under way (a busy machine takes longer to get there than 3 s).
    deadline = time.monotonic() + 60
    while (len(created) <= 50 or len(submitted) <= 20) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    desk.kill()  # mid-load: requests in flight, transactions open, the worker sending acknowledgements
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(created) > 50
    assert len(submitted) > 20

    desk.start()  # after the crash: the same database, nothing repaired by hand
    tokens = [re.search(r"/s/([^/]+)/thanks/", location).group(1) for location in submitted]  # type: ignore[union-attr]
    check = desk.run("manage.py", "shell", "--no-imports", "-c", f"""
import json
from collections import Counter
from kintsugi.cases.models import Case, CaseEvent
from kintsugi.intake.models import CaseAccessLink
from kintsugi.intake.services import hash_token
references = {json.dumps(created)}
tokens = {json.dumps(tokens)}
found = Counter(Case.objects.filter(reference__in=references).values_list("reference", flat=True))
links = CaseAccessLink.objects.filter(token_hash__in=[hash_token(t) for t in tokens]).count()
without_event = Case.objects.exclude(pk__in=CaseEvent.objects.filter(kind="created").values("case_id")).count()
print(json.dumps({{"missing": sorted(set(references) - set(found)), "twice": sorted(r for r, n in found.items()
                  if n > 1), "links": links, "without_created_event": without_event}}))
""")
    result = json.loads(check.strip().splitlines()[-1])
    assert result == {"missing": [], "twice": [], "links": len(set(tokens)), "without_created_event": 0}
    assert len(set(tokens)) == len(tokens)
    # And the desk takes complaints again.
    status, _headers, _content = desk.request("POST", "/api/v1/cases", json.dumps({
        "description": "Sau sự cố: vẫn nhận khiếu nại.", "location": "hanoi", "customer": {"name": "Lan"}}).encode(),
        {"Authorization": f"Bearer {fixtures['token']}", "Content-Type": "application/json"})
    assert status == 201
