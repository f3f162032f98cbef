"""`manage.py restore ARCHIVE [--force]`: a backup put back into an empty database and data directory, its
checksums checked, then migrated forward (kintsugi.ops.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` (into an empty database unless --force), then migrate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="Replace a database and files that are not empty.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["archive"], force=options["force"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        call_command("migrate", interactive=False, verbosity=0)
        cases = manifest.counts.get("cases_case", 0)
        self.stdout.write(f"Restored the backup of {manifest.data['created_at']} ({cases} cases), then migrated.")
