"""`manage.py backup [--to DIR]`: a consistent backup while the server runs (kintsugi.ops.backup)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from kintsugi.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", type=Path, default=None, help=f"The directory (default: {settings.BACKUP_DIR}).")

    def handle(self, *args: Any, **options: Any) -> None:
        # Background work: the web server's requests come first for the cores (the create rate kept while a
        # backup of 1,000,000 cases runs: see docs/performance.md).
        os.nice(10)
        try:
            archive = backup(options["to"] or Path(settings.BACKUP_DIR))
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(archive))
