"""The SQLite connection's settings that the environment can change, as a fresh web process would see them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CODE = """
import sys
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA " + sys.argv[1])
    print(cursor.fetchone()[0])
"""


def _pragma(tmp_path: Path, name: str, **env: str) -> str:
    """The pragma's value on a fresh SQLite connection of a new process (whatever engine this run tests)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("SQLITE_MMAP_SIZE", "DATABASE_URL")}
    environ.update(DJANGO_SETTINGS_MODULE="kintsugi.settings", SQLITE_PATH=str(tmp_path / "db.sqlite3"), **env)
    done = subprocess.run([sys.executable, "-c", CODE, name], env=environ, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_sqlite_maps_256_mib_of_the_database_unless_told_otherwise(tmp_path: Path) -> None:
    assert int(_pragma(tmp_path, "mmap_size")) == 256 * 1024 * 1024
    assert int(_pragma(tmp_path, "mmap_size", SQLITE_MMAP_SIZE="0")) == 0
    assert int(_pragma(tmp_path, "mmap_size", SQLITE_MMAP_SIZE="1048576")) == 1048576


def test_sqlite_commits_reach_the_disk_before_they_return(tmp_path: Path) -> None:
    # synchronous=FULL (2): a complaint whose reference the customer has seen survives a power cut; in WAL mode.
    assert _pragma(tmp_path, "synchronous") == "2"
    assert _pragma(tmp_path, "journal_mode") == "wal"

