"""Inserting many rows in one statement, for the sweeps.

PostgreSQL: COPY, which is several times faster than a multi-row INSERT built by the ORM once rows
number in the thousands (most of that time goes into building and quoting the statement in Python).
Other databases (the embedded SQLite default): the ORM's bulk_create. Either way the rows are written
in the caller's transaction, and ids, when asked for, come from the table's own sequence.
"""

from collections.abc import Sequence

from django.db import connection, models


def insert_many(
    model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence], *, ids: bool = False
) -> list[int]:
    """Insert `rows` (values in the order of `fields`) into `model`'s table; returns the new ids if asked."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = model._default_manager.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500
        )
        return [obj.pk for obj in objects] if ids else []

    from psycopg.types.json import Jsonb

    opts = model._meta
    table = connection.ops.quote_name(opts.db_table)
    json_at = {i for i, name in enumerate(fields) if isinstance(opts.get_field(name), models.JSONField)}
    columns = [opts.get_field(name).column for name in fields]
    new_ids: list[int] = []
    with connection.cursor() as cursor:
        if ids:
            pk_column = opts.pk.column
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, pk_column, len(rows)],
            )
            new_ids = [row[0] for row in cursor.fetchall()]
            columns = [pk_column, *columns]
        quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
        with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                values = [Jsonb(value) if i in json_at else value for i, value in enumerate(row)]
                copy.write_row([new_ids[index], *values] if ids else values)
    return new_ids
