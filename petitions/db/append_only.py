"""Tables whose rows can be neither changed nor deleted, in the database itself (for migrations).

TRUNCATE (a whole-table administrative act, used by the test suite's flush) stays possible. On SQLite
(the embedded default) only changes are refused, because Django's flush deletes row by row there.
"""


def make_append_only(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
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


def drop_append_only(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
