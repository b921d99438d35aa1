from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

import petitions.web.converters  # noqa: F401 - registers <number:…>
from config.front_door import front_door
from petitions.web.views import accounts
from public import staff_views as public_staff_views

admin.site.site_header = _("Petition Desk administration")
admin.site.site_title = _("Petition Desk")
# Admin pages need the portal's login too (and its throttling): no second login form.
admin.site.login = accounts.admin_login_redirect

urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", accounts.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("escalation/", include("escalation.urls")),
    path("supervision/", include("supervision.urls")),
    path("reports/", include("reports.urls")),
    path("information/", include("information.urls")),
    path("screening/", include("screening.urls")),
    path("public/", include("public.urls")),
    path("api/v1/", include(("integrations.urls", "api-v1"), namespace="api-v1")),
    path("", front_door, name="home"),
    # On the staff's case page, from the public site's app: petitions knows nothing of it.
    path("cases/<number:number>/tracking-lock/", public_staff_views.tracking_unlock, name="tracking_unlock"),
    path("", include("petitions.urls")),
]

handler400 = "petitions.web.views.error_pages.bad_request"
handler403 = "petitions.web.views.error_pages.permission_denied"
handler404 = "petitions.web.views.error_pages.page_not_found"
handler500 = "petitions.web.views.error_pages.server_error"
