"""The case page's supervision panel: the case's matters and documents, and the form to open a matter."""

from django.utils import timezone

from petitions.models import Case, User
from supervision import policies, selectors
from supervision.forms import MatterOpenForm


def case_panel_context(case: Case, user: User) -> dict | None:
    matters = selectors.case_matters(case, user)
    documents = selectors.case_documents(case, user)
    may_open = policies.may_open_matter(case, user)
    if not (matters or documents or may_open):
        return None
    return {
        "matters": matters,
        "documents": documents,
        "open_form": MatterOpenForm(prefix="supervision") if may_open else None,
        "today": timezone.localdate(),
    }
