from .calendar import CalendarOverride, CalendarYear, DeadlineRecomputation, DeadlineRule, HolidayNoticeImport
from .callback import Callback
from .case import Attachment, Case, CaseLog, CasePetitioner, CaseSequence, IdentityAccess, ReceptionSession
from .choices import (
    COLLECTIVE_HEADCOUNT,
    DUE_FIELDS,
    MAX_EXTENSION_DAYS,
    MAX_REPRESENTATIVES,
    OPEN_STATES,
    STATUTORY_CLOCKS,
    Channel,
    Clock,
    Closure,
    LegalType,
    Outcome,
    Purpose,
    Role,
    Satisfaction,
    Solved,
    State,
)
from .evaluation import Evaluation
from .handed_down import HandedDown, InterimReport
from .inbox import Notification
from .jobs import JobLease
from .joint import CaseLink, CaseMerge, CasePart
from .notice import DEFAULT_NOTICE_TEXTS, NoticeChannel, NoticeEvent, NoticeText, PetitionerNotice
from .outbox import TaskOutbox
from .people import Petitioner, User
from .reference import Category, Department, Region

__all__ = [
    "COLLECTIVE_HEADCOUNT",
    "DEFAULT_NOTICE_TEXTS",
    "DUE_FIELDS",
    "MAX_EXTENSION_DAYS",
    "MAX_REPRESENTATIVES",
    "OPEN_STATES",
    "STATUTORY_CLOCKS",
    "Attachment",
    "CalendarOverride",
    "CalendarYear",
    "Callback",
    "Case",
    "CaseLink",
    "CaseLog",
    "CaseMerge",
    "CasePart",
    "CasePetitioner",
    "CaseSequence",
    "Category",
    "Channel",
    "Clock",
    "Closure",
    "DeadlineRecomputation",
    "DeadlineRule",
    "Department",
    "Evaluation",
    "HandedDown",
    "HolidayNoticeImport",
    "IdentityAccess",
    "InterimReport",
    "JobLease",
    "LegalType",
    "NoticeChannel",
    "NoticeEvent",
    "NoticeText",
    "Notification",
    "Outcome",
    "Petitioner",
    "PetitionerNotice",
    "Purpose",
    "ReceptionSession",
    "Region",
    "Role",
    "Satisfaction",
    "Solved",
    "State",
    "TaskOutbox",
    "User",
]
