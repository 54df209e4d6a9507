"""Seeds the default category taxonomy (intake.categories: 14 classes, 83 kinds). Idempotent by code."""

from django.db import migrations


def seed(apps, schema_editor):
    from intake.categories import categories_seed

    categories_seed(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_identity_view_and_idempotency_fingerprint")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
