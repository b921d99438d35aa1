from django.urls import path

from screening import views

app_name = "screening"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.entry_create, name="entry_create"),
    path("<int:entry_id>/", views.entry_detail, name="entry"),
    path("<int:entry_id>/step/", views.entry_step, name="entry_step"),
    path("<int:entry_id>/note/", views.entry_note, name="entry_note"),
    path("<int:entry_id>/link/", views.entry_link, name="entry_link"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("clusters/", views.clusters, name="clusters"),
    path("topics/", views.topics, name="topics"),
    path("topics/promote/", views.topic_promote, name="topic_promote"),
    path("topics/<int:topic_id>/", views.topic_detail, name="topic"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:meeting_id>/refer/", views.meeting_refer, name="meeting_refer"),
    path("meetings/<int:meeting_id>/decisions/", views.decision_add, name="decision_add"),
    path("meetings/<int:meeting_id>/print/", views.meeting_print, name="meeting_print"),
    path("meetings/<int:meeting_id>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("decisions/<int:decision_id>/", views.decision_follow_up, name="decision_follow_up"),
]
