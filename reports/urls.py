from django.urls import path

import petitions.web.converters  # noqa: F401 - registers <number:…>
from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("performance/", views.performance_page, name="performance"),
    path("performance/csv/", views.performance_csv, name="performance_csv"),
    path("performance/bulletin/", views.performance_bulletin, name="performance_bulletin"),
    path("annual/", views.annual_request, name="annual_request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/csv/<slug:table>/", views.table_csv, name="csv"),
    path("cases/<number:number>/report-back/issue/", views.report_back_issue, name="report_back_issue"),
    path("cases/<number:number>/report-back/issued.pdf", views.report_back_pdf, name="report_back_pdf"),
    path("cases/<number:number>/<slug:kind>/", views.case_document, name="case_document"),
]
