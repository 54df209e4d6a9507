"""The embedded mode keeps its cache in the database (settings.CACHES without REDIS_URL): its table comes
with `migrate`, so no second schema step exists in any mode. With Redis there is nothing to create."""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("grid", "0002_audit_trail_append_only")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop, elidable=False)]
