"""Bulk actions on the cases selected in a queue.

Each case goes through the same lifecycle service as from its own page: its own transaction, its
own log row, its own notifications. One case refused does not stop the others; the result says,
case by case, what was done and why not.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from petitions.errors import ActionNotAllowed, CaseActionError
from petitions.models import Case, Department, User
from petitions.selectors.cases import default_department_for
from petitions.selectors.scopes import visible_cases
from petitions.services import lifecycle

MAX_BULK_CASES = 200


@dataclass(frozen=True)
class Selected:
    """A case ticked in a list, with the version the list showed (a changed case is refused)."""

    case_id: int
    version: int | None = None


@dataclass(frozen=True)
class BulkResult:
    case_id: int
    number: str
    ok: bool
    message: str


def _apply(
    *,
    actor: User,
    selection: list[Selected],
    act: Callable[[Case, Selected], object],
) -> list[BulkResult]:
    if len(selection) > MAX_BULK_CASES:
        raise ActionNotAllowed(_("Select at most %(max)d cases at a time.") % {"max": MAX_BULK_CASES})
    wanted = {item.case_id for item in selection}
    # Only cases the actor may see: another department's case is "not found", as its page would be.
    found = {
        case.pk: case
        for case in (
            visible_cases(actor)
            .filter(pk__in=wanted)
            .select_related("category__default_department", "category__parent__default_department")
            .only("number", "category")
        )
    }
    results = []
    for item in selection:
        case = found.get(item.case_id)
        if case is None:
            results.append(BulkResult(item.case_id, "", False, str(_("This case was not found."))))
            continue
        try:
            act(case, item)
        except CaseActionError as error:
            results.append(BulkResult(case.pk, case.number, False, str(error.message)))
        except ValidationError as error:
            results.append(BulkResult(case.pk, case.number, False, " ".join(error.messages)))
        else:
            results.append(BulkResult(case.pk, case.number, True, ""))
    return results


def cases_bulk_accept(
    *,
    actor: User,
    selection: list[Selected],
    department: Department | None,
    note: str = "",
) -> list[BulkResult]:
    """受理 and route each selected case: to `department`, or with None to its category's default department."""

    def accept(case: Case, item: Selected) -> None:
        target = department or default_department_for(case.category)
        if target is None:
            raise ActionNotAllowed(
                _("The category %(category)s has no default department; choose one.") % {"category": case.category}
            )
        lifecycle.case_accept(case_id=case.pk, actor=actor, department=target, note=note, expected_version=item.version)

    return _apply(actor=actor, selection=selection, act=accept)


def cases_bulk_assign_handler(
    *,
    actor: User,
    selection: list[Selected],
    handler: User,
    note: str = "",
) -> list[BulkResult]:
    """Give each selected case of the department to `handler`."""

    def assign(case: Case, item: Selected) -> None:
        lifecycle.case_assign_handler(
            case_id=case.pk, actor=actor, handler=handler, note=note, expected_version=item.version
        )

    return _apply(actor=actor, selection=selection, act=assign)
