from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from petitions import checks, notification_texts, policies  # noqa: F401 - checks register themselves
        from petitions.extensions import CasePanel, NavItem, register_case_panel, register_nav_item
        from petitions.selectors.callback_reads import case_review_panel_context
        from petitions.selectors.notice_log import case_notices_panel_context
        from petitions.web.joint_panel import joint_panel_context

        notification_texts.register_all()
        self._connect_database()
        self._connect_statutes()
        self._connect_case_counts()
        self._connect_notice_texts()
        self._connect_kept_copies()
        self._connect_cache_outage()
        for item in [
            NavItem("intake", _("Register"), "case_create", policies.may_register, 10),
            NavItem("queue", _("Case queue"), "case_queue", policies.may_see_queue, 20),
            NavItem("registered", _("My registrations"), "case_registered", policies.may_register, 30),
            NavItem("department", _("Department cases"), "case_department", policies.may_see_department_list, 40),
            NavItem("owned", _("Cases I own"), "case_owned", policies.may_see_owned_list, 50),
            NavItem("handed_down", _("Handed down"), "handed_down_list", policies.may_see_handed_down_list, 55),
            NavItem("callbacks", _("Callbacks"), "callback_queue", policies.may_see_callback_queue, 57),
            NavItem("reception", _("Reception days"), "reception_list", policies.may_see_reception_sessions, 60),
            NavItem("identity_audit", _("Identity log"), "identity_audit", policies.may_audit_identity_access, 80),
            NavItem("admin", _("Administration"), "admin:index", lambda u: u.is_staff, 90),
        ]:
            register_nav_item(item)
        register_case_panel(
            CasePanel("petitioner_notices", "petitions/_notices_panel.html", case_notices_panel_context, 30)
        )
        register_case_panel(CasePanel("result_review", "petitions/_review_panel.html", case_review_panel_context, 25))
        register_case_panel(CasePanel("joint", "petitions/_joint_panel.html", joint_panel_context, 10))

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
    def _connect_notice_texts() -> None:
        from django.db.models.signals import post_delete, post_save

        from petitions.models import NoticeText
        from petitions.services.petitioner_notices import notice_texts_changed

        post_save.connect(notice_texts_changed, sender=NoticeText, dispatch_uid="notice-texts-save")
        post_delete.connect(notice_texts_changed, sender=NoticeText, dispatch_uid="notice-texts-delete")

    @staticmethod
    def _connect_kept_copies() -> None:
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from petitions.caching import reference_changed, user_changed
        from petitions.models import Category, Department, Region, User

        for model in (Department, Category, Region, User, Group):
            name = model.__name__
            post_save.connect(reference_changed, sender=model, dispatch_uid=f"reference-{name}-save")
            post_delete.connect(reference_changed, sender=model, dispatch_uid=f"reference-{name}-delete")
        m2m_changed.connect(reference_changed, sender=User.groups.through, dispatch_uid="reference-roles")
        post_save.connect(user_changed, sender=User, dispatch_uid="kept-user-save")
        post_delete.connect(user_changed, sender=User, dispatch_uid="kept-user-delete")
        m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid="kept-user-roles")

    @staticmethod
    def _connect_cache_outage() -> None:
        from config.cache import cache_outage_ended

        cache_outage_ended.connect(renew_kept_copies, dispatch_uid="petitions-kept-copies")


def _roles_changed(sender, instance, action: str, reverse: bool, pk_set, using: str, **kwargs) -> None:
    """A user's roles changed (from the user's side or the group's): their kept copies are dropped."""
    from petitions.caching import user_changed
    from petitions.models import User

    if not reverse:
        if action.startswith("post_"):
            user_changed(instance=instance, using=using)
        return
    if action == "pre_clear":  # the group's members, while it still has them
        users = User.objects.filter(groups=instance)
    elif action in ("post_add", "post_remove"):
        users = User.objects.filter(pk__in=pk_set)
    else:
        return
    for user in users.only("pk"):
        user_changed(instance=user, using=using)


def renew_kept_copies(**kwargs) -> None:
    """After a cache outage: what was kept before it is counted and loaded again, since a change made
    during the outage could not renew its version (the server may still hold the old copies)."""
    from petitions.caching import renew_epoch
    from petitions.clocks.deadlines import Statutes
    from petitions.selectors.queues import forget_case_counts
    from petitions.web.context_processors import forget_calendar_warning

    renew_epoch()  # sessions, users, choice lists, unread counts, notice texts
    forget_case_counts()
    Statutes.changed()
    forget_calendar_warning()
