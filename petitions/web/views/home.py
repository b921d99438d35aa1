from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from petitions.clocks import urgency
from petitions.extensions import render_home_sections
from petitions.selectors.dashboard import dashboard, department_load, my_cases_by_deadline


def home(request: HttpRequest) -> HttpResponse:
    """The start page: the role's count tiles, the handler's cases by deadline, the department's load, and the
    sections other apps register (charts, liaison units)."""
    context = {
        "sections": dashboard(request.user),
        "my_cases": my_cases_by_deadline(request.user),
        "load": department_load(request.user),
        "due_soon_label": urgency.due_soon_label(),
        "first_sections": render_home_sections(request, above_tiles=True),
        "extra_sections": render_home_sections(request),
    }
    return render(request, "petitions/home.html", context)
