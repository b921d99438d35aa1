"""Each case keeps what it recorded of its petitioners; the identity-access log says what each read was for.

Before this, a case showed the person's row as it is now, so a later intake that changed the row
changed every earlier case too. The snapshot columns are filled from the person rows as they are.
"""

import django.db.models.deletion
from django.db import migrations, models

SNAPSHOT = ["name", "gender", "id_number", "phone", "address"]


def fill_snapshots(apps, schema_editor):
    columns = ", ".join(SNAPSHOT)
    if schema_editor.connection.vendor == "postgresql":
        assignments = ", ".join(f"{column} = p.{column}" for column in SNAPSHOT)
        schema_editor.execute(
            f"UPDATE petitions_casepetitioner AS l SET {assignments} "
            "FROM petitions_petitioner AS p WHERE p.id = l.petitioner_id"
        )
    else:
        selected = ", ".join(f"p.{column}" for column in SNAPSHOT)
        schema_editor.execute(
            f"UPDATE petitions_casepetitioner SET ({columns}) = "
            f"(SELECT {selected} FROM petitions_petitioner AS p WHERE p.id = petitions_casepetitioner.petitioner_id)"
        )


def keep_sqlite_log_append_only(apps, schema_editor):
    """SQLite rebuilt the identity-access table to make two columns nullable, and its trigger went with it."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER IF NOT EXISTS petitions_identityaccess_no_update BEFORE UPDATE ON petitions_identityaccess "
            "BEGIN SELECT RAISE(ABORT, 'petitions_identityaccess is append-only'); END;"
        )


def grant_roles(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0007_leaner_case_indexes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='identityaccess',
            options={'ordering': ['-at', '-id'], 'verbose_name': 'identity access', 'verbose_name_plural': 'identity accesses'},
        ),
        migrations.AddField(
            model_name='casepetitioner',
            name='address',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='address'),
        ),
        migrations.AddField(
            model_name='casepetitioner',
            name='gender',
            field=models.CharField(blank=True, choices=[('M', 'male'), ('F', 'female'), ('', 'not stated')], default='', max_length=1, verbose_name='gender'),
        ),
        migrations.AddField(
            model_name='casepetitioner',
            name='id_number',
            field=models.CharField(blank=True, default='', max_length=18, verbose_name='resident ID number'),
        ),
        migrations.AddField(
            model_name='casepetitioner',
            name='name',
            field=models.CharField(default='', max_length=50, verbose_name='name'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='casepetitioner',
            name='phone',
            field=models.CharField(blank=True, default='', max_length=20, verbose_name='phone'),
        ),
        migrations.AddField(
            model_name='identityaccess',
            name='detail',
            field=models.CharField(blank=True, default='', help_text='The document, or what a look-up matched.', max_length=100, verbose_name='detail'),
        ),
        migrations.AddField(
            model_name='identityaccess',
            name='purpose',
            field=models.CharField(choices=[('reveal', 'Full identity shown on the case page'), ('document', 'Printed on a case document'), ('receipt', 'Printed on the receipt'), ('lookup', 'Repeat look-up at intake'), ('export', 'Exported'), ('api', 'Read through the API')], default='reveal', max_length=10, verbose_name='purpose'),
        ),
        migrations.AlterField(
            model_name='identityaccess',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='petitions.case', verbose_name='case'),
        ),
        migrations.AlterField(
            model_name='identityaccess',
            name='petitioner',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='petitions.petitioner', verbose_name='petitioner'),
        ),
        migrations.RunPython(fill_snapshots, migrations.RunPython.noop),
        migrations.RunPython(keep_sqlite_log_append_only, migrations.RunPython.noop),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='casepetitioner',
            index=models.Index(fields=['name'], name='case_petitioner_name_prefix', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='identityaccess',
            index=models.Index(fields=['user', 'purpose', 'at'], name='identity_access_user_at'),
        ),
        migrations.AddIndex(
            model_name='identityaccess',
            index=models.Index(fields=['petitioner', 'at'], name='identity_access_person_at'),
        ),
        migrations.AddIndex(
            model_name='identityaccess',
            index=models.Index(fields=['at'], name='identity_access_at'),
        ),
    ]
