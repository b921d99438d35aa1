from django.urls import path

import petitions.web.converters  # noqa: F401 - registers <number:…>
from petitions.web.views import (
    callback_queue,
    case_pages,
    handed_down_cases,
    identity_log,
    inbox_page,
    joint_pages,
    lists,
    reception_days,
)

urlpatterns = [
    path("cases/", lists.case_list, {"list_name": "queue"}, name="case_queue"),
    path("cases/registered/", lists.case_list, {"list_name": "registered"}, name="case_registered"),
    path("cases/department/", lists.case_list, {"list_name": "department"}, name="case_department"),
    path("cases/owned/", lists.case_list, {"list_name": "owned"}, name="case_owned"),
    path("cases/export.csv", lists.case_export, {"list_name": "queue"}, name="case_queue_export"),
    path("cases/registered/export.csv", lists.case_export, {"list_name": "registered"}, name="case_registered_export"),
    path("cases/department/export.csv", lists.case_export, {"list_name": "department"}, name="case_department_export"),
    path("cases/owned/export.csv", lists.case_export, {"list_name": "owned"}, name="case_owned_export"),
    path("cases/bulk/", lists.case_bulk, name="case_bulk"),
    path("cases/handed-down/", handed_down_cases.handed_down_list, name="handed_down_list"),
    path("callbacks/", callback_queue.callback_queue, name="callback_queue"),
    path("cases/new/", case_pages.case_create, name="case_create"),
    path("cases/new/lookup/", case_pages.repeat_lookup, name="case_repeat_lookup"),
    path("cases/<number:number>/", case_pages.case_detail, name="case_detail"),
    path("cases/<number:number>/act/<str:action>/", case_pages.case_action, name="case_action"),
    path("cases/<number:number>/note/", case_pages.case_note, name="case_note"),
    path("cases/<number:number>/identity/", case_pages.case_identity, name="case_identity"),
    path("cases/<number:number>/receipt/", case_pages.case_receipt, name="case_receipt"),
    path("cases/<number:number>/attachments/", case_pages.attachment_upload, name="attachment_upload"),
    path("parts/<int:pk>/", joint_pages.case_part_record, name="case_part_record"),
    path("attachments/<int:pk>/", case_pages.attachment_download, name="attachment_download"),
    path("reception/", reception_days.session_list, name="reception_list"),
    path("reception/<int:pk>/", reception_days.session_detail, name="reception_detail"),
    path("inbox/", inbox_page.inbox, name="inbox"),
    path("inbox/read/", inbox_page.inbox_mark_read, name="inbox_mark_read"),
    path("audit/identity/", identity_log.identity_audit, name="identity_audit"),
]
