from django.db import migrations

# Frozen here (not imported from information.apps) so that this migration keeps meaning what it meant.
ROLE_PERMISSIONS = {
    "supervisor": ["information.view_all_returns"],
    "leader": ["information.view_all_returns"],
    "admin": [
        "information.view_all_returns",
        "information.add_reportingunit",
        "information.change_reportingunit",
        "information.view_reportingunit",
        "information.add_specialperiod",
        "information.change_specialperiod",
        "information.view_specialperiod",
        "information.add_returnrule",
        "information.change_returnrule",
        "information.view_returnrule",
        "information.view_unitreturn",
        "information.view_returnchase",
    ],
}


def grant(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps, extra=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("information", "0001_initial"),
        ("petitions", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
