"""Backups and restores: one archive with the database, the uploaded files and a manifest.

A backup is consistent while the server keeps writing. On SQLite it is SQLite's online backup of the database
(one read transaction: a snapshot; WAL lets writers go on); on PostgreSQL, `pg_dump -Fc` of a snapshot exported
by a transaction that also counts the rows, so the counts are those of the dump. The archive
(`kintsugi-backup-<UTC time>.tar`, or `.tar.sealed` when KINTSUGI_BACKUP_KEY seals it: kintsugi.ops.sealing) holds:

- `manifest.json`: the format, Kintsugi's version, the engine, when, the last migration of each app, the row count
  of every table of Kintsugi's apps, and the size and SHA-256 of every other file of the archive;
- `database.sqlite3` or `database.pgdump`;
- `media/...`: the uploaded photos and attachments (MEDIA_ROOT).

A restore checks every checksum first, refuses a backup whose migrations this code does not know (made by a newer
version) and a target that is not empty (unless forced), puts the database and the files back, then migrates
forward.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from kintsugi.ops.sealing import SealError, is_sealed, open_sealed, seal

FORMAT = 1
OUR_APPS = ("accounts", "cases", "comms", "intake", "recovery", "remedies", "ops")


class BackupError(Exception):
    """A backup or restore that cannot be done, said in a sentence for the operator."""


@dataclass(frozen=True, slots=True)
class Manifest:
    data: dict[str, Any]

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.data["row_counts"])


def kintsugi_version() -> str:
    try:
        return version("kintsugi")
    except PackageNotFoundError:
        return "0.1.0"


def _tables() -> list[str]:
    return sorted(model._meta.db_table for label in OUR_APPS for model in apps.get_app_config(label).get_models()
                  if not model._meta.proxy and model._meta.managed)


class _Hashing:
    """A file read through, its SHA-256 taken on the way."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _last_migrations() -> dict[str, str]:
    """The last applied migration of each app, as the database records them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        last: dict[str, str] = {}
        for app, name in cursor.fetchall():
            last[app] = name
    return last


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update({"PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
                "PGUSER": str(db.get("USER") or ""), "PGPASSWORD": str(db.get("PASSWORD") or ""),
                "PGDATABASE": str(db["NAME"])})
    return {k: v for k, v in env.items() if v != ""}


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    """SQLite's online backup of the database into `target` (all pages in one step: one read transaction, so a
    snapshot, while writers go on in the WAL), and the row counts of the copy."""
    connection.ensure_connection()
    source = connection.connection
    assert source is not None
    destination = sqlite3.connect(str(target))
    try:
        source.backup(destination)
    finally:
        destination.close()
    copy = sqlite3.connect(str(target))
    try:
        return _row_counts(copy.cursor())
    finally:
        copy.close()


def _postgresql_snapshot(target: Path) -> dict[str, int]:
    """`pg_dump -Fc` into `target` of the snapshot a REPEATABLE READ transaction holds while it counts."""
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    autocommit = raw.autocommit
    raw.autocommit = False
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _row_counts(cursor)
            done = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", "--file", str(target)],
                env=_pg_env(), capture_output=True, text=True, timeout=3600,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        raw.rollback()
    finally:
        raw.autocommit = autocommit
    return counts


def backup(to: Path, *, at: datetime | None = None) -> Path:
    """Write a backup archive into the directory `to`; its path."""
    at = at or datetime.now(UTC)
    to.mkdir(parents=True, exist_ok=True)
    engine = connection.vendor
    with tempfile.TemporaryDirectory(dir=to, prefix=".partial-") as work:
        work_dir = Path(work)
        database = work_dir / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        if engine == "sqlite":
            counts = _sqlite_snapshot(database)
        elif engine == "postgresql":
            counts = _postgresql_snapshot(database)
        else:
            raise BackupError(f"Backups of {engine} databases are not supported.")
        media = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        members = [(database, database.name)] + [(p, "media/" + p.relative_to(media).as_posix()) for p in media_files]
        key = settings.BACKUP_KEY
        archive = to / f"kintsugi-backup-{at:%Y%m%d-%H%M%S}.tar{'.sealed' if key else ''}"
        partial = work_dir / "archive.tar"
        files: dict[str, dict[str, Any]] = {}
        with tarfile.open(partial, "w") as tar:
            # Each file read once: hashed as it is copied in. The manifest, which lists the hashes, goes last.
            for path, name in members:
                with path.open("rb") as f:
                    reader = _Hashing(f)
                    tar.addfile(tar.gettarinfo(str(path), arcname=name), fileobj=reader)
                files[name] = {"size": path.stat().st_size, "sha256": reader.digest.hexdigest()}
            manifest = json.dumps({
                "format": FORMAT, "kintsugi_version": kintsugi_version(), "engine": engine,
                "created_at": at.isoformat(), "migrations": _last_migrations(), "row_counts": counts,
                "files": files,
            }, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(manifest), int(at.timestamp())
            tar.addfile(info, io.BytesIO(manifest))
        if key:
            seal(partial, work_dir / archive.name, key)
            partial = work_dir / archive.name
        os.replace(partial, archive)  # whole or not at all
    return archive


@contextmanager
def opened(archive: Path) -> Iterator[tuple[Manifest, Path]]:
    """The archive unpacked into a temporary directory, every file checked against the manifest."""
    if not archive.is_file():
        raise BackupError(f"No backup at {archive}.")
    with tempfile.TemporaryDirectory(prefix="kintsugi-restore-") as work:
        work_dir = Path(work)
        plain = archive
        if is_sealed(archive):
            if not settings.BACKUP_KEY:
                raise BackupError(f"{archive} is sealed: set KINTSUGI_BACKUP_KEY to the key it was made with.")
            plain = work_dir / ".archive.tar"
            try:
                open_sealed(archive, plain, settings.BACKUP_KEY)
            except SealError as exc:
                raise BackupError(str(exc)) from None
        try:
            with tarfile.open(plain, "r") as tar:
                tar.extractall(work_dir, filter="data")
            if plain != archive:
                plain.unlink()  # the opened copy: the unpacked files are what the restore needs
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{archive} is not a readable backup: {exc}.") from None
        try:
            data = json.loads((work_dir / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            raise BackupError(f"{archive} has no readable manifest.") from None
        if data.get("format") != FORMAT:
            raise BackupError(f"{archive} is in backup format {data.get('format')!r}; this version reads {FORMAT}.")
        for name, expected in data["files"].items():
            path = work_dir / name
            if not path.is_file() or _sha256(path) != expected["sha256"]:
                raise BackupError(f"{name} in {archive} does not match its checksum: the backup is damaged.")
        yield Manifest(data), work_dir


def _unknown_migrations(manifest: Manifest) -> list[str]:
    """The backup's last migrations that this code does not have: it was made by a newer version."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in manifest.data["migrations"].items()
                  if (app, name) not in known and app in {c.label for c in apps.get_app_configs()})


def _database_is_empty() -> bool:
    """No organisation in it (a database just migrated counts as empty)."""
    with connection.cursor() as cursor:
        if "accounts_organisation" not in connection.introspection.table_names(cursor):
            return True
        cursor.execute('SELECT COUNT(*) FROM "accounts_organisation"')
        return bool(cursor.fetchone()[0] == 0)


def restore(archive: Path, *, force: bool = False) -> Manifest:
    """Put the backup's database and files back (the database must be empty, or `force`); the caller migrates."""
    with opened(archive) as (manifest, work_dir):
        if manifest.data["engine"] != connection.vendor:
            raise BackupError(f"This backup is of a {manifest.data['engine']} database; this Kintsugi runs on "
                              f"{connection.vendor}.")
        if unknown := _unknown_migrations(manifest):
            raise BackupError("This backup was made by a newer version of Kintsugi (migrations "
                              + ", ".join(unknown) + "): upgrade first.")
        if not force and not _database_is_empty():
            raise BackupError("The database is not empty: restore into an empty one, or give --force to replace it.")
        media = Path(settings.MEDIA_ROOT)
        if not force and media.is_dir() and any(media.iterdir()):
            raise BackupError(f"{media} is not empty: restore into an empty data directory, or give --force.")
        if connection.vendor == "sqlite":
            target = Path(str(connection.settings_dict["NAME"]))
            connection.close()
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            shutil.copyfile(work_dir / "database.sqlite3", target)
        else:
            connection.close()
            done = subprocess.run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 f"--dbname={connection.settings_dict['NAME']}", str(work_dir / "database.pgdump")],
                env=_pg_env(), capture_output=True, text=True, timeout=3600,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        if media.is_dir() and force:
            shutil.rmtree(media)
        if (work_dir / "media").is_dir():
            shutil.copytree(work_dir / "media", media, dirs_exist_ok=True)
        return manifest


def row_counts() -> dict[str, int]:
    """The row count of every table of Kintsugi's apps, in the database as it is now."""
    with connection.cursor() as cursor:
        return _row_counts(cursor)


def _row_counts(cursor: Any) -> dict[str, int]:
    """The row count of every table of Kintsugi's apps, through `cursor` (Django's, SQLite's or psycopg's: the
    manifest counts a snapshot through the driver's own)."""
    counts = {}
    for table in _tables():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = int(cursor.fetchone()[0])
    return counts


def prune(directory: Path, *, daily: int, weekly: int) -> list[Path]:
    """Delete the archives beyond the newest `daily` days' and the newest `weekly` weeks' (the newest of each day
    and each ISO week is kept); the deleted ones."""
    archives = sorted(directory.glob("kintsugi-backup-*.tar*"), reverse=True)
    keep: set[Path] = set()
    days: set[str] = set()
    weeks: set[tuple[int, int]] = set()
    for path in archives:
        stamp = _stamp(path)
        day, week = f"{stamp:%Y%m%d}", stamp.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.add(day)
            keep.add(path)
        if week not in weeks and len(weeks) < weekly:
            weeks.add(week)
            keep.add(path)
    deleted = [path for path in archives if path not in keep]
    for path in deleted:
        path.unlink()
    return deleted


def due(directory: Path, now: datetime, every: timedelta) -> bool:
    """Whether the newest archive in `directory` is older than `every` (or there is none)."""
    archives = sorted(directory.glob("kintsugi-backup-*.tar*"))
    if not archives:
        return True
    return now - _stamp(archives[-1]) >= every


def _stamp(archive: Path) -> datetime:
    """When an archive was made, from its name (UTC)."""
    stamp = archive.name.removeprefix("kintsugi-backup-").split(".")[0]
    return datetime.strptime(stamp + "+0000", "%Y%m%d-%H%M%S%z")


def scheduled(now: datetime) -> Path | None:
    """The timer loop's backup: when the newest is BACKUP_EVERY_HOURS old, `manage.py backup` in a child process
    (at the lower priority that command takes, and a failure there never stops the timers), then the old ones
    pruned."""
    if settings.BACKUP_EVERY_HOURS <= 0:
        return None
    directory = Path(settings.BACKUP_DIR)
    if not due(directory, now, timedelta(hours=settings.BACKUP_EVERY_HOURS)):
        return None
    done = subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "backup", "--to",
                           str(directory)], capture_output=True, text=True, timeout=6 * 3600)
    if done.returncode != 0:
        raise BackupError(f"the scheduled backup failed: {done.stderr.strip()[-2000:]}")
    prune(directory, daily=settings.BACKUP_KEEP_DAILY, weekly=settings.BACKUP_KEEP_WEEKLY)
    return Path(done.stdout.strip())
