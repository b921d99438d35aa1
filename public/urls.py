"""The public site's pages, all under /public/ (the home page is the front door at /)."""

from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submitted, name="submitted"),
    path("submit/captcha.svg", views.captcha_image, name="captcha"),
    path("channels/", views.channels, name="channels"),
    path("reception-days/", views.schedule, name="schedule"),
    path("scope/", views.scope, name="scope"),
    path("steps/", views.steps, name="steps"),
]
