import ipaddress

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from petitions.web.forms import LoginForm
from petitions.web.health import health, may_see_details


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


def admin_login_redirect(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin site has no login form of its own: staff log in through the portal."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    ok, checks = health(details=may_see_details(request))
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None):
    """django-axes calls this when an (account, address) pair has failed too often."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def client_address(request: HttpRequest) -> str:
    """The address django-axes counts failed logins against (AXES_CLIENT_IP_CALLABLE).

    Without trusted proxies it is the connection's address: X-Forwarded-For is whatever the client
    wrote. Behind N trusted proxies each appends the address it saw, so the N-th entry from the right
    is the one the outermost proxy saw; entries left of it are the client's own. A header too short
    for that, or an entry that is no address, did not come the proxies' way: the connection counts.
    """
    connection = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return connection
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < proxies:
        return connection
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return connection
