"""The notices sent to a case's petitioners, as the case page lists them."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext

from petitions.identifiers import mask_email, mask_phone
from petitions.models import Case, NoticeChannel, PetitionerNotice, User
from petitions.selectors.cases import identity_allowed


def mask_notice_address(notice: PetitionerNotice) -> str:
    return mask_email(notice.address) if notice.channel == NoticeChannel.EMAIL else mask_phone(notice.address)


@dataclass(frozen=True)
class NoticeRow:
    event: str
    channel: str
    address: str  # masked; withheld where the viewer may not know who the petitioner is
    status: str
    failed: bool
    at: datetime


def case_notices_panel_context(case: Case, user: User) -> dict | None:
    """The case page's panel of notices to the petitioners: none, no panel."""
    notices = list(
        PetitionerNotice.objects.filter(case=case)
        .only("event", "channel", "address", "status", "created_at", "sent_at")
        .order_by("created_at", "pk")
    )
    if not notices:
        return None
    reveal = identity_allowed(user, case)
    rows = [
        NoticeRow(
            event=notice.get_event_display(),
            channel=notice.get_channel_display(),
            address=mask_notice_address(notice) if reveal else gettext("(withheld)"),
            status=notice.get_status_display(),
            failed=notice.status == PetitionerNotice.Status.FAILED,
            at=notice.sent_at or notice.created_at,
        )
        for notice in notices
    ]
    return {"notice_rows": rows}
