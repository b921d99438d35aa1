"""The text of each notification kind petitions sends (parameters fill the placeholders)."""

from django.utils.translation import gettext_lazy as _

from petitions.extensions import register_notification_kind as register_kind


def register_all() -> None:
    register_kind("case_routed", _("Case %(number)s was routed to your department."))
    register_kind("case_assigned_to_you", _("Case %(number)s was assigned to you."))
    register_kind("case_returned", _("Case %(number)s was returned by %(department)s and needs routing again."))
    register_kind(
        "routing_withdrawn",
        _("The office withdrew the routing of case %(number)s from %(department)s: %(reason)s"),
    )
    register_kind("extension_requested", _("An extension of %(days)s days is requested for case %(number)s."))
    register_kind("extension_granted", _("The extension of case %(number)s was approved; it is now due %(due)s."))
    register_kind("extension_denied", _("The extension request for case %(number)s was refused."))
    register_kind("case_handled", _("Case %(number)s has an outcome; deliver the opinion and close it."))
    register_kind("result_to_review", _("The department submitted the outcome of case %(number)s; review it."))
    register_kind(
        "result_sent_back",
        _("The office sent the outcome of case %(number)s back for further work, due %(due)s: %(reason)s"),
    )
    register_kind(
        "case_rehandling",
        _("Case %(number)s is back with your department to handle again, due %(due)s: %(reason)s"),
    )
    register_kind("review_requested", _("A review of case %(number)s was requested."))
    register_kind("petitioner_material", _("The petitioner added material to case %(number)s."))
    register_kind("petitioner_evaluated", _("The petitioner evaluated the handling of case %(number)s."))
    register_kind("case_owned", _("You are now the owning leader of case %(number)s."))
    register_kind("collective_visit", _("Collective visit of %(headcount)s people registered: case %(number)s."))
    register_kind(
        "handed_down",
        _("Case %(number)s was handed down by %(authority)s, to be reported back by %(due)s."),
    )
    register_kind("case_part_assigned", _("Your department has a part (协办) of case %(number)s, due %(due)s."))
    register_kind("case_part_answered", _("%(department)s recorded its part of case %(number)s."))
    register_kind("report_back_issued", _("The report back on case %(number)s was sent to %(authority)s."))
