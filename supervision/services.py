"""Writes of supervision: open a matter, the department's reply and its head's sign-off, the office's
assessment (not accepted → further supervision), and recommendations with their written answers.

Each write locks its row, asks the policy again on the locked row, refuses a stale form (`version`),
logs on the case (petitions' one case-log writer) and notifies in the same transaction.
"""

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.errors import ActionNotAllowed, StaleCase
from petitions.models import Case, Department, Role, User
from petitions.policies import Decision
from petitions.services.attachments import validate_upload
from petitions.services.case_log import case_log
from petitions.services.notifications import notify, users_with_role
from supervision import policies
from supervision.clocks import clock_due
from supervision.models import ClockRule, Matter, MatterAttachment, Mode, Recommendation, Trigger

MAX_REPLY_FILES = 5
_STALE = _("Someone else changed this a moment ago. Nothing was saved; the page shows it as it is now.")


def _enforce(decision: Decision) -> None:
    if not decision:
        raise ActionNotAllowed(decision.reason)


@contextmanager
def _locked(model, pk: int, expected_version: int | None) -> Iterator:
    with transaction.atomic():
        row = model.objects.select_for_update().get(pk=pk)
        if expected_version is not None and row.version != expected_version:
            raise StaleCase(_STALE)
        yield row


def _department_people(department_id: int, case: Case | None = None) -> list[User]:
    heads = list(users_with_role(Role.DEPARTMENT_HEAD, department_id=department_id))
    handler = case.handler if case is not None and case.handler_id and case.department_id == department_id else None
    return [*([handler] if handler else []), *heads]


def _office_for(matter: Matter) -> list[User]:
    return [matter.supervisor] if matter.supervisor_id else list(users_with_role(Role.SUPERVISOR))


# --- Matters -----------------------------------------------------------------------------------------


def matter_open(
    *,
    case_id: int,
    actor: User,
    trigger: Trigger,
    mode: str,
    instructions: str = "",
    follows: Matter | None = None,
) -> Matter:
    """督办: a supervisor opens a matter on the case's department, with its reply due (ClockRule)."""
    if mode not in Mode.values:
        raise ValidationError({"mode": [_("Choose how the matter is supervised.")]})
    if not trigger.is_active:
        raise ValidationError({"trigger": [_("This trigger is no longer in use.")]})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        _enforce(policies.may_open_matter(case, actor))
        due = clock_due(ClockRule.Key.MATTER_REPLY, timezone.localdate())
        matter = Matter.objects.create(
            case=case,
            department_id=case.department_id,
            trigger=trigger,
            mode=mode,
            instructions=instructions.strip(),
            supervisor=actor,
            reply_due=due.due,
            reply_due_basis=due.explanation,
            follows=follows,
        )
        case_log(
            case,
            "supervision_open",
            actor=actor,
            note=matter.instructions,
            data={
                "matter": matter.pk,
                "trigger": trigger.code,
                "mode": mode,
                "reply_due": due.due.isoformat(),
                "follows": follows.pk if follows else None,
            },
        )
        notify(
            users=_department_people(case.department_id, case),
            case=case,
            kind="supervision_opened",
            params={"number": case.number, "due": due.due.isoformat()},
        )
    return matter


def matter_reply(
    *,
    matter_id: int,
    actor: User,
    text: str,
    uploads: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Matter:
    """The department's written reply (text and files); it goes to the office once its head signs it off."""
    text = (text or "").strip()
    errors: dict[str, list] = {}
    if not text:
        errors["text"] = [_("Write the reply.")]
    if len(uploads) > MAX_REPLY_FILES:
        errors["files"] = [_("At most %(count)d files.") % {"count": MAX_REPLY_FILES}]
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, *validate_upload(upload)))
        except ValidationError as error:
            errors.setdefault("files", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with _locked(Matter, matter_id, expected_version) as matter:
            _enforce(policies.may_reply(matter, actor))
            matter.reply_text, matter.replied_by, matter.replied_at = text, actor, timezone.now()
            matter.version += 1
            matter.save(update_fields=["reply_text", "replied_by", "replied_at", "version"])
            for upload, extension, mime in checked:
                upload.seek(0)
                content = upload.read()
                sha256 = hashlib.sha256(content).hexdigest()
                attachment = MatterAttachment(
                    matter=matter,
                    original_name=(upload.name or "")[:200],
                    extension=extension,
                    content_type=mime,
                    size=len(content),
                    sha256=sha256,
                    uploaded_by=actor,
                )
                attachment.file.save(f"{sha256}.{extension}", ContentFile(content), save=False)
                stored.append(attachment.file.name)
                attachment.save()
            case_log(
                matter.case,
                "supervision_reply",
                actor=actor,
                note=text,
                data={"matter": matter.pk, "files": len(checked)},
            )
    except BaseException:
        storage = MatterAttachment._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise
    return matter


def matter_sign_off(*, matter_id: int, actor: User, expected_version: int | None = None) -> Matter:
    """The department head signs the written reply off: it is sent to the office to be assessed."""
    with _locked(Matter, matter_id, expected_version) as matter:
        _enforce(policies.may_sign_off(matter, actor))
        matter.status, matter.signed_off_by, matter.signed_off_at = Matter.Status.REPLIED, actor, timezone.now()
        matter.version += 1
        matter.save(update_fields=["status", "signed_off_by", "signed_off_at", "version"])
        case = matter.case
        case_log(case, "supervision_sign_off", actor=actor, data={"matter": matter.pk})
        notify(users=_office_for(matter), case=case, kind="supervision_replied", params={"number": case.number})
    return matter


def matter_assess(
    *, matter_id: int, actor: User, accepted: bool, reason: str = "", expected_version: int | None = None
) -> Matter:
    """The office assesses the reply: accepted, or not accepted with a reason — then supervised further
    (a new matter on the same department, its own reply due)."""
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": [_("Say why the reply is not accepted.")]})
    with _locked(Matter, matter_id, expected_version) as matter:
        _enforce(policies.may_assess(matter, actor))
        matter.status = Matter.Status.ACCEPTED if accepted else Matter.Status.NOT_ACCEPTED
        matter.assessed_by, matter.assessed_at, matter.assessment_reason = actor, timezone.now(), reason
        matter.version += 1
        matter.save(update_fields=["status", "assessed_by", "assessed_at", "assessment_reason", "version"])
        case = matter.case
        case_log(
            case,
            "supervision_assess",
            actor=actor,
            note=reason,
            data={"matter": matter.pk, "accepted": accepted},
        )
        if accepted:
            notify(
                users=_department_people(matter.department_id),
                case=case,
                kind="supervision_accepted",
                params={"number": case.number},
            )
            return matter
        if case.department_id != matter.department_id:
            return matter  # the case has left that department: there is nobody to supervise further
        matter_open(
            case_id=case.pk,
            actor=actor,
            trigger=matter.trigger,
            mode=matter.mode,
            instructions=reason,
            follows=matter,
        )
    return matter


# --- Recommendations (改进工作建议) ----------------------------------------------------------------------


def recommendation_issue(
    *, department: Department, actor: User, text: str, grounds: str = "", case_numbers: Sequence[str] = ()
) -> Recommendation:
    """The office recommends an improvement to a department, which answers in writing within its clock."""
    if not policies.may_issue_recommendation(actor):
        raise ActionNotAllowed(_("Only the letters and visits office can do this."))
    text = (text or "").strip()
    errors: dict[str, list] = {}
    if not text:
        errors["text"] = [_("Write the recommendation.")]
    numbers = list(dict.fromkeys(number.strip() for number in case_numbers if number.strip()))
    cases = list(Case.objects.filter(number__in=numbers))
    missing = sorted(set(numbers) - {case.number for case in cases})
    if missing:
        errors["cases"] = [_("No case has the number %(numbers)s.") % {"numbers": ", ".join(missing)}]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        due = clock_due(ClockRule.Key.RECOMMENDATION_ANSWER, timezone.localdate())
        recommendation = Recommendation.objects.create(
            department=department,
            text=text,
            grounds=(grounds or "").strip(),
            issued_by=actor,
            answer_due=due.due,
            answer_due_basis=due.explanation,
        )
        recommendation.cases.set(cases)
        notify(
            users=users_with_role(Role.DEPARTMENT_HEAD, department_id=department.pk),
            case=None,
            kind="recommendation_issued",
            params={"due": due.due.isoformat()},
        )
    return recommendation


def recommendation_answer(
    *, recommendation_id: int, actor: User, text: str, adopted: bool | None, expected_version: int | None = None
) -> Recommendation:
    """The department's written answer (T22 art. 40 ¶4: 书面反馈采纳情况): adopted or not."""
    text = (text or "").strip()
    errors: dict[str, list] = {}
    if not text:
        errors["text"] = [_("Write the answer.")]
    if adopted is None:
        errors["adopted"] = [_("Say whether the recommendation is adopted.")]
    if errors:
        raise ValidationError(errors)
    with _locked(Recommendation, recommendation_id, expected_version) as recommendation:
        _enforce(policies.may_answer_recommendation(recommendation, actor))
        recommendation.answer_text, recommendation.adopted = text, adopted
        recommendation.answered_by, recommendation.answered_at = actor, timezone.now()
        recommendation.version += 1
        recommendation.save(update_fields=["answer_text", "adopted", "answered_by", "answered_at", "version"])
        notify(
            users=[recommendation.issued_by],
            case=None,
            kind="recommendation_answered",
            params={"department": recommendation.department.name},
        )
    return recommendation


def is_overdue(due: date, done: bool, today: date | None = None) -> bool:
    return not done and due < (today or timezone.localdate())
