"""Cases handed down from a higher authority (交办件): the order, interim reports, the report back.

Each write locks the case like petitions' other services (`lifecycle.locked_case`), asks the policy
again on the locked row, bumps the case's version and writes the case log in the same transaction.

At intake, the view registers the case with `intake.case_register` and, in the same transaction,
records the order with `handed_down_record` (the registering clerk may).
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.date_windows import handed_down_date_errors, record_date_error
from petitions.errors import ActionNotAllowed
from petitions.models import Case, CaseLog, HandedDown, InterimReport, Role, User
from petitions.services.case_log import case_log
from petitions.services.lifecycle import locked_case
from petitions.services.notifications import department_leads, notify, users_with_role


@dataclass(frozen=True)
class HandedDownData:
    authority: str
    reference: str
    handed_down_on: date
    due: date
    interim_reports_required: bool = False
    interim_report_due: date | None = None


def _refuse_unless(decision: policies.Decision) -> None:
    if not decision:
        raise ActionNotAllowed(decision.reason)


def validate_handed_down_data(data: HandedDownData) -> dict[str, list]:
    """Field name → messages; empty when the order can be recorded (the uniqueness of the reference too)."""
    errors: dict[str, list] = {}
    authority, reference = data.authority.strip(), data.reference.strip()
    if not authority:
        errors["authority"] = [_("Name the authority that handed the case down.")]
    if not reference:
        errors["reference"] = [_("Give the authority's reference number.")]
    for field, message in handed_down_date_errors(
        handed_down_on=data.handed_down_on, due=data.due, interim_report_due=data.interim_report_due
    ).items():
        errors.setdefault(field, []).append(message)
    if data.interim_report_due and not data.interim_reports_required:
        errors.setdefault("interim_report_due", []).append(
            _("Tick “interim reports asked for” to give the date of the first one.")
        )
    if authority and reference and HandedDown.objects.filter(authority=authority, reference=reference).exists():
        errors.setdefault("reference", []).append(_("This authority's reference is already recorded on another case."))
    return errors


def handed_down_record(
    *, case_id: int, actor: User, data: HandedDownData, expected_version: int | None = None
) -> HandedDown:
    """交办: the case came from a higher authority with its reference and the date to report back by."""
    errors = validate_handed_down_data(data)
    if errors:
        raise ValidationError(errors)
    with locked_case(case_id, expected_version) as case:
        _refuse_unless(policies.may_record_handed_down(case, actor))
        try:
            with transaction.atomic():
                order = HandedDown.objects.create(
                    case=case,
                    authority=data.authority.strip(),
                    reference=data.reference.strip(),
                    handed_down_on=data.handed_down_on,
                    due=data.due,
                    interim_reports_required=data.interim_reports_required,
                    interim_report_due=data.interim_report_due if data.interim_reports_required else None,
                    recorded_by=actor,
                )
        except IntegrityError:  # the same reference recorded by someone else a moment ago
            raise ValidationError(
                {"reference": [_("This authority's reference is already recorded on another case.")]}
            ) from None
        case.handed_down = order
        _bump(case)
        case_log(
            case,
            CaseLog.Action.HANDED_DOWN,
            actor=actor,
            data={
                "authority": order.authority,
                "reference": order.reference,
                "handed_down_on": order.handed_down_on.isoformat(),
                "due": order.due.isoformat(),
                "interim_reports_required": order.interim_reports_required,
            },
        )
        if not actor.has_perm("petitions.route_case"):  # a clerk registered it: the office routes it
            notify(
                users=users_with_role(Role.SUPERVISOR),
                case=case,
                kind="handed_down",
                params={"number": case.number, "authority": order.authority, "due": order.due.isoformat()},
            )
    return order


def interim_report_record(
    *,
    case_id: int,
    actor: User,
    reported_on: date,
    text: str,
    next_due: date | None = None,
    expected_version: int | None = None,
) -> InterimReport:
    """阶段性报告: what was reported to the authority and when; `next_due` is the next one asked for."""
    text = (text or "").strip()
    errors: dict[str, list] = {}
    if not text:
        errors["text"] = [_("Say what was reported.")]
    if reported_on > timezone.localdate():
        errors["reported_on"] = [_("A report cannot be dated in the future.")]
    elif error := record_date_error(reported_on):
        errors["reported_on"] = [error]
    if next_due is not None and next_due < reported_on:
        errors["next_due"] = [_("The next report cannot be due before this one.")]
    elif next_due is not None and (error := record_date_error(next_due)):
        errors["next_due"] = [error]
    if errors:
        raise ValidationError(errors)
    with locked_case(case_id, expected_version) as case:
        _refuse_unless(policies.may_record_interim_report(case, actor))
        order = HandedDown.objects.select_for_update().get(case=case)
        if reported_on < order.handed_down_on:
            raise ValidationError({"reported_on": [_("The report cannot be dated before the case was handed down.")]})
        report = InterimReport.objects.create(handed_down=order, reported_on=reported_on, text=text, recorded_by=actor)
        order.interim_report_due = next_due
        order.save(update_fields=["interim_report_due"])
        case.handed_down = order
        _bump(case)
        case_log(
            case,
            CaseLog.Action.INTERIM_REPORT,
            actor=actor,
            note=text,
            data={"reported_on": reported_on.isoformat(), "next_due": next_due.isoformat() if next_due else None},
        )
    return report


def report_back_record(*, case_id: int, actor: User, pdf: bytes, expected_version: int | None = None) -> HandedDown:
    """办结报告 issued: the PDF as sent is kept, the authority's deadline is met (the ladder stops)."""
    with locked_case(case_id, expected_version) as case:
        _refuse_unless(policies.may_issue_report_back(case, actor))
        order = HandedDown.objects.select_for_update().get(case=case)
        digest = hashlib.sha256(pdf).hexdigest()
        order.report_file.save(f"{case.number}-report-back-{digest[:12]}.pdf", ContentFile(pdf), save=False)
        order.report_sha256 = digest
        order.report_issued_at = timezone.now()
        order.report_issued_by = actor
        order.save(update_fields=["report_file", "report_sha256", "report_issued_at", "report_issued_by"])
        case.handed_down = order  # what the case log's listeners read is the order as issued
        _bump(case)
        case_log(
            case,
            CaseLog.Action.REPORT_BACK,
            actor=actor,
            data={"authority": order.authority, "reference": order.reference, "sha256": digest, "size": len(pdf)},
        )
        if case.department_id:
            notify(
                users=department_leads(case),
                case=case,
                kind="report_back_issued",
                params={"number": case.number, "authority": order.authority},
            )
    return order


def _bump(case: Case) -> None:
    case.version += 1
    case.save(update_fields=["version"])
