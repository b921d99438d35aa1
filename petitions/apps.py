from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from petitions import checks, navigation, notification_kinds  # noqa: F401 - checks register themselves
        from petitions.models import Role
        from petitions.navigation import NavItem

        notification_kinds.register_all()
        self._connect_statutes()
        self._connect_case_counts()
        for item in [
            NavItem("intake", _("Register"), "case_create", lambda u: u.has_perm("petitions.register_case"), 10),
            NavItem("queue", _("Case queue"), "case_queue", lambda u: u.has_perm("petitions.view_all_cases"), 20),
            NavItem(
                "registered",
                _("My registrations"),
                "case_registered",
                lambda u: u.has_perm("petitions.register_case"),
                30,
            ),
            NavItem(
                "department",
                _("Department cases"),
                "case_department",
                lambda u: u.has_perm("petitions.handle_case") and u.department_id is not None,
                40,
            ),
            NavItem("owned", _("Cases I own"), "case_owned", lambda u: u.has_role(Role.LEADER), 50),
            NavItem(
                "reception",
                _("Reception days"),
                "reception_list",
                lambda u: (
                    u.has_perm("petitions.register_case")
                    or u.has_perm("petitions.hold_reception")
                    or u.has_perm("petitions.view_all_cases")
                ),
                60,
            ),
            NavItem("admin", _("Administration"), "admin:index", lambda u: u.is_staff, 90),
        ]:
            navigation.register(item)

    @staticmethod
    def _connect_statutes() -> None:
        from django.db.models.signals import post_delete, post_save

        from petitions.deadlines import statutes_changed
        from petitions.models import CalendarOverride, CalendarYear, DeadlineRule

        for model in (CalendarOverride, CalendarYear, DeadlineRule):
            post_save.connect(statutes_changed, sender=model, dispatch_uid=f"statutes-{model.__name__}-save")
            post_delete.connect(statutes_changed, sender=model, dispatch_uid=f"statutes-{model.__name__}-delete")

    @staticmethod
    def _connect_case_counts() -> None:
        from django.db.models.signals import post_delete, post_save

        from petitions.models import Case
        from petitions.queues import cases_changed

        post_save.connect(cases_changed, sender=Case, dispatch_uid="case-counts-save")
        post_delete.connect(cases_changed, sender=Case, dispatch_uid="case-counts-delete")
