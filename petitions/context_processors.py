from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from petitions import navigation


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context = {"office_name": settings.OFFICE_NAME or _("Letters and Visits Office")}
    if user is not None and user.is_authenticated:
        context["nav_items"] = navigation.items_for(user)
        context["unread_count"] = user.notifications.filter(read_at__isnull=True).count()
    return context
