from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The roles that see and request reports; granted by migration 0002 and on the live registry.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    "supervisor": ["reports.view_office_reports", "reports.request_report"],
    "leader": ["reports.view_office_reports"],
    "admin": [
        "reports.view_office_reports",
        "reports.request_report",
        "reports.view_report",
        "reports.view_documenttemplate",
        "reports.change_documenttemplate",
        "reports.add_leaderliaison",
        "reports.change_leaderliaison",
        "reports.delete_leaderliaison",
        "reports.view_leaderliaison",
    ],
    "department_head": ["reports.view_department_reports"],
}


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from petitions.extensions import (
            CasePanel,
            HomeSection,
            NavItem,
            register_case_links,
            register_case_panel,
            register_home_section,
            register_liaison_directory,
            register_nav_item,
        )
        from petitions.extensions import register_notification_kind as register_kind
        from petitions.roles import register_role_permissions
        from reports.documents import document_links
        from reports.home import leader_section, supervisor_section
        from reports.liaison import liaison_directory
        from reports.performance import performance_scope
        from reports.report_back import report_back_panel_context
        from reports.selectors import can_see_reports

        register_role_permissions(ROLE_PERMISSIONS)
        register_nav_item(NavItem("reports", _("Reports"), "reports:archive", can_see_reports, 70))
        register_nav_item(
            NavItem(
                "performance", _("Performance"), "reports:performance", lambda u: performance_scope(u) is not None, 72
            )
        )
        register_home_section(HomeSection("trends", "reports/_home_trends.html", supervisor_section, 20))
        register_home_section(HomeSection("liaison", "reports/_home_liaison.html", leader_section, 10))
        register_liaison_directory(liaison_directory)
        register_case_links("reports", document_links)
        register_case_panel(CasePanel("report_back", "reports/_report_back_panel.html", report_back_panel_context, 25))
        register_kind("report_ready", _("The report for %(start)s to %(end)s is ready."))
        register_kind("report_failed", _("The report for %(start)s to %(end)s could not be made."))
