from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """督办 (T22 art. 40): matters with a reply obligation, the ladder's documents, recommendations."""

    name = "supervision"
    verbose_name = _("Supervision")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Hook into petitions through its registries: petitions never imports supervision."""
        from petitions.extensions import (
            CasePanel,
            NavItem,
            register_case_log_listener,
            register_case_panel,
            register_daily_job,
            register_log_actions,
            register_nav_item,
        )
        from petitions.extensions import register_notification_kind as register_kind
        from petitions.models import Role
        from petitions.roles import register_role_permissions
        from petitions.services import reference_data
        from reports.extensions import RECOMMENDATIONS, ReportFigure, register_period_counts, register_report_figures
        from supervision import policies
        from supervision.clocks import load_default_clocks
        from supervision.ladder import on_case_logged, supervision_sweep
        from supervision.panel import case_panel_context
        from supervision.selectors import recommendation_counts, weekly_report_figures

        register_period_counts(RECOMMENDATIONS, recommendation_counts)  # the annual report's (T22 41)

        register_kind("supervision_opened", _("Case %(number)s is under supervision: reply in writing by %(due)s."))
        register_kind("supervision_replied", _("The department's reply on case %(number)s is signed off: assess it."))
        register_kind("supervision_accepted", _("The office accepted the reply on case %(number)s."))
        register_kind(
            "supervision_urge",
            _("Urging notice %(notice)s: case %(number)s is %(days)s days past its deadline (%(due)s)."),
        )
        register_kind(
            "supervision_criticism",
            _("Notice of criticism %(notice)s: case %(number)s is still not done (deadline %(due)s)."),
        )
        register_kind("supervision_reply_due_soon", _("The supervision reply on case %(number)s is due on %(due)s."))
        register_kind("supervision_reply_overdue", _("The supervision reply on case %(number)s was due on %(due)s."))
        register_kind("recommendation_issued", _("A recommendation for improvement: answer in writing by %(due)s."))
        register_kind("recommendation_answered", _("%(department)s answered the recommendation for improvement."))
        register_log_actions(
            {
                "supervision_open": _("Supervision matter opened"),
                "supervision_reply": _("Supervision reply written"),
                "supervision_sign_off": _("Supervision reply signed off by the department head"),
                "supervision_assess": _("Supervision reply assessed"),
                "supervision_urge": _("Urging notice issued"),
                "supervision_criticism": _("Notice of criticism issued"),
                "supervision_reply_overdue": _("Supervision reply overdue"),
            }
        )
        register_nav_item(NavItem("supervision", _("Supervision"), "supervision:matters", policies.may_see_matters, 27))
        register_case_panel(CasePanel("supervision", "supervision/_case_panel.html", case_panel_context, 22))
        register_case_log_listener(on_case_logged)
        register_daily_job(supervision_sweep)
        reference_data.register_loader(load_default_clocks)
        register_report_figures(
            "supervision",
            [
                ReportFigure(
                    "supervision_urge",
                    _("Urging notices"),
                    _("催办通知书 issued in the period (the day after a deadline)."),
                ),
                ReportFigure("supervision_notice", _("Supervision notices"), _("督办单 issued in the period.")),
                ReportFigure(
                    "supervision_criticism",
                    _("Notices of criticism"),
                    _("通报 issued in the period: still late a set number of working days after the 督办单."),
                ),
                ReportFigure(
                    "supervision_matters", _("Matters opened"), _("Supervision matters opened in the period.")
                ),
                ReportFigure(
                    "supervision_replies_late",
                    _("Supervision replies late"),
                    _(
                        "Supervision matters still awaiting the reply whose reply date was on or before the "
                        "period's end."
                    ),
                ),
                ReportFigure(
                    "supervision_recommendations",
                    _("Recommendations"),
                    _("Recommendations for improvement (改进工作建议) issued in the period."),
                ),
                ReportFigure(
                    "supervision_recommendations_adopted",
                    _("Recommendations adopted"),
                    _("Of those, the ones the department answered as adopted."),
                ),
            ],
            weekly_report_figures,
        )
        register_role_permissions(
            {
                Role.ADMIN: [
                    "supervision.add_trigger",
                    "supervision.change_trigger",
                    "supervision.view_trigger",
                    "supervision.change_clockrule",
                    "supervision.view_clockrule",
                    "supervision.view_document",
                    "supervision.view_matter",
                    "supervision.view_recommendation",
                ]
            }
        )
