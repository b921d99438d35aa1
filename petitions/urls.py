from django.urls import path

import petitions.converters  # noqa: F401 - registers <number:…>
from petitions.views import audit, cases, home, inbox, lists, reception

urlpatterns = [
    path("", home.home, name="home"),
    path("cases/", lists.case_list, {"list_name": "queue"}, name="case_queue"),
    path("cases/registered/", lists.case_list, {"list_name": "registered"}, name="case_registered"),
    path("cases/department/", lists.case_list, {"list_name": "department"}, name="case_department"),
    path("cases/owned/", lists.case_list, {"list_name": "owned"}, name="case_owned"),
    path("cases/export.csv", lists.case_export, {"list_name": "queue"}, name="case_queue_export"),
    path("cases/registered/export.csv", lists.case_export, {"list_name": "registered"}, name="case_registered_export"),
    path("cases/department/export.csv", lists.case_export, {"list_name": "department"}, name="case_department_export"),
    path("cases/owned/export.csv", lists.case_export, {"list_name": "owned"}, name="case_owned_export"),
    path("cases/bulk/", lists.case_bulk, name="case_bulk"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/new/lookup/", cases.repeat_lookup, name="case_repeat_lookup"),
    path("cases/<number:number>/", cases.case_detail, name="case_detail"),
    path("cases/<number:number>/act/<str:action>/", cases.case_action, name="case_action"),
    path("cases/<number:number>/note/", cases.case_note, name="case_note"),
    path("cases/<number:number>/identity/", cases.case_identity, name="case_identity"),
    path("cases/<number:number>/receipt/", cases.case_receipt, name="case_receipt"),
    path("cases/<number:number>/attachments/", cases.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", cases.attachment_download, name="attachment_download"),
    path("reception/", reception.session_list, name="reception_list"),
    path("reception/<int:pk>/", reception.session_detail, name="reception_detail"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("audit/identity/", audit.identity_audit, name="identity_audit"),
]
