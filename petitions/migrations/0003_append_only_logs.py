"""The case log and the identity-access log are append-only in the database too (petitions.db.append_only)."""

from django.db import migrations

from petitions.db.append_only import drop_append_only, make_append_only

TABLES = ["petitions_caselog", "petitions_identityaccess"]


def create_triggers(apps, schema_editor):
    for table in TABLES:
        make_append_only(schema_editor, table)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        drop_append_only(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0002_roles")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
