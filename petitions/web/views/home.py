from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from petitions.selectors.dashboard import dashboard


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "petitions/home.html", {"sections": dashboard(request.user)})
