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


REGISTRAR_KEY = "online-registrar"
REGISTRAR_SECONDS = 60  # a backstop: saving the user or changing its permissions drops the copy at once


def online_registrar():
    """The registering user of online submissions, as the intake service's actor.

    Kept in the cache (petitions.caching.kept) with whether it holds the one permission intake asks of
    it, so a submission reads nothing for it; saving the user or changing its permissions drops the
    copy (`registrar_changed`). Django's permission check keeps what it found on the instance
    (ModelBackend's `_perm_cache`), so `may_register` asks nothing more. Other permissions an admin might
    give this user are not looked at: intake is all it does.
    """
    from petitions import caching

    user = caching.kept(REGISTRAR_KEY, _registrar_row, timeout=REGISTRAR_SECONDS)
    if not user:
        user = ensure_online_registrar()  # its save and permission change drop the copy just kept
    app_label, codename = REGISTER_PERMISSION
    user._perm_cache = {f"{app_label}.{codename}"}
    return user


def _registrar_row():
    """The "online" user when it holds the registering permission (one query), else False (a deactivated
    one is returned: Django then grants it nothing, and intake refuses with its message)."""
    from django.contrib.auth.models import Permission
    from django.db.models import Exists, OuterRef

    from petitions.models import User

    app_label, codename = REGISTER_PERMISSION
    granted = Permission.objects.filter(user=OuterRef("pk"), content_type__app_label=app_label, codename=codename)
    user = User.objects.filter(Exists(granted), username=ONLINE_USERNAME).first()
    return user if user is not None else False


def registrar_changed(sender=None, instance=None, using: str = "default", **kwargs) -> None:
    """A user was saved or deleted, or its permissions changed: if it is the registrar, forget its copy."""
    from petitions import caching

    if getattr(instance, "username", None) == ONLINE_USERNAME:
        caching.now_and_on_commit(lambda: caching.forget(REGISTRAR_KEY), using=using)
