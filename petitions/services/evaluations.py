"""Evaluations 评价: the petitioner's own (online) and those staff record after asking (回访).

The satisfaction figures of the reports count these rows and nothing else.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.errors import ActionNotAllowed
from petitions.models import Case, CaseLog, CasePetitioner, Evaluation, Satisfaction, User
from petitions.services.case_log import case_log


def evaluation_record(
    *,
    case: Case,
    level: str,
    source: str,
    entered_by: User | None,
    comment: str = "",
    case_petitioner: CasePetitioner | None = None,
) -> Evaluation:
    """One evaluation of `case`, inside the caller's transaction (which holds the case's lock)."""
    if level not in Satisfaction.values:
        raise ActionNotAllowed(_("Choose how satisfied you are."))
    if source not in Evaluation.Source.values:
        raise ActionNotAllowed(_("Say how the evaluation was given."))
    return Evaluation.objects.create(
        case=case,
        case_petitioner=case_petitioner,
        level=level,
        source=source,
        entered_by=entered_by,
        comment=(comment or "").strip()[:2000],
    )


def case_evaluate_online(*, case_id: int, case_petitioner_id: int, level: str, comment: str, actor: User) -> Evaluation:
    """The petitioner's own evaluation, once per petitioner and case (the database refuses a second).

    `actor` is the public site's account, written on the case log; the evaluation itself has no
    `entered_by` (nobody entered it for the petitioner).
    """
    from petitions.services.lifecycle import locked_case

    try:
        with locked_case(case_id, None) as case:
            decision = policies.may_petitioner_evaluate(case)
            if not decision:
                raise ActionNotAllowed(decision.reason)
            person = CasePetitioner.objects.get(pk=case_petitioner_id, case=case)
            if Evaluation.objects.filter(case=case, case_petitioner=person).exists():
                raise ActionNotAllowed(_("You have already evaluated the handling of this matter."))
            with transaction.atomic():
                evaluation = evaluation_record(
                    case=case,
                    level=level,
                    source=Evaluation.Source.ONLINE,
                    entered_by=None,
                    comment=comment,
                    case_petitioner=person,
                )
            case_log(case, CaseLog.Action.EVALUATE, actor=actor, data={"satisfaction": level, "source": "online"})
    except IntegrityError as error:  # two submits at once: the unique constraint decided
        raise ActionNotAllowed(_("You have already evaluated the handling of this matter.")) from error
    return evaluation
