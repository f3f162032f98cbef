"""`manage.py` run in another process against what a test has written: on SQLite a copy of the in-memory test
database (SQLite's online backup into a file), on PostgreSQL the test database itself. The test must commit what
the other process is to see (`django_db(transaction=True)`)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

LEFT_OUT = {"DATABASE_URL", "SQLITE_PATH", "KINTSUGI_TESTING", "PYTEST_XDIST_WORKER", "DJANGO_SETTINGS_MODULE"}


class OtherProcess:
    def __init__(self, directory: Path, **env: str) -> None:
        self.sqlite: Path | None = None
        environment = {k: v for k, v in os.environ.items() if k not in LEFT_OUT}
        environment.update(KINTSUGI_DATA_DIR=str(directory / "data"), DJANGO_SETTINGS_MODULE="kintsugi.settings",
                           SECRET_KEY=settings.SECRET_KEY, LOG_LEVEL="WARNING")
        if connection.vendor == "sqlite":
            self.sqlite = directory / "copy.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(self.sqlite)) as target:
                connection.connection.backup(target)
            environment["SQLITE_PATH"] = str(self.sqlite)
        else:
            db = connection.settings_dict
            environment["DATABASE_URL"] = (f"postgres://{quote(str(db['USER']))}:{quote(str(db['PASSWORD']))}@"
                                           f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
        environment.update(env)
        self.env = environment

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]

    def run(self, *args: str, stdin: bytes = b"", timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(self.command(*args), input=stdin, capture_output=True, env=self.env,
                              cwd=settings.BASE_DIR, timeout=timeout, check=False)

    def run_together(self, *runs: tuple[list[str], bytes], timeout: float = 60) -> list[tuple[int, bytes, bytes]]:
        """Several commands at once (each its arguments and standard input): each one's exit code, output, error."""
        started = [(self.start(*args, stdin=True), stdin) for args, stdin in runs]
        done = [(process, *process.communicate(stdin, timeout=timeout)) for process, stdin in started]
        return [(process.returncode, out, err) for process, out, err in done]

    def start(self, *args: str, stdin: bool = False) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command(*args), env=self.env, cwd=settings.BASE_DIR,
                                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def scalar(self, sql: str) -> Any:
        """One value from the database the other process writes to."""
        if self.sqlite is not None:
            with closing(sqlite3.connect(self.sqlite, timeout=10)) as db:
                return db.execute(sql).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
