"""The kinds of dispute seeded (administrators extend the list), the office's permission granted, and the
register's log and the decisions' follow-through append-only in the database too (as the case log)."""

from django.db import migrations

from petitions.db.append_only import drop_append_only, make_append_only

TABLES = ["screening_entrylog", "screening_decisionnote"]


def seed_kinds(apps, schema_editor):
    from screening.reference import load_kinds

    load_kinds(apps.get_model("screening", "IssueKind"))


def grant_permissions(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps)


def create_triggers(apps, schema_editor):
    for table in TABLES:
        make_append_only(schema_editor, table)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        drop_append_only(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [
        migrations.RunPython(seed_kinds, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
