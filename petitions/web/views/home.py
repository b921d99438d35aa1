from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from petitions.extensions import render_home_panels
from petitions.selectors.dashboard import dashboard


def home(request: HttpRequest) -> HttpResponse:
    context = {"sections": dashboard(request.user), "panels": render_home_panels(request)}
    return render(request, "petitions/home.html", context)
