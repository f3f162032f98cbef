"""The SQLite connection's settings that the environment can change, as a fresh web process would see them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

CODE = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA mmap_size")
    print(cursor.fetchone()[0])
"""


def _mmap_size(tmp_path: Path, **env: str) -> int:
    environ = {k: v for k, v in os.environ.items() if k not in ("SQLITE_MMAP_SIZE", "DATABASE_URL")}
    environ.update(DJANGO_SETTINGS_MODULE="kintsugi.settings", SQLITE_PATH=str(tmp_path / "db.sqlite3"), **env)
    done = subprocess.run([sys.executable, "-c", CODE], env=environ, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite setting")
def test_sqlite_maps_256_mib_of_the_database_unless_told_otherwise(tmp_path: Path) -> None:
    assert _mmap_size(tmp_path) == 256 * 1024 * 1024
    assert _mmap_size(tmp_path, SQLITE_MMAP_SIZE="0") == 0
    assert _mmap_size(tmp_path, SQLITE_MMAP_SIZE="1048576") == 1048576
