from django.urls import path

import petitions.web.converters  # noqa: F401 - registers <number:…>
from escalation import views

app_name = "escalation"

urlpatterns = [
    path("overdue/", views.board, name="board"),
    path("notices/<number:number>/", views.notice, name="notice"),
]
