"""Backups taken while complaints keep arriving restore to the same rows and files, on SQLite and PostgreSQL; a
damaged or newer backup, or a target that is not empty, is refused. Real processes (manage.py in subprocesses),
real databases: each test makes its own data directory, or its own PostgreSQL databases on the suite's server."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
from django.conf import settings

from kintsugi.ops.backup import due, prune

ROOT = Path(settings.BASE_DIR)

SEED = """
from kintsugi.accounts.models import Location, Organisation
from kintsugi.cases import services
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
org = Organisation.objects.get()
location = Location.objects.get()
default_storage.save("photos/khan-tam.jpg", ContentFile(b"\\xff\\xd8 a photo of the towel"))
import os, time
stop_after = float(os.environ.get("SEED_SECONDS", "0"))
deadline = time.monotonic() + stop_after
n = 0
while True:
    services.open_case(by=None, organisation=org, location=location, channel="api",
                       description=f"Khăn tắm bẩn, phòng {n}", contact=services.CustomerContact(
                           name="Lan", email=f"lan{n}@example.com"))
    n += 1
    if time.monotonic() >= deadline and n >= 20:
        break
print(n)
"""


def manage(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "SQLITE_PATH", "KINTSUGI_TESTING", "PYTEST_XDIST_WORKER",
                        "DJANGO_SETTINGS_MODULE"}}
    env.update(KINTSUGI_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="kintsugi.settings", LOG_LEVEL="WARNING")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def a_running_desk(env: dict[str, str], tmp_path: Path) -> None:
    assert manage(env, "migrate", "--noinput").returncode == 0
    (tmp_path / "pw").write_text("sen-hong-backup-2026\n", "utf-8")
    made = manage(env, "init_organisation", "--no-input", "--name", "Sen Hồng", "--location-name", "Huế",
                  "--admin-username", "hoa", "--admin-password-file", str(tmp_path / "pw"))
    assert made.returncode == 0, made.stderr


def backup_under_load(env: dict[str, str], to: Path) -> tuple[Path, int]:
    """A backup taken while another process keeps opening cases; the archive and how many that process opened."""
    writer = subprocess.Popen([sys.executable, "manage.py", "shell", "--no-imports", "-c", SEED], cwd=ROOT,
                              env={**env, "SEED_SECONDS": "4"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    time.sleep(1.5)  # it is writing
    done = manage(env, "backup", "--to", str(to))
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip()), int(out.strip())


def manifest_of(archive: Path) -> dict[str, object]:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        return dict(json.loads(member.read()))


def counts(env: dict[str, str]) -> dict[str, int]:
    done = manage(env, "shell", "--no-imports", "-c",
                  "import json; from kintsugi.ops.backup import row_counts; print(json.dumps(row_counts()))")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def check_round_trip(source: dict[str, str], target: dict[str, str], tmp_path: Path, target_data: Path) -> None:
    archive, opened = backup_under_load(source, tmp_path / "backups")
    manifest = manifest_of(archive)
    backed_up = dict(manifest["row_counts"])  # type: ignore[call-overload]
    assert 20 <= backed_up["cases_case"] <= opened  # a snapshot taken while the writer went on
    assert counts(source)["cases_case"] == opened
    assert "media/photos/khan-tam.jpg" in manifest["files"]  # type: ignore[operator]

    restored = manage(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert f"({backed_up['cases_case']} cases)" in restored.stdout
    assert counts(target) == backed_up
    assert (target_data / "media/photos/khan-tam.jpg").read_bytes() == b"\xff\xd8 a photo of the towel"
    # The restored desk is not empty any more: a second restore is refused unless forced.
    again = manage(target, "restore", str(archive))
    assert again.returncode == 1
    assert "The database is not empty" in again.stderr
    assert manage(target, "restore", "--force", str(archive)).returncode == 0
    assert counts(target) == backed_up


def test_a_sqlite_backup_under_load_restores_to_the_same_rows_and_files(tmp_path: Path) -> None:
    source, target = environment(tmp_path / "a"), environment(tmp_path / "b")
    a_running_desk(source, tmp_path)
    check_round_trip(source, target, tmp_path, tmp_path / "b")


@pytest.fixture
def two_postgresql_databases() -> Iterator[tuple[str, str]]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        pytest.skip("the PostgreSQL round trip runs on the PostgreSQL run (DATABASE_URL)")
    names = [f"kintsugi_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("a", "b")]
    server = urlparse(url)._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(urlparse(url)._replace(path=f"/{name}").geturl() for name in names)  # type: ignore[misc]
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_postgresql_backup_under_load_restores_to_the_same_rows_and_files(
    tmp_path: Path, two_postgresql_databases: tuple[str, str]
) -> None:
    source_url, target_url = two_postgresql_databases
    source, target = environment(tmp_path / "a", source_url), environment(tmp_path / "b", target_url)
    a_running_desk(source, tmp_path)
    check_round_trip(source, target, tmp_path, tmp_path / "b")


def test_a_damaged_or_newer_backup_is_refused(tmp_path: Path) -> None:
    source, target = environment(tmp_path / "a"), environment(tmp_path / "b")
    a_running_desk(source, tmp_path)
    archive = Path(manage(source, "backup", "--to", str(tmp_path / "backups")).stdout.strip())
    # Damaged: one byte of the database changed.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as tar, tarfile.open(damaged, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member)
            assert data is not None
            content = data.read()
            if member.name == "database.sqlite3":
                content = content[:-1] + bytes([content[-1] ^ 1])
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    refused = manage(target, "restore", str(damaged))
    assert refused.returncode == 1
    assert "database.sqlite3 in" in refused.stderr
    assert "does not match its checksum" in refused.stderr
    # Newer: a migration this code does not have.
    newer = tmp_path / "newer.tar"
    manifest = manifest_of(archive)
    manifest["migrations"]["cases"] = "0999_from_the_future"  # type: ignore[index]
    with tarfile.open(archive) as tar, tarfile.open(newer, "w") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member)
            assert data is not None
            content = json.dumps(manifest).encode() if member.name == "manifest.json" else data.read()
            member.size = len(content)
            out.addfile(member, io.BytesIO(content))
    refused = manage(target, "restore", str(newer))
    assert refused.returncode == 1
    assert "made by a newer version of Kintsugi (migrations cases.0999_from_the_future)" in refused.stderr
    assert not (tmp_path / "b" / "media").exists()


def test_old_backups_are_pruned_to_seven_days_and_four_weeks(tmp_path: Path) -> None:
    start = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
    for day in range(60):
        for hour in (2, 14):  # two a day: the newest of each day is the one kept
            stamp = start + timedelta(days=day, hours=hour - 2)
            (tmp_path / f"kintsugi-backup-{stamp:%Y%m%d-%H%M%S}.tar").write_bytes(b"")
    prune(tmp_path, daily=7, weekly=4)
    kept = sorted(p.name for p in tmp_path.iterdir())
    days = [name[16:24] for name in kept]
    assert days[-7:] == [f"{start + timedelta(days=d):%Y%m%d}" for d in range(53, 60)]
    assert all(name.endswith("-140000.tar") for name in kept)
    assert len(kept) == 7 + 3  # the last week's newest is also a day's
    assert due(tmp_path, start + timedelta(days=59, hours=12, minutes=1), timedelta(hours=24)) is False
    assert due(tmp_path, start + timedelta(days=60, hours=12, minutes=1), timedelta(hours=24)) is True
    assert due(tmp_path / "none", start, timedelta(hours=24)) is True


def test_backups_are_taken_by_the_timer_loop_when_due(tmp_path: Path) -> None:
    env = {**environment(tmp_path / "a"), "BACKUP_EVERY_HOURS": "24"}
    a_running_desk(env, tmp_path)
    for _ in range(2):
        done = manage(env, "run_timers", "--once")
        assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "a" / "backups").glob("kintsugi-backup-*.tar"))) == 1  # the second was not due



KEPT = ROOT / "tests" / "backups" / "kintsugi-0.1.0-sqlite.tar.gz"


def test_a_backup_made_by_version_0_1_0_still_restores(tmp_path: Path) -> None:
    """Kept from the first version with backups (SQLite, 20 cases, a photo): every later version must restore
    it and migrate it forward."""
    target = environment(tmp_path / "b")
    restored = manage(target, "restore", str(KEPT))
    assert restored.returncode == 0, restored.stderr
    restored_counts = counts(target)
    assert restored_counts["cases_case"] == 20
    assert restored_counts["accounts_organisation"] == 1
    assert (tmp_path / "b" / "media/photos/khan-tam.jpg").read_bytes() == b"\xff\xd8 a photo of the towel"
    signed = manage(target, "shell", "--no-imports", "-c",
                    "from kintsugi.accounts.models import User; "
                    "print(User.objects.get(username='hoa').check_password('sen-hong-backup-2026'))")
    assert signed.stdout.strip().splitlines()[-1] == "True"


def test_a_sealed_backup_restores_only_with_its_key(tmp_path: Path) -> None:
    key = "khoá-sao-lưu-của-sen-hồng-2026"
    source = {**environment(tmp_path / "a"), "KINTSUGI_BACKUP_KEY": key}
    a_running_desk(source, tmp_path)
    archive = Path(manage(source, "backup", "--to", str(tmp_path / "backups")).stdout.strip())
    assert archive.name.endswith(".tar.sealed")
    assert b"accounts_organisation" not in archive.read_bytes()  # nothing readable without the key
    without = manage(environment(tmp_path / "b"), "restore", str(archive))
    assert without.returncode == 1
    assert "is sealed: set KINTSUGI_BACKUP_KEY" in without.stderr
    wrong = manage({**environment(tmp_path / "b"), "KINTSUGI_BACKUP_KEY": key + "x"}, "restore", str(archive))
    assert wrong.returncode == 1
    assert "KINTSUGI_BACKUP_KEY does not open this backup" in wrong.stderr
    target = {**environment(tmp_path / "b"), "KINTSUGI_BACKUP_KEY": key}
    restored = manage(target, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert counts(target) == counts(source)
