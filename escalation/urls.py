from django.urls import path

from escalation import views

app_name = "escalation"

urlpatterns = [
    path("overdue/", views.board, name="board"),
    path("notices/<str:number>/", views.notice, name="notice"),
]
