from django.urls import path

import petitions.web.converters  # noqa: F401 - registers <number:…>
from supervision import views

app_name = "supervision"

urlpatterns = [
    path("matters/", views.matter_list, name="matters"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("reply-files/<int:pk>/", views.matter_attachment, name="matter_attachment"),
    path("cases/<number:number>/open/", views.matter_open, name="matter_open"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/pdf/", views.document_download, name="document_pdf"),
    path("counts/", views.counts, name="counts"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
]
