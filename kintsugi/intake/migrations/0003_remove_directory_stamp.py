# The public form's per-process touchpoint cache is gone: its SQLite triggers are dropped before their table.
from typing import Any

from django.db import migrations

TABLES = ("accounts_touchpoint", "accounts_location", "accounts_organisation")


def drop_triggers(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                cursor.execute(f'DROP TRIGGER IF EXISTS "kintsugi_directory_stamp_{table}_{event}"')


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_directory_stamp")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="DirectoryStamp"),
    ]
