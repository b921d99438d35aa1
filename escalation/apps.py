from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EscalationConfig(AppConfig):
    name = "escalation"
    verbose_name = _("Escalation")

    def ready(self) -> None:
        """Hook into petitions through its registries: petitions never imports escalation."""
        from django.db.models.signals import post_delete, post_save

        from escalation import selectors
        from escalation.ladder import DueSoonWindow, load_default_ladder
        from escalation.models import EscalationRule
        from escalation.services import auto_close_due_cases, escalation_sweep
        from petitions.extensions import (
            CasePanel,
            NavItem,
            register_case_panel,
            register_daily_job,
            register_due_soon_window,
            register_log_actions,
            register_nav_item,
        )
        from petitions.extensions import register_notification_kind as register_kind
        from petitions.models import Role
        from petitions.roles import register_role_permissions
        from petitions.services import reference_data

        register_kind("deadline_due_soon", _("Case %(number)s is due on %(due)s, in %(days)s days."))
        register_kind("deadline_reached", _("Case %(number)s has reached its deadline (%(due)s) and is not done."))
        register_kind(
            "deadline_overdue",
            _("Case %(number)s is %(days)s days past its deadline (%(due)s): escalated to level %(level)s."),
        )
        register_kind(
            "supervision_notice",
            _("Supervision notice %(notice)s: case %(number)s is %(days)s days past its deadline (%(due)s)."),
        )
        register_kind(
            "part_deadline_due_soon",
            _("Your department's part of case %(number)s is due on %(due)s, in %(days)s days."),
        )
        register_kind(
            "part_deadline_reached",
            _("Your department's part of case %(number)s has reached its deadline (%(due)s) and is not recorded."),
        )
        register_kind(
            "part_deadline_overdue",
            _(
                "Your department's part of case %(number)s is %(days)s days past its deadline (%(due)s): "
                "escalated to level %(level)s."
            ),
        )
        register_log_actions(
            {
                "remind_due_soon": _("Reminder sent: the deadline is near"),
                "escalate": _("Escalated: the deadline is reached or passed"),
                "supervision_notice": _("Supervision notice issued"),
            }
        )
        register_nav_item(
            NavItem(
                "overdue",
                _("Overdue board"),
                "escalation:board",
                lambda user: selectors.may_see_board(user),
                25,
            )
        )
        reference_data.register_loader(load_default_ladder)
        register_due_soon_window(DueSoonWindow.days)
        post_save.connect(DueSoonWindow.forget, sender=EscalationRule, dispatch_uid="escalation-due-soon-save")
        post_delete.connect(DueSoonWindow.forget, sender=EscalationRule, dispatch_uid="escalation-due-soon-delete")
        register_daily_job(escalation_sweep)
        register_daily_job(auto_close_due_cases)
        register_role_permissions(
            {
                Role.ADMIN: [
                    "escalation.view_escalationrule",
                    "escalation.change_escalationrule",
                    "escalation.view_escalation",
                ]
            }
        )
        register_case_panel(CasePanel("escalations", "escalation/_case_panel.html", selectors.case_panel_context, 20))
