from django.db import migrations

# Frozen here (not imported from reports.apps) so that this migration keeps meaning what it meant.
ROLE_PERMISSIONS = {
    "supervisor": ["reports.view_office_reports", "reports.request_report"],
    "leader": ["reports.view_office_reports"],
    "admin": [
        "reports.view_office_reports",
        "reports.request_report",
        "reports.view_report",
        "reports.view_documenttemplate",
        "reports.change_documenttemplate",
    ],
    "department_head": ["reports.view_department_reports"],
}
DOCUMENT_KINDS = ["registration", "receipt", "acceptance", "non_acceptance", "extension", "opinion"]


def grant(apps, schema_editor):
    from petitions.roles import sync_role_permissions

    sync_role_permissions(apps, extra=ROLE_PERMISSIONS)
    DocumentTemplate = apps.get_model("reports", "DocumentTemplate")
    for kind in DOCUMENT_KINDS:
        DocumentTemplate.objects.get_or_create(kind=kind)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_reports_and_document_templates"),
        ("petitions", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
