"""The public site's pages, all under /public/ (the home page is the front door at /)."""

from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
]
