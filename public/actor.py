"""The account the public site acts as on the case log and as the uploader of a petitioner's files.

It cannot sign in (inactive, no usable password) and receives nothing (notify() skips inactive users);
what it did is told apart on the log by `"by": "petitioner"` in the entry's data.
"""

from petitions.models import User

PUBLIC_SITE_USERNAME = "online"


def public_site_user() -> User:
    user, created = User.objects.get_or_create(
        username=PUBLIC_SITE_USERNAME, defaults={"is_active": False, "first_name": "网上信访"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
