"""The case log and the identity-access log are append-only in the database too.

Rows can be neither changed nor deleted. TRUNCATE (a whole-table administrative act, used by the
test suite's flush) stays possible. On SQLite (the embedded default) only changes are refused,
because Django's flush deletes row by row there.
"""

from django.db import migrations

TABLES = ["petitions_caselog", "petitions_identityaccess"]


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
    dependencies = [("petitions", "0002_roles")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
