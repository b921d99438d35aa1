from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from petitions import checks, notification_texts, policies  # noqa: F401 - checks register themselves
        from petitions.extensions import CasePanel, NavItem, register_case_panel, register_nav_item
        from petitions.selectors.notice_log import case_notices_panel_context

        notification_texts.register_all()
        self._connect_database()
        self._connect_statutes()
        self._connect_case_counts()
        self._connect_cache_outage()
        for item in [
            NavItem("intake", _("Register"), "case_create", policies.may_register, 10),
            NavItem("queue", _("Case queue"), "case_queue", policies.may_see_queue, 20),
            NavItem("registered", _("My registrations"), "case_registered", policies.may_register, 30),
            NavItem("department", _("Department cases"), "case_department", policies.may_see_department_list, 40),
            NavItem("owned", _("Cases I own"), "case_owned", policies.may_see_owned_list, 50),
            NavItem("handed_down", _("Handed down"), "handed_down_list", policies.may_see_handed_down_list, 55),
            NavItem("reception", _("Reception days"), "reception_list", policies.may_see_reception_sessions, 60),
            NavItem("identity_audit", _("Identity log"), "identity_audit", policies.may_audit_identity_access, 80),
            NavItem("admin", _("Administration"), "admin:index", lambda u: u.is_staff, 90),
        ]:
            register_nav_item(item)
        register_case_panel(
            CasePanel("petitioner_notices", "petitions/_notices_panel.html", case_notices_panel_context, 30)
        )

    @staticmethod
    def _connect_database() -> None:
        from django.db.backends.signals import connection_created

        from petitions.db.pg_dates import read_out_of_range_dates

        connection_created.connect(read_out_of_range_dates, dispatch_uid="petitions-out-of-range-dates")

    @staticmethod
    def _connect_statutes() -> None:
        from django.db.models.signals import post_delete, post_save

        from petitions.clocks.deadlines import statutes_changed
        from petitions.models import CalendarOverride, CalendarYear, DeadlineRule

        for model in (CalendarOverride, CalendarYear, DeadlineRule):
            post_save.connect(statutes_changed, sender=model, dispatch_uid=f"statutes-{model.__name__}-save")
            post_delete.connect(statutes_changed, sender=model, dispatch_uid=f"statutes-{model.__name__}-delete")

    @staticmethod
    def _connect_case_counts() -> None:
        from django.db.models.signals import post_delete, post_save

        from petitions.models import Case
        from petitions.selectors.queues import cases_changed

        post_save.connect(cases_changed, sender=Case, dispatch_uid="case-counts-save")
        post_delete.connect(cases_changed, sender=Case, dispatch_uid="case-counts-delete")

    @staticmethod
    def _connect_cache_outage() -> None:
        from config.cache import cache_outage_ended

        cache_outage_ended.connect(renew_kept_copies, dispatch_uid="petitions-kept-copies")


def renew_kept_copies(**kwargs) -> None:
    """After a cache outage: what was kept before it is counted and loaded again, since a change made
    during the outage could not renew its version (the server may still hold the old copies)."""
    from petitions.clocks.deadlines import Statutes
    from petitions.selectors.queues import forget_case_counts
    from petitions.web.context_processors import forget_calendar_warning

    forget_case_counts()
    Statutes.changed()
    forget_calendar_warning()
