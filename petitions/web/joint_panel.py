"""The case page's panel of joint handling (主办/协办), linked cases and merges."""

from dataclasses import dataclass

from django.utils import timezone

from petitions import policies
from petitions.models import Attachment, Case, CaseLink, CasePart, User
from petitions.selectors.cases import attachment_visible, identity_allowed
from petitions.selectors.parts_and_links import (
    joint_facts,
    links_of_case,
    merged_duplicates,
    merged_into,
    standing_parts,
)
from petitions.selectors.scopes import in_department, is_office_staff
from petitions.web.joint_forms import PartRecordForm


@dataclass(frozen=True)
class PartRow:
    part: CasePart
    files: list[Attachment]
    may_record: bool
    overdue: bool


def joint_panel_context(case: Case, user: User) -> dict | None:
    """Parts, links and merges of `case` as `user` may see them; None when there is nothing to show.

    The office and the lead department see every part; a co-department sees its own only."""
    facts = joint_facts(case)
    if not facts:
        return None
    parts = standing_parts(case) if facts.has_parts else []
    if not (is_office_staff(user) or in_department(case, user)):
        parts = [part for part in parts if part.department_id == user.department_id]
    identity = identity_allowed(user, case) if parts else False
    today = timezone.localdate()
    rows = []
    for part in parts:
        part.case = case
        rows.append(
            PartRow(
                part=part,
                files=[a for a in part.attachments.all() if attachment_visible(user, a, identity=identity)],
                may_record=bool(policies.may_record_part(part, user)),
                overdue=part.is_open and part.due < today,
            )
        )
    links = links_of_case(user, case) if facts.has_links else []
    record, main_number = merged_into(user, case) if facts.has_merges else (None, "")
    duplicates = merged_duplicates(user, case) if facts.has_merges else []
    if not (rows or links or record or duplicates):
        return None
    return {
        "part_rows": rows,
        "links": links,
        "merge_record": record,
        "main_number": main_number,
        "duplicates": duplicates,
        "part_form": PartRecordForm(),
        "link_kinds": CaseLink.Kind.choices,
    }
