"""The public site's pages, all under /public/ (the home page is the front door at /)."""

from django.urls import path

from public import tracking, views

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
    path("track/", tracking.track, name="track"),
    path("track/case/<str:code>/", tracking.track_case, name="track_case"),
    path("track/case/<str:code>/documents/<str:kind>/", tracking.track_document, name="track_document"),
    path("track/case/<str:code>/material/", tracking.track_material, name="track_material"),
    path("track/case/<str:code>/evaluate/", tracking.track_evaluate, name="track_evaluate"),
    path("track/case/<str:code>/review/", tracking.track_review, name="track_review"),
]
