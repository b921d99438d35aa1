"""The front door at /: the staff's own start page for someone signed in, the public site's home for
anyone else (a petitioner has no login; the public header links to the staff login)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse

from petitions.web.views.home import home as staff_home
from public.views import home as public_home


@login_not_required
def front_door(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return staff_home(request)
    return public_home(request)
