from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = _("Screening, hot topics and joint meetings")

    def ready(self) -> None:
        """Hook into petitions through its registries: petitions never imports screening."""
        from petitions.extensions import (
            HomeSection,
            NavItem,
            register_daily_job,
            register_home_section,
            register_nav_item,
        )
        from petitions.extensions import register_notification_kind as register_kind
        from petitions.models import Role
        from petitions.roles import register_role_permissions
        from petitions.services import reference_data
        from screening import policies
        from screening.chase import chase_deadlines
        from screening.reference import load_kinds
        from screening.selectors import leader_home

        register_kind("screening_entry_due_soon", _("Register entry “%(title)s” is to be resolved by %(due)s."))
        register_kind("screening_entry_overdue", _("Register entry “%(title)s” is past its deadline (%(due)s)."))
        register_kind("screening_decision_due_soon", _("Decision of “%(meeting)s” is due on %(due)s: %(title)s"))
        register_kind(
            "screening_decision_overdue", _("Decision of “%(meeting)s” is past its deadline (%(due)s): %(title)s")
        )
        register_nav_item(NavItem("screening", _("Screening"), "screening:register", policies.may_see_pages, 57))
        register_nav_item(NavItem("meetings", _("Joint meetings"), "screening:meetings", policies.may_see_pages, 58))
        register_daily_job(chase_deadlines)
        # After reports' "liaison" section (order 10): the register of the leader's units, under their figures.
        register_home_section(HomeSection("screening_liaison", "screening/_home_leader.html", leader_home, 12))
        reference_data.register_loader(load_kinds)
        register_role_permissions(
            {
                Role.SUPERVISOR: ["screening.manage_screening"],
                Role.ADMIN: [
                    "screening.manage_screening",
                    "screening.view_issuekind",
                    "screening.add_issuekind",
                    "screening.change_issuekind",
                ],
            }
        )
