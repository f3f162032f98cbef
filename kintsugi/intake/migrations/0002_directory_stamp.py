# The stamp that tells web processes their cached public touchpoints are current; its triggers are
# (re)installed after every migrate (intake/apps.py), since rebuilding a table on SQLite drops them.

from django.db import migrations, models

TRIGGERS = [
    f"kintsugi_directory_stamp_{table}_{event}"
    for table in ("accounts_touchpoint", "accounts_location", "accounts_organisation")
    for event in ("insert", "update", "delete")
]


def drop_triggers(apps, schema_editor):
    # Before the table goes: triggers writing to it would fail every write to the accounts tables.
    if schema_editor.connection.vendor == "sqlite":
        for name in TRIGGERS:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='DirectoryStamp',
            fields=[
                ('id', models.PositiveSmallIntegerField(primary_key=True, serialize=False)),
                ('stamp', models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
