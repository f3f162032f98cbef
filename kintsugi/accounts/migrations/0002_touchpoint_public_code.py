# Touchpoint.public_code: added nullable, filled with a distinct random code per existing row, then made
# unique and required (a callable default in AddField would give every existing row the same code).

from django.db import migrations, models

import kintsugi.accounts.models

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8


def fill_public_codes(apps, schema_editor):
    import secrets

    Touchpoint = apps.get_model("accounts", "Touchpoint")
    taken = set(Touchpoint.objects.exclude(public_code=None).values_list("public_code", flat=True))
    for touchpoint in Touchpoint.objects.filter(public_code=None).only("pk").iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken.add(code)
        Touchpoint.objects.filter(pk=touchpoint.pk).update(public_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="touchpoint",
            name="public_code",
            field=models.CharField(max_length=16, null=True, editable=False),
        ),
        migrations.RunPython(fill_public_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="touchpoint",
            name="public_code",
            field=models.CharField(
                default=kintsugi.accounts.models.generate_public_code,
                editable=False,
                help_text="Random code in the public URL and QR code of the touchpoint.",
                max_length=16,
                unique=True,
                verbose_name="public code",
            ),
        ),
    ]
