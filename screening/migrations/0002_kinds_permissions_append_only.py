"""The kinds of dispute seeded (administrators extend the list), the office's permission granted, and the
register's log and the decisions' follow-through append-only in the database too (as the case log)."""

from django.db import migrations

TABLES = ["screening_entrylog", "screening_decisionnote"]


def seed_kinds(apps, schema_editor):
    from screening.reference import load_kinds

    load_kinds(apps.get_model("screening", "IssueKind"))


def grant_permissions(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION '{table} is append-only';
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
                """
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [
        migrations.RunPython(seed_kinds, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
