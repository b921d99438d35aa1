from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The office's roles see every unit's returns; administrators keep units, rules and special periods.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "supervisor": ["information.view_all_returns"],
    "leader": ["information.view_all_returns"],
    "admin": [
        "information.view_all_returns",
        "information.add_reportingunit",
        "information.change_reportingunit",
        "information.view_reportingunit",
        "information.add_specialperiod",
        "information.change_specialperiod",
        "information.view_specialperiod",
        "information.add_returnrule",
        "information.change_returnrule",
        "information.view_returnrule",
        "information.view_unitreturn",
        "information.view_returnchase",
    ],
}


class InformationConfig(AppConfig):
    """The office's information work: returns from units (信息报送), zero reports, special periods."""

    name = "information"
    verbose_name = _("Information")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from config.cache import cache_outage_ended
        from information.models import ReportingUnit, SpecialPeriod
        from information.returns import selectors
        from information.returns.chase import returns_chase
        from information.returns.kept import directory_changed, renew_after_outage
        from petitions.extensions import (
            HomeSection,
            NavItem,
            register_daily_job,
            register_home_section,
            register_nav_item,
        )
        from petitions.extensions import register_notification_kind as register_kind
        from petitions.roles import register_role_permissions
        from reports.extensions import ReportPart, register_report_part

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav_item(NavItem("returns", _("Returns"), "information:returns", selectors.may_see_returns, 60))
        register_home_section(
            HomeSection("returns", "information/returns/_home_panel.html", selectors.home_panel, 10, above_tiles=True)
        )
        register_kind(
            "return_due_soon", _("The return of %(unit)s for %(period)s is due on %(due)s and has not been sent yet.")
        )
        register_kind(
            "return_not_received",
            _("The return of %(unit)s for %(period)s, due on %(due)s, has not been received (level %(level)s)."),
        )
        register_daily_job(returns_chase)
        register_report_part(
            ReportPart("returns", "information/returns/_report_section.html", selectors.weekly_report_part)
        )
        for model in (ReportingUnit, SpecialPeriod):
            post_save.connect(directory_changed, sender=model, dispatch_uid=f"information-{model.__name__}-save")
            post_delete.connect(directory_changed, sender=model, dispatch_uid=f"information-{model.__name__}-delete")
        cache_outage_ended.connect(renew_after_outage, dispatch_uid="information-directory-outage")
