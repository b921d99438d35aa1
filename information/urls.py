from django.urls import path

from information.returns import views as returns

app_name = "information"

urlpatterns = [
    path("returns/", returns.returns, name="returns"),
    path("returns/zero/", returns.zero_report, name="zero_report"),
    path("returns/new/", returns.return_new, name="return_new"),
    path("returns/<int:pk>/", returns.return_detail, name="return_detail"),
    path("returns/office/", returns.office, name="office"),
    path("special-periods/<int:pk>/", returns.special_period, name="special_period"),
    path("special-periods/<int:pk>/print/", returns.special_period_print, name="special_period_print"),
    path("special-periods/<int:pk>/pdf/", returns.special_period_pdf, name="special_period_pdf"),
]
