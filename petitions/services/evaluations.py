"""Evaluations 评价: the petitioner's own (online) and those staff record after asking (回访).

The satisfaction figures of the reports count these rows and nothing else.
"""

from django.utils.translation import gettext_lazy as _

from petitions.errors import ActionNotAllowed
from petitions.models import Case, CasePetitioner, Evaluation, Satisfaction, User


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
