from django.urls import path

from petitions.views import cases, home, inbox, lists, reception

urlpatterns = [
    path("", home.home, name="home"),
    path("cases/", lists.queue, name="case_queue"),
    path("cases/registered/", lists.registered, name="case_registered"),
    path("cases/department/", lists.department, name="case_department"),
    path("cases/owned/", lists.owned, name="case_owned"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/new/lookup/", cases.repeat_lookup, name="case_repeat_lookup"),
    path("cases/<str:number>/", cases.case_detail, name="case_detail"),
    path("cases/<str:number>/act/<str:action>/", cases.case_action, name="case_action"),
    path("cases/<str:number>/note/", cases.case_note, name="case_note"),
    path("cases/<str:number>/identity/", cases.case_identity, name="case_identity"),
    path("cases/<str:number>/receipt/", cases.case_receipt, name="case_receipt"),
    path("cases/<str:number>/attachments/", cases.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", cases.attachment_download, name="attachment_download"),
    path("reception/", reception.session_list, name="reception_list"),
    path("reception/<int:pk>/", reception.session_detail, name="reception_detail"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_mark_read, name="inbox_mark_read"),
]
