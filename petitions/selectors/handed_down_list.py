"""Reads of cases handed down from a higher authority (交办件): the list supervisors and leaders work from."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from petitions.clocks import urgency
from petitions.models import Case, Closure, HandedDown, User
from petitions.selectors import scopes


class Status:
    OPEN = "open"  # the report back is still owed
    OVERDUE = "overdue"
    DUE_SOON = "soon"
    REPORTED = "reported"
    ALL = "all"

    CHOICES = [
        (OPEN, _("Report back owed")),
        (DUE_SOON, _("Due soon")),
        (OVERDUE, _("Overdue")),
        (REPORTED, _("Reported back")),
        (ALL, _("All")),
    ]


def owed() -> Q:
    """The orders whose report back is still owed (a void registration owes none)."""
    return Q(report_issued_at__isnull=True) & ~Q(case__closure=Closure.VOID)


def overdue_orders(on: date) -> Q:
    """The orders whose report back is owed and whose authority's date lies before `on`."""
    return owed() & Q(due__lt=on)


def visible_orders(user: User) -> QuerySet[HandedDown]:
    """The orders on the cases `user` may see (a department: its own cases)."""
    orders = HandedDown.objects.all()
    visibility = scopes.case_visibility_filter(user)
    return orders if visibility is None else orders.filter(case__in=Case.objects.filter(visibility))


@dataclass(frozen=True)
class Filters:
    authority: str = ""
    status: str = Status.OPEN


def handed_down_list(user: User, filters: Filters, *, today: date) -> QuerySet[HandedDown]:
    orders = visible_orders(user)
    if filters.authority:
        orders = orders.filter(authority=filters.authority)
    status = filters.status
    if status == Status.OPEN:
        orders = orders.filter(owed())
    elif status == Status.OVERDUE:
        orders = orders.filter(overdue_orders(today))
    elif status == Status.DUE_SOON:
        # The ladder's reminder window, as for every other deadline.
        orders = orders.filter(owed(), due__gte=today, due__lte=today + timedelta(days=urgency.due_soon_days()))
    elif status == Status.REPORTED:
        orders = orders.filter(report_issued_at__isnull=False)
    return (
        orders.select_related("case", "case__department")
        .only(
            "authority",
            "reference",
            "handed_down_on",
            "due",
            "interim_reports_required",
            "interim_report_due",
            "report_issued_at",
            "case__number",
            "case__state",
            "case__closure",
            "case__summary",
            "case__department__name",
        )
        .order_by("due", "case_id")
    )


def authorities(user: User) -> list[str]:
    """The authorities that handed down cases `user` may see, for the filter."""
    return list(visible_orders(user).order_by("authority").values_list("authority", flat=True).distinct())
