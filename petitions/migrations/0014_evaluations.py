"""Evaluations become the one source of the satisfaction figures; the staff-entered Case.satisfaction
moves into them (source "other": how it was asked was not recorded), entered by whoever last recorded it
on the case log (the follow-up or the closing), else by who registered the case."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


MOVE_SATISFACTION = """
INSERT INTO petitions_evaluation (case_id, case_petitioner_id, level, comment, source, entered_by_id, at)
SELECT c.id, NULL, c.satisfaction, '', 'other',
       COALESCE(
           (SELECT l.actor_id FROM petitions_caselog l
             WHERE l.case_id = c.id AND l.action IN ('follow_up', 'close') AND l.actor_id IS NOT NULL
             ORDER BY l.at DESC, l.id DESC LIMIT 1),
           c.registered_by_id),
       COALESCE(c.closed_at, c.handled_at, c.registered_at)
  FROM petitions_case c
 WHERE c.satisfaction <> ''
"""


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0013_petitioner_notices'),
    ]

    operations = [
        migrations.CreateModel(
            name='Evaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(choices=[('satisfied', 'Satisfied'), ('fairly', 'Fairly satisfied'), ('dissatisfied', 'Dissatisfied')], max_length=16, verbose_name='satisfaction')),
                ('comment', models.TextField(blank=True, max_length=2000, verbose_name='comment')),
                ('source', models.CharField(choices=[('online', 'Online, by the petitioner'), ('phone', 'Phone follow-up'), ('visit', 'Visit'), ('letter', 'Letter'), ('other', 'Other')], max_length=10, verbose_name='source')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='petitions.case', verbose_name='case')),
                ('case_petitioner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evaluations', to='petitions.casepetitioner', verbose_name='petitioner')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
            ],
            options={
                'verbose_name': 'evaluation',
                'verbose_name_plural': 'evaluations',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['case', 'at'], name='evaluation_case_at')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('case_petitioner__isnull', False)), fields=('case', 'case_petitioner'), name='evaluation_once_per_petitioner'), models.CheckConstraint(condition=models.Q(('entered_by__isnull', False), ('source', 'online'), _connector='OR'), name='evaluation_staff_or_online')],
            },
        ),
        migrations.RunSQL(MOVE_SATISFACTION, migrations.RunSQL.noop, elidable=False),
        migrations.RemoveField(
            model_name='case',
            name='satisfaction',
        ),
    ]
