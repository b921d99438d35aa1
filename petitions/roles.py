"""The roles (Django groups) and the permissions each is given.

`sync_role_permissions` is called by data migrations (with the historical app registry) whenever
this mapping grows; it only adds, so permissions an admin granted by hand are kept.
"""

from django.apps import apps as global_apps

from petitions.models.choices import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CLERK: [
        "petitions.register_case",
        "petitions.view_identity",
    ],
    Role.SUPERVISOR: [
        "petitions.register_case",
        "petitions.route_case",
        "petitions.approve_extension",
        "petitions.close_case",
        "petitions.view_all_cases",
        "petitions.view_identity",
        "petitions.own_case",
    ],
    Role.HANDLER: [
        "petitions.handle_case",
        "petitions.view_identity",
    ],
    Role.DEPARTMENT_HEAD: [
        "petitions.handle_case",
        "petitions.assign_handler",
        "petitions.view_identity",
    ],
    Role.LEADER: [
        "petitions.view_all_cases",
        "petitions.view_identity",
        "petitions.own_case",
        "petitions.hold_reception",
    ],
    Role.ADMIN: [
        "petitions.view_all_cases",
        "petitions.add_department",
        "petitions.change_department",
        "petitions.view_department",
        "petitions.add_category",
        "petitions.change_category",
        "petitions.view_category",
        "petitions.add_region",
        "petitions.change_region",
        "petitions.view_region",
        "petitions.add_user",
        "petitions.change_user",
        "petitions.view_user",
        "petitions.add_calendaroverride",
        "petitions.change_calendaroverride",
        "petitions.delete_calendaroverride",
        "petitions.view_calendaroverride",
        "petitions.add_calendaryear",
        "petitions.change_calendaryear",
        "petitions.view_calendaryear",
        "petitions.change_deadlinerule",
        "petitions.view_deadlinerule",
        "petitions.view_deadlinerecomputation",
        "petitions.view_identityaccess",
        "petitions.view_holidaynoticeimport",
        "auth.view_group",
        "auth.change_group",
    ],
    # Who was shown whose identity, and when: the log only (T22 art. 30 ¶3 makes leaks a matter of record).
    Role.AUDITOR: [
        "petitions.view_identityaccess",
    ],
}


def register_role_permissions(mapping: dict[str, list[str]]) -> None:
    """Other apps give roles permissions on their own models here, in AppConfig.ready().

    The grants join ROLE_PERMISSIONS, so every later sync (a data migration, the tests' re-creation
    of the groups after a flush, a repair from the shell) grants them; a permission whose row does
    not exist yet at that point of the migration graph is granted by a later sync.
    """
    for role, permissions in mapping.items():
        granted = ROLE_PERMISSIONS.setdefault(role, [])
        granted += [permission for permission in permissions if permission not in granted]


def sync_role_permissions(apps=global_apps, extra: dict[str, list[str]] | None = None) -> None:
    """Create the role groups and give each its permissions (add-only, idempotent)."""
    from django.contrib.auth.management import create_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations; data migrations need them now.
    for app_config in apps.get_app_configs():
        is_stub = getattr(app_config, "models_module", None) is None
        if is_stub:
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        if is_stub:
            app_config.models_module = None

    mapping = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for role, perms in (extra or {}).items():
        mapping.setdefault(role, []).extend(perms)
    for role, perms in mapping.items():
        group, _ = Group.objects.get_or_create(name=str(role))
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:  # an earlier migration runs before the model exists; a later one grants it
                group.permissions.add(permission)
