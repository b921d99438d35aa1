"""Reception sessions (领导接待日): a leader's days of receiving visitors, and the visits of each."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from petitions import policies
from petitions.models import ReceptionSession
from petitions.selectors.scopes import visible_cases
from petitions.services.reception import reception_session_plan
from petitions.web.forms import ReceptionSessionForm


@require_http_methods(["GET", "POST"])
def session_list(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_reception_sessions(request.user):
        raise PermissionDenied
    form = None
    if policies.may_plan_reception_sessions(request.user):
        form = ReceptionSessionForm(
            request.POST or None, initial={"date": timezone.localdate(), "leader": request.user.pk}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                session = reception_session_plan(
                    actor=request.user,
                    leader=data["leader"],
                    date=data["date"],
                    place=data["place"],
                    topic=data["topic"],
                )
            except ValidationError as error:
                form.add_error(None, error)  # each message beside its field
            else:
                messages.success(request, _("The reception session was planned."))
                return redirect("reception_detail", pk=session.pk)
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    sessions = ReceptionSession.objects.select_related("leader")
    return render(
        request,
        "petitions/reception_list.html",
        {
            "form": form,
            "upcoming": sessions.filter(date__gte=today).order_by("date")[:50],
            "past": sessions.filter(date__lt=today).order_by("-date")[:50],
        },
    )


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not policies.may_see_reception_sessions(request.user):
        raise PermissionDenied
    session = get_object_or_404(ReceptionSession.objects.select_related("leader"), pk=pk)
    cases = (
        visible_cases(request.user)
        .filter(reception_session=session)
        .select_related("category", "department")
        .order_by("received_at")
    )
    return render(request, "petitions/reception_detail.html", {"session": session, "cases": cases})
