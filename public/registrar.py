"""The system user "online" that registers what petitioners submit on the public site.

It has no role and no password (it cannot sign in: an unusable password matches nothing), and one
permission: registering cases, which `petitions.policies.may_register` asks of every intake. It stays
active because Django gives an inactive user no permissions at all (ModelBackend.has_perm).
"""

from django.apps import apps as global_apps
from django.contrib.auth.hashers import make_password

ONLINE_USERNAME = "online"
ONLINE_FULL_NAME = "网上信访"
REGISTER_PERMISSION = ("petitions", "register_case")


def ensure_online_registrar(apps=global_apps):
    """The "online" user with the registering permission, created if missing (public/0001 makes it;
    a database flushed by tests has it made again on the first submission). Idempotent."""
    User = apps.get_model("petitions", "User")
    Permission = apps.get_model("auth", "Permission")
    user, created = User.objects.get_or_create(
        username=ONLINE_USERNAME,
        defaults={"full_name": ONLINE_FULL_NAME, "password": make_password(None), "is_active": True},
    )
    app_label, codename = REGISTER_PERMISSION
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if permission is None:  # a database whose permissions are not made yet (flushed, not migrated again)
        from django.contrib.auth.management import create_permissions

        create_permissions(global_apps.get_app_config(app_label), verbosity=0)
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if created or not user.user_permissions.filter(pk=permission.pk).exists():
        user.user_permissions.add(permission)
    return user


def online_registrar():
    """The registering user of online submissions, as the intake service's actor."""
    from petitions.models import User

    user = User.objects.filter(username=ONLINE_USERNAME).first()
    return user if user is not None else User.objects.get(pk=ensure_online_registrar().pk)
