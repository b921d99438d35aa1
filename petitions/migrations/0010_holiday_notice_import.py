"""Calendar days imported from the State Council's holiday notice, and the record of each import."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def grant_import_permissions(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps)  # administrators see the record of each import


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0009_attachment_stored_once'),
    ]

    operations = [
        migrations.CreateModel(
            name='HolidayNoticeImport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2000)], verbose_name='year')),
                ('source', models.CharField(max_length=200, verbose_name='source')),
                ('text', models.TextField(verbose_name='notice text')),
                ('digest', models.CharField(help_text='Of the text as read and previewed.', max_length=64, verbose_name='digest')),
                ('imported_at', models.DateTimeField(verbose_name='imported')),
                ('days_added', models.PositiveSmallIntegerField(default=0, verbose_name='days added')),
                ('days_changed', models.PositiveSmallIntegerField(default=0, verbose_name='days changed')),
                ('days_removed', models.PositiveSmallIntegerField(default=0, verbose_name='days removed')),
                ('replaced', models.JSONField(blank=True, default=list, help_text='The calendar days this import changed or removed, as they were before it.', verbose_name='replaced calendar days')),
                ('imported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by')),
            ],
            options={
                'verbose_name': 'holiday notice import',
                'verbose_name_plural': 'holiday notice imports',
                'ordering': ['-imported_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='calendaroverride',
            name='notice',
            field=models.ForeignKey(blank=True, help_text="The import of the State Council's notice that entered this day; empty for a day entered by hand.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='days', to='petitions.holidaynoticeimport', verbose_name='imported from'),
        ),
        migrations.RunPython(grant_import_permissions, migrations.RunPython.noop),
    ]
