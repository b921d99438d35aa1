"""Joint handling (主办/协办), linked cases and merging a duplicate (并案).

Each change runs in one transaction on the locked case (as the lifecycle's services do), is logged on
the case (on both cases for a link and a merge) and tells whoever must act after the commit.
"""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.parts import MAX_PART_WORKING_DAYS, part_due, part_due_error
from petitions.errors import ActionNotAllowed, StaleCase
from petitions.models import (
    Attachment,
    Case,
    CaseLink,
    CaseLog,
    CaseMerge,
    CasePart,
    CasePetitioner,
    Department,
    LegalType,
    Role,
    State,
    User,
)
from petitions.selectors.scopes import can_view_case
from petitions.services.attachments import attachment_add, files_removed_on_failure, validate_upload
from petitions.services.case_log import case_log
from petitions.services.lifecycle import locked_case
from petitions.services.notifications import notify, users_with_role

Action = CaseLog.Action


def _enforce(decision: policies.Decision) -> None:
    if not decision:
        raise ActionNotAllowed(decision.reason)


def _bump(case: Case) -> None:
    """A new version of the case: a form shown before this change is stale."""
    case.version += 1
    case.save(update_fields=["version"])


# --- Parts (协办) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartData:
    department: Department
    task: str
    working_days: int


def part_assign(*, case_id: int, actor: User, part: PartData, expected_version: int | None = None) -> CasePart:
    """Give `part.department` a part of the case: what it must do, due `working_days` working days from
    today and not after the case's handling deadline. Its heads are told."""
    task = (part.task or "").strip()
    if not task:
        raise ActionNotAllowed(_("Say what the co-department must do."))
    if not 1 <= part.working_days <= MAX_PART_WORKING_DAYS:
        raise ActionNotAllowed(_("A part is due in 1 to %(max)d working days.") % {"max": MAX_PART_WORKING_DAYS})
    with locked_case(case_id, expected_version) as case:
        _enforce(policies.may_assign_part(case, actor))
        department = part.department
        if not department.is_active:
            raise ActionNotAllowed(_("This department no longer takes cases."))
        if department.pk == case.department_id:
            raise ActionNotAllowed(_("The lead department cannot also be a co-department of the case."))
        due = part_due(timezone.localdate(), part.working_days)
        error = part_due_error(due, handling_due=case.handling_due)
        if error:
            raise ActionNotAllowed(error)
        try:
            with transaction.atomic():
                row = CasePart.objects.create(
                    case=case,
                    department=department,
                    task=task,
                    working_days=part.working_days,
                    due=due,
                    assigned_by=actor,
                )
        except IntegrityError as error:  # the constraint: one standing part per department
            raise ActionNotAllowed(
                _("%(department)s already has a part of this case.") % {"department": department.name}
            ) from error
        _bump(case)
        case_log(
            case,
            Action.PART_ASSIGN,
            actor=actor,
            note=task,
            data={
                "part": row.pk,
                "department": department.pk,
                "department_name": department.name,
                "due": due.isoformat(),
            },
        )
        notify(
            users=users_with_role(Role.DEPARTMENT_HEAD, department_id=department.pk),
            case=case,
            kind="case_part_assigned",
            params={"number": case.number, "due": due.isoformat()},
        )
    return row


def part_record(*, part_id: int, actor: User, answer: str, uploads: list[UploadedFile] = ()) -> CasePart:
    """The co-department records what it did for its part, with its files (once). The lead is told."""
    answer = (answer or "").strip()
    if not answer:
        raise ActionNotAllowed(_("Write what your department did for its part."))
    for upload in uploads:  # every file checked before anything is stored
        validate_upload(upload)
    case_id = CasePart.objects.filter(pk=part_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise ActionNotAllowed(_("This part does not exist."))
    with files_removed_on_failure(), locked_case(case_id, None) as case:
        part = CasePart.objects.select_for_update().select_related("department").get(pk=part_id)
        part.case = case
        _enforce(policies.may_record_part(part, actor))
        files = [
            attachment_add(case=case, upload=upload, kind=Attachment.Kind.DOCUMENT, actor=actor, log=False)
            for upload in uploads
        ]
        part.answer = answer
        part.answered_by = actor
        part.answered_at = timezone.now()
        part.save(update_fields=["answer", "answered_by", "answered_at"])
        part.attachments.add(*files)
        _bump(case)
        case_log(
            case,
            Action.PART_ANSWER,
            actor=actor,
            note=answer,
            data={
                "part": part.pk,
                "department": part.department_id,
                "department_name": part.department.name,
                "late": part.answered_at.date() > part.due,
                "attachments": [a.pk for a in files],
                "names": [a.original_name for a in files],
            },
        )
        told = (
            User.objects.filter(pk=case.handler_id)
            if case.handler_id
            else users_with_role(Role.DEPARTMENT_HEAD, department_id=case.department_id)
        )
        notify(
            users=told,
            case=case,
            kind="case_part_answered",
            params={"number": case.number, "department": part.department.name},
        )
    return part


# --- Links ---------------------------------------------------------------------------------------------


def _other_case(actor: User, number: str) -> Case:
    """The case of `number` if `actor` may open it; the same message whether it exists or not."""
    other = Case.objects.filter(number=(number or "").strip().upper()).first()
    if other is None or not can_view_case(actor, other):
        raise ActionNotAllowed(_("No case %(number)s that you can open.") % {"number": number})
    return other


def case_link(*, case_id: int, actor: User, other_number: str, kind: str, note: str = "") -> CaseLink:
    """Link two cases (symmetric; for parent/child, this case is the parent). Logged on both."""
    if kind not in CaseLink.Kind.values:
        raise ActionNotAllowed(_("Choose the kind of link."))
    with locked_case(case_id, None) as case:
        _enforce(policies.may_link(case, actor))
        other = _other_case(actor, other_number)
        if other.pk == case.pk:
            raise ActionNotAllowed(_("A case cannot be linked to itself."))
        try:
            with transaction.atomic():
                link = CaseLink.objects.create(
                    case_a=case, case_b=other, kind=kind, note=note.strip(), created_by=actor
                )
        except IntegrityError as error:
            raise ActionNotAllowed(
                _("Cases %(a)s and %(b)s are already linked.") % {"a": case.number, "b": other.number}
            ) from error
        label = str(CaseLink.Kind(kind).label)
        case_log(case, Action.LINK, actor=actor, note=note, data={"other": other.number, "kind": kind, "label": label})
        case_log(other, Action.LINK, actor=actor, note=note, data={"other": case.number, "kind": kind, "label": label})
    return link


# --- Merge (并案) --------------------------------------------------------------------------------------


def _locked_pair(first_id: int, second_id: int) -> dict[int, Case]:
    """Both cases locked, always the lower id first: two merges of the same pair, either way round, wait
    for each other instead of deadlocking."""
    return {pk: Case.objects.select_for_update().get(pk=pk) for pk in sorted((first_id, second_id))}


def case_merge(
    *, duplicate_id: int, actor: User, main_number: str, reason: str, expected_version: int | None = None
) -> CaseMerge:
    """Close the duplicate into the main case: its petitioners and files are carried over to the main
    case, its standing parts end, both cases log it. The second of two merges at once is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionNotAllowed(_("Say why this case is a duplicate of the main case."))
    with files_removed_on_failure(), transaction.atomic():
        # Who may merge is decided before the main case is looked for (the same refusal as the button's);
        # it is asked again below, of the duplicate as locked.
        _enforce(policies.may_merge(Case.objects.get(pk=duplicate_id), actor))
        main_id = _other_case(actor, main_number).pk
        if main_id == duplicate_id:
            raise ActionNotAllowed(_("A case cannot be merged into itself."))
        cases = _locked_pair(duplicate_id, main_id)
        duplicate, main = cases[duplicate_id], cases[main_id]
        if expected_version is not None and duplicate.version != expected_version:
            raise StaleCase(
                _("Someone else changed this case a moment ago (it is now: %(state)s). Nothing was saved.")
                % {"state": duplicate.get_state_display()}
            )
        _enforce(policies.may_merge(duplicate, actor))
        if main.state == State.CLOSED:
            raise ActionNotAllowed(
                _("Case %(number)s is closed (%(closure)s): nothing can be merged into it.")
                % {"number": main.number, "closure": main.get_closure_display()}
            )
        # A department never learns who accused it (T22 30): an accuser's identity and files must not
        # reach a case its department may see the petitioners of.
        if duplicate.legal_type == LegalType.ACCUSATION and main.legal_type != LegalType.ACCUSATION:
            raise ActionNotAllowed(
                _(
                    "This case is an accusation and %(number)s is not: merging would show the accuser to the "
                    "department handling %(number)s. Link the cases instead."
                )
                % {"number": main.number}
            )
        source = duplicate.state
        petitioners = _carry_petitioners(duplicate, main)
        attachments = _carry_attachments(duplicate, main)
        now = timezone.now()
        CasePart.objects.filter(case=duplicate, withdrawn_at__isnull=True).update(withdrawn_at=now)
        duplicate.merge_into(reason=reason)
        duplicate.version += 1
        duplicate.save(update_fields=["state", "closure", "closing_reason", "closed_at", "version"])
        _bump(main)
        record = CaseMerge.objects.create(
            duplicate=duplicate,
            main=main,
            reason=reason,
            merged_by=actor,
            merged_at=now,
            petitioners_carried=petitioners,
            attachments_carried=attachments,
        )
        carried = {"petitioners": len(petitioners), "attachments": len(attachments)}
        case_log(
            duplicate,
            Action.MERGE,
            actor=actor,
            source_state=source,
            note=reason,
            data={"main": main.number, **carried},
        )
        case_log(main, Action.MERGED_IN, actor=actor, note=reason, data={"duplicate": duplicate.number, **carried})
    return record


def _carry_petitioners(duplicate: Case, main: Case) -> list[int]:
    """The duplicate's petitioners not yet on the main case join it as they were recorded (a person's
    confidentiality travels with their record, so the main case then withholds them from departments)."""
    present = set(CasePetitioner.objects.filter(case=main).values_list("petitioner_id", flat=True))
    position = max(CasePetitioner.objects.filter(case=main).values_list("position", flat=True), default=-1)
    carried = []
    for person in CasePetitioner.objects.filter(case=duplicate).order_by("position"):
        if person.petitioner_id in present:
            continue
        position += 1
        CasePetitioner.objects.create(
            case=main,
            petitioner_id=person.petitioner_id,
            role=CasePetitioner.Role.REPRESENTATIVE,
            position=position,
            name=person.name,
            gender=person.gender,
            id_number=person.id_number,
            phone=person.phone,
            address=person.address,
            email=person.email,
        )
        carried.append(person.petitioner_id)
    return carried


def _carry_attachments(duplicate: Case, main: Case) -> list[int]:
    """The duplicate's files, on the main case too (the same stored file, the same uploader and time)."""
    copies = [
        Attachment(
            case=main,
            kind=a.kind,
            file=a.file.name,
            original_name=a.original_name,
            extension=a.extension,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            uploaded_by_id=a.uploaded_by_id,
            uploaded_at=a.uploaded_at,
        )
        for a in Attachment.objects.filter(case=duplicate).order_by("pk")
    ]
    Attachment.objects.bulk_create(copies)
    return [a.pk for a in copies]
