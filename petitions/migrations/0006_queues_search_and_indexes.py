"""Queues at scale: the bigram search column and the indexes the queue filters and sorts use.

On PostgreSQL two SQL functions cut text into overlapping character pairs (see petitions/search.py):
`petitions_search_vector(summary, request)` computes Case.search_vector (a generated column, so the
database keeps it right whatever writes the row) and `petitions_search_query(text)` turns a query
into the matching tsquery. A GIN index serves the search. SQLite has no search column (NULL).
"""

import string

import django.contrib.postgres.search
from django.db import migrations, models

import petitions.models.search_vector

# Spaces and punctuation split text into segments. Every one of them is \W in Python's re, so the
# terms petitions.models.search_vector.search_terms() makes never hold one of them.
SEPARATORS = "".join(
    dict.fromkeys(
        string.punctuation
        + " \t\n\r\x0b\x0c"
        + "，。、；：？！“”‘’（）《》【】〈〉「」『』〔〕…—–·～－＋＝＊／＼｜＃＠＆％＄＾＿｛｝［］＜＞．＂＇　"
    )
)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


FROM = _literal(SEPARATORS)
TO = _literal(" " * len(SEPARATORS))

CREATE_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION petitions_search_vector(summary text, request text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    chars text[] := string_to_array(
        ' ' || translate(lower(coalesce(summary, '') || ' ' || coalesce(request, '')), {FROM}, {TO}) || ' ', NULL
    );
    pairs text[] := '{{}}';
BEGIN
    FOR i IN 1 .. cardinality(chars) - 1 LOOP
        IF chars[i] <> ' ' OR chars[i + 1] <> ' ' THEN
            pairs := pairs || (chars[i] || chars[i + 1]);
        END IF;
    END LOOP;
    RETURN array_to_tsvector(pairs);
END
$$;

CREATE OR REPLACE FUNCTION petitions_search_query(query text) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    segment text;
    chars text[];
    parts text[] := '{{}}';
BEGIN
    FOREACH segment IN ARRAY string_to_array(translate(lower(query), {FROM}, {TO}), ' ') LOOP
        CONTINUE WHEN segment = '';
        chars := string_to_array(segment, NULL);
        IF cardinality(chars) = 1 THEN
            parts := parts || ('''' || segment || ''':*');
        ELSE
            FOR i IN 1 .. cardinality(chars) - 1 LOOP
                parts := parts || ('''' || chars[i] || chars[i + 1] || '''');
            END LOOP;
        END IF;
    END LOOP;
    IF cardinality(parts) = 0 THEN
        RETURN NULL;
    END IF;
    RETURN array_to_string(parts, ' & ')::tsquery;
END
$$;
"""

DROP_FUNCTIONS = """
DROP FUNCTION IF EXISTS petitions_search_vector(text, text);
DROP FUNCTION IF EXISTS petitions_search_query(text);
"""


def create_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_FUNCTIONS, params=None)  # the separators hold a %


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_FUNCTIONS)


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX case_search ON petitions_case USING gin (search_vector)")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_search")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0005_calendar_and_rules")]

    operations = [
        migrations.RunPython(create_functions, drop_functions),
        migrations.AddField(
            model_name="case",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=petitions.models.search_vector.SearchDocument("summary", "request"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RemoveIndex(model_name="case", name="case_received"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["received_at", "id"], name="case_received"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["due_date", "id"], name="case_due"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["department", "received_at"], name="case_dept_received"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["state", "received_at"], name="case_state_received"),
        ),
        migrations.AddIndex(
            model_name="petitioner",
            index=models.Index(fields=["name"], name="petitioner_name_prefix", opclasses=["varchar_pattern_ops"]),
        ),
    ]
