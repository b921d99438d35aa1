"""Joint handling on the case page: the co-department records its part (with files). Thin: the form
cleans, the service acts; linking, merging and giving parts are the case page's actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from petitions.errors import CaseActionError
from petitions.models import CasePart
from petitions.selectors import cases as selectors
from petitions.services.joint_handling import part_record
from petitions.web.joint_forms import PartRecordForm


@require_POST
def case_part_record(request: HttpRequest, pk: int) -> HttpResponse:
    number = CasePart.objects.filter(pk=pk).values_list("case__number", flat=True).first()
    if number is None:
        raise Http404
    case = selectors.case_for_user(request.user, number)  # 404 for a case the user cannot see
    form = PartRecordForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("case_detail", number=case.number)
    try:
        part_record(
            part_id=pk, actor=request.user, answer=form.cleaned_data["answer"], uploads=form.cleaned_data["files"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except CaseActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your department's part was recorded; the lead department is told."))
    return redirect("case_detail", number=case.number)
