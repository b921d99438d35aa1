from django.db import migrations

# The ladder of DESIGN.md "Escalation ladder", frozen here.
DEFAULT_LADDER = [
    {"level": 0, "days_from_deadline": -3, "notify_handler": True},
    {"level": 1, "days_from_deadline": 0, "notify_handler": True, "notify_department_head": True},
    {
        "level": 2,
        "days_from_deadline": 7,
        "notify_supervisors": True,
        "issues_supervision_notice": True,
        "reply_within_working_days": 5,
    },
    {"level": 3, "days_from_deadline": 15, "notify_leaders": True},
]


def create_ladder(apps, schema_editor):
    EscalationRule = apps.get_model("escalation", "EscalationRule")
    for values in DEFAULT_LADDER:
        level = values["level"]
        EscalationRule.objects.get_or_create(level=level, defaults={k: v for k, v in values.items() if k != "level"})


def grant_admin_permissions(apps, schema_editor):
    # The roles' permissions, escalation's included (registered in EscalationConfig.ready()).
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("escalation", "0001_initial"),
        ("petitions", "0005_calendar_and_rules"),
    ]

    operations = [
        migrations.RunPython(create_ladder, migrations.RunPython.noop),
        migrations.RunPython(grant_admin_permissions, migrations.RunPython.noop),
    ]
