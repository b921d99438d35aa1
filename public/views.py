from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from public.navigation import public_nav


def public_render(request: HttpRequest, template: str, context: dict | None = None, **kwargs) -> HttpResponse:
    """Render a public page: its header links, and never cached by a shared proxy (a page may show what
    the petitioner just typed)."""
    response = render(request, template, {"public_nav": public_nav(request), **(context or {})}, **kwargs)
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    return public_render(request, "public/home.html")
