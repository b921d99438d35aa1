from django.db import migrations

# Frozen here: the seven triggers of T22 art. 40 (and the ladder's "overdue"), and the clocks' defaults.
TRIGGERS = [
    ("overdue", "超期未办结", "Deadline passed, not done"),
    ("no_feedback", "未按期反馈", "No feedback"),
    ("wrong_procedure", "违反规定受理、办理", "Wrong procedure"),
    ("evasion", "推诿、敷衍、拖延", "Evasion, perfunctory handling or delay"),
    ("not_carried_out", "拒不执行处理意见", "Answer not carried out"),
    ("facts_or_law", "事实不清、适用法律错误", "Facts unclear or law wrongly applied"),
    ("false_result", "弄虚作假", "False result reported"),
]
CLOCKS = [
    ("matter_reply", 5, True),
    ("recommendation_answer", 30, False),
    ("urge_after_deadline", 1, False),
    ("criticism_after_notice", 5, True),
]


def seed(apps, schema_editor):
    Trigger = apps.get_model("supervision", "Trigger")
    ClockRule = apps.get_model("supervision", "ClockRule")
    for order, (code, name_zh, name_en) in enumerate(TRIGGERS, start=1):
        Trigger.objects.get_or_create(code=code, defaults={"name_zh": name_zh, "name_en": name_en, "order": order * 10})
    for key, days, working in CLOCKS:
        ClockRule.objects.get_or_create(key=key, defaults={"days": days, "working_days": working})


def grant_permissions(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
