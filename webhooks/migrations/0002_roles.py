from django.db import migrations

# Frozen here (not imported from webhooks.apps) so that this migration keeps meaning what it meant.
ROLE_PERMISSIONS = {
    "admin": [
        "webhooks.add_subscription",
        "webhooks.change_subscription",
        "webhooks.view_subscription",
        "webhooks.view_event",
        "webhooks.change_event",
        "webhooks.view_deliveryattempt",
    ],
    "auditor": ["webhooks.view_event", "webhooks.view_deliveryattempt"],
}


def grant(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps, extra=ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("petitions", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
