"""The actions a case page offers: label, form, the policy that says whether it may be taken now, and
the service that does it. The button shows when the policy allows; the service asks the same policy
again when it runs (petitions.policies: each check once)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.models import Case, User
from petitions.services import callbacks, higher_authority, joint_handling, lifecycle
from petitions.web import forms as case_forms
from petitions.web import handed_down_forms, joint_forms, review_forms


@dataclass(frozen=True)
class CaseAction:
    name: str
    label: str | Promise
    form_class: type[forms.Form]
    policy: Callable[[Case, User], policies.Decision]
    perform: Callable[[Case, User, dict[str, Any]], Case]
    done: str | Promise
    style: str = ""
    confirm: str | Promise | None = None
    form_needs_case: bool = False

    def allowed(self, case: Case, user: User) -> bool:
        return bool(self.policy(case, user))

    def form(self, case: Case, data=None) -> forms.Form:
        kwargs: dict[str, Any] = {"prefix": self.name}
        if self.form_needs_case:
            kwargs["case"] = case
        if issubclass(self.form_class, case_forms.VersionedForm):
            kwargs["initial"] = {"version": case.version}
        return self.form_class(data, **kwargs)


def _with_reason(service: Callable[..., Case]) -> Callable[[Case, User, dict[str, Any]], Case]:
    """The `perform` of an action whose form gives only a reason."""
    return lambda case, user, data: service(
        case_id=case.pk, actor=user, reason=data["reason"], expected_version=data["version"]
    )


ACTIONS: list[CaseAction] = [
    CaseAction(
        "accept",
        _("Accept and route"),
        joint_forms.JointAcceptForm,
        policies.may_accept,
        lambda case, user, data: _accept_with_part(case, user, data),
        _("The case was accepted and routed."),
        style="primary",
        form_needs_case=True,
    ),
    CaseAction(
        "refuse",
        _("Not accept"),
        case_forms.ReasonForm,
        policies.may_refuse,
        _with_reason(lifecycle.case_refuse),
        _("The case was not accepted and is closed."),
        style="danger",
        confirm=_("Not accept this case? The petitioner will be told the reason."),
    ),
    CaseAction(
        "take",
        _("Take this case"),
        case_forms.VersionedForm,
        policies.may_take,
        lambda case, user, data: lifecycle.case_take(case_id=case.pk, actor=user, expected_version=data["version"]),
        _("The case is now yours."),
        style="primary",
    ),
    CaseAction(
        "assign_handler",
        _("Assign handler"),
        case_forms.AssignHandlerForm,
        policies.may_assign_handler,
        lambda case, user, data: lifecycle.case_assign_handler(
            case_id=case.pk, actor=user, handler=data["handler"], note=data["note"], expected_version=data["version"]
        ),
        _("The handler was assigned."),
        form_needs_case=True,
    ),
    CaseAction(
        "handle",
        _("Submit outcome for review"),
        joint_forms.JointHandleForm,
        policies.may_handle,
        lambda case, user, data: lifecycle.case_handle(
            case_id=case.pk,
            actor=user,
            outcome=data["outcome"],
            outcome_text=data["outcome_text"],
            legal_basis=data["legal_basis"],
            despite_open_parts=data.get("despite_open_parts", False),
            expected_version=data["version"],
        ),
        _("The outcome was submitted; the office reviews it before it is issued."),
        style="primary",
        form_needs_case=True,
    ),
    CaseAction(
        "accept_result",
        _("Accept the outcome"),
        review_forms.AcceptResultForm,
        policies.may_accept_result,
        lambda case, user, data: lifecycle.case_accept_result(
            case_id=case.pk, actor=user, note=data["note"], expected_version=data["version"]
        ),
        _("The outcome was accepted; the opinion is issued in the department's name."),
        style="primary",
    ),
    CaseAction(
        "send_back",
        _("Send back for further work"),
        review_forms.SendBackForm,
        policies.may_send_back,
        _with_reason(lifecycle.case_send_back),
        _("The outcome was sent back to the department."),
        style="danger",
    ),
    CaseAction(
        "callback",
        _("Record callback"),
        review_forms.CallbackForm,
        policies.may_record_callback,
        lambda case, user, data: callbacks.callback_record(
            case_id=case.pk,
            actor=user,
            answer=callbacks.callback_answer_from_form(data),
            expected_version=data["version"],
        ),
        _("The callback was recorded."),
        style="primary",
    ),
    CaseAction(
        "add_part",
        _("Add a co-department"),
        joint_forms.PartForm,
        policies.may_assign_part,
        lambda case, user, data: (
            joint_handling.part_assign(
                case_id=case.pk,
                actor=user,
                part=joint_handling.PartData(data["department"], data["task"], data["working_days"]),
                expected_version=data["version"],
            ).case
        ),
        _("The co-department was given its part; its heads are told."),
    ),
    CaseAction(
        "request_extension",
        _("Ask for an extension"),
        case_forms.ExtensionForm,
        policies.may_request_extension,
        lambda case, user, data: lifecycle.case_request_extension(
            case_id=case.pk, actor=user, days=data["days"], reason=data["reason"], expected_version=data["version"]
        ),
        _("The extension request was sent to the supervisors."),
        form_needs_case=True,
    ),
    CaseAction(
        "extend",
        _("Approve extension"),
        case_forms.ExtensionForm,
        policies.may_extend,
        lambda case, user, data: lifecycle.case_extend(
            case_id=case.pk, actor=user, days=data["days"], reason=data["reason"], expected_version=data["version"]
        ),
        _("The extension was approved; the handling deadline moved."),
        form_needs_case=True,
    ),
    CaseAction(
        "deny_extension",
        _("Refuse extension"),
        case_forms.ReasonForm,
        policies.may_deny_extension,
        _with_reason(lifecycle.case_deny_extension),
        _("The extension was refused."),
    ),
    CaseAction(
        "return",
        _("Return: not our department"),
        case_forms.ReasonForm,
        policies.may_return,
        _with_reason(lifecycle.case_return),
        _("The case was returned to the office."),
        style="danger",
        confirm=_("Return this case to the office?"),
    ),
    CaseAction(
        "withdraw_routing",
        _("Withdraw the routing"),
        case_forms.ReasonForm,
        policies.may_withdraw_routing,
        _with_reason(lifecycle.case_withdraw_routing),
        _("The routing was withdrawn; the case is back with the office to be routed again."),
        style="danger",
        confirm=_("Withdraw this case from its department? The department is told the reason."),
    ),
    CaseAction(
        "deliver",
        _("Record delivery of the opinion"),
        case_forms.DeliveryForm,
        policies.may_record_delivery,
        lambda case, user, data: lifecycle.case_record_delivery(
            case_id=case.pk,
            actor=user,
            delivered_on=data["delivered_on"],
            note=data["note"],
            expected_version=data["version"],
        ),
        _("The delivery was recorded; the review period has started."),
        style="primary",
    ),
    CaseAction(
        "review",
        _("Register review request"),
        case_forms.ReviewForm,
        policies.may_reopen_for_review,
        lambda case, user, data: lifecycle.case_reopen_for_review(
            case_id=case.pk,
            actor=user,
            requested_on=data["requested_on"],
            note=data["note"],
            expected_version=data["version"],
        ),
        _("The review request was registered; the case is back with the department."),
    ),
    CaseAction(
        "close",
        _("Close"),
        case_forms.CloseForm,
        policies.may_close,
        lambda case, user, data: lifecycle.case_close(
            case_id=case.pk,
            actor=user,
            note=data["note"],
            satisfaction=data["satisfaction"],
            expected_version=data["version"],
        ),
        _("The case is closed."),
        style="primary",
    ),
    CaseAction(
        "follow_up",
        _("Record follow-up"),
        case_forms.FollowUpForm,
        policies.may_record_follow_up,
        lambda case, user, data: lifecycle.case_record_follow_up(
            case_id=case.pk,
            actor=user,
            satisfaction=data["satisfaction"],
            note=data["note"],
            source=data["source"],
            expected_version=data["version"],
        ),
        _("The follow-up was recorded."),
    ),
    CaseAction(
        "set_owner",
        _("Owning leader"),
        case_forms.OwnerForm,
        policies.may_set_owner,
        lambda case, user, data: lifecycle.case_set_owner(
            case_id=case.pk, actor=user, leader=data["leader"], note=data["note"], expected_version=data["version"]
        ),
        _("The owning leader was saved."),
        form_needs_case=True,
    ),
    CaseAction(
        "handed_down",
        _("Handed down from above"),
        handed_down_forms.HandedDownForm,
        policies.may_record_handed_down,
        lambda case, user, data: (
            higher_authority.handed_down_record(
                case_id=case.pk,
                actor=user,
                data=higher_authority.HandedDownData(**{name: data[name] for name in handed_down_forms.ORDER_FIELDS}),
                expected_version=data["version"],
            ).case
        ),
        _("The case is recorded as handed down; the authority's date is chased like the other deadlines."),
    ),
    CaseAction(
        "interim_report",
        _("Record interim report"),
        handed_down_forms.InterimReportForm,
        policies.may_record_interim_report,
        lambda case, user, data: (
            higher_authority.interim_report_record(
                case_id=case.pk,
                actor=user,
                reported_on=data["reported_on"],
                text=data["text"],
                next_due=data["next_due"],
                expected_version=data["version"],
            ).handed_down.case
        ),
        _("The interim report was recorded."),
    ),
    CaseAction(
        "link",
        _("Link to another case"),
        joint_forms.LinkForm,
        policies.may_link,
        lambda case, user, data: (
            joint_handling.case_link(
                case_id=case.pk, actor=user, other_number=data["other_number"], kind=data["kind"], note=data["note"]
            ).case_a
        ),
        _("The cases are linked."),
    ),
    CaseAction(
        "merge",
        _("Merge into a main case (duplicate)"),
        joint_forms.MergeForm,
        policies.may_merge,
        lambda case, user, data: (
            joint_handling.case_merge(
                duplicate_id=case.pk,
                actor=user,
                main_number=data["main_number"],
                reason=data["reason"],
                expected_version=data["version"],
            ).duplicate
        ),
        _("The case was merged into the main case and closed."),
        style="danger",
        confirm=_("Close this case as a duplicate of the main case? Its petitioners and files go to the main case."),
    ),
    CaseAction(
        "void",
        _("Void (registered by mistake)"),
        case_forms.ReasonForm,
        policies.may_void,
        _with_reason(lifecycle.case_void),
        _("The registration is void and the case closed."),
        style="danger",
        confirm=_("Void this registration? The case is closed, not deleted."),
    ),
]


def _accept_with_part(case: Case, user: User, data: dict[str, Any]) -> Case:
    """受理 to the lead department and, if the form named one, a co-department's part: both or neither."""
    with transaction.atomic():
        case = lifecycle.case_accept(
            case_id=case.pk,
            actor=user,
            department=data["department"],
            note=data["note"],
            expected_version=data["version"],
        )
        if data.get("co_department") is not None:
            part = joint_handling.PartData(data["co_department"], data["co_task"], data["co_working_days"])
            case = joint_handling.part_assign(case_id=case.pk, actor=user, part=part).case
    return case


ACTIONS_BY_NAME = {action.name: action for action in ACTIONS}


def available_actions(case: Case, user: User) -> list[CaseAction]:
    return [action for action in ACTIONS if action.allowed(case, user)]
