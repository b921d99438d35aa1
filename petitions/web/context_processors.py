from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions import caching, extensions, policies
from petitions.clocks.workdays import missing_schedule_years

CALENDAR_WARNING_CACHE_SECONDS = 10 * 60


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    context = {"office_name": settings.OFFICE_NAME or _("Letters and Visits Office")}
    if user is not None and user.is_authenticated:
        context["nav_items"] = extensions.nav_items_for(user)
        context["unread_count"] = caching.unread_count(
            user.pk, lambda: user.notifications.filter(read_at__isnull=True).count()
        )
        if policies.may_see_calendar_warning(user):
            context["calendar_missing_years"] = calendar_missing_years()
    return context


def calendar_missing_years() -> list[int]:
    """Years whose official rest days are missing and matter now (cached; the admin clears it)."""
    today = timezone.localdate()
    key = f"calendar-missing-years:{today.isoformat()}"
    years = cache.get(key)
    if years is None:
        years = missing_schedule_years(today)
        cache.set(key, years, CALENDAR_WARNING_CACHE_SECONDS)
    return years


def forget_calendar_warning() -> None:
    cache.delete(f"calendar-missing-years:{timezone.localdate().isoformat()}")
