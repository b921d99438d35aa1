"""Attachments: checked by content (not by name), size-limited, stored once per content under its checksum."""

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.db.locks import transaction_lock
from petitions.errors import ActionNotAllowed
from petitions.models import Attachment, Case, CaseLog, Role, User
from petitions.services.case_log import case_log
from petitions.services.lifecycle import locked_case
from petitions.services.notifications import notify, users_with_role

logger = logging.getLogger(__name__)

# File-name extensions that may stand for each detected kind.
_EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg"}, "tif": {"tif", "tiff"}}


def validate_upload(upload: UploadedFile) -> tuple[str, str]:
    """(extension, MIME type) of an acceptable upload, or ValidationError saying what is wrong."""
    allowed = [kind.lower() for kind in settings.ATTACHMENT_ALLOWED_TYPES]
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": upload.name}, code="empty")
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is %(size)s; at most %(max)s is accepted.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = filetype.guess(head)
    claimed = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if detected is None or detected.extension not in allowed:
        raise ValidationError(
            _("The file %(name)s is not of an accepted kind (%(kinds)s).")
            % {"name": upload.name, "kinds": ", ".join(allowed)},
            code="type",
        )
    if claimed not in _EXTENSION_ALIASES.get(detected.extension, {detected.extension}):
        raise ValidationError(
            _("The file %(name)s is named .%(claimed)s but its content is %(actual)s.")
            % {"name": upload.name, "claimed": claimed or "?", "actual": detected.extension},
            code="disguised",
        )
    return detected.extension, detected.mime


# The files stored by the block of `files_removed_on_failure` that is running, if one is.
_stored_files: ContextVar[list[str] | None] = ContextVar("stored_attachment_files", default=None)


@contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Files stored inside the block are removed again if the block fails, as their rows are rolled back.

    Wrap the whole transaction in it: a file stays only beside the row that names it. Only files the
    block stored itself are candidates, and only those no row names after the rollback: a file of
    the same content that committed attachments share is never among them. (A crash between storing
    and committing can still leave a file behind, never a row without its file.)
    """
    stored: list[str] = []
    token = _stored_files.set(stored)
    try:
        yield
    except BaseException:
        _remove_unreferenced(stored)
        raise
    finally:
        _stored_files.reset(token)


def _remove_unreferenced(names: list[str]) -> None:
    if not names:
        return
    try:
        referenced = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
    except DatabaseError:
        logger.warning("Could not check who uses %s after a failed transaction; the files are kept.", names)
        return
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if name not in referenced:
            storage.delete(name)


def case_attach(*, case_id: int, upload: UploadedFile, kind: str, actor: User) -> Attachment:
    """Add a file to an open case, logged on the case."""
    with files_removed_on_failure(), locked_case(case_id, None) as case:
        decision = policies.may_attach(case, actor)
        if not decision:
            raise ActionNotAllowed(decision.reason)
        return attachment_add(case=case, upload=upload, kind=kind, actor=actor)


def case_add_petitioner_material(
    *, case_id: int, message: str, uploads: list[UploadedFile], actor: User
) -> list[Attachment]:
    """补充材料: the petitioner's message and files on an open case, logged as one entry, and who
    answers for the case told: its handler, else the department's heads, else the office's supervisors.

    `actor` is the public site's account (the files' uploader); the entry says it came from the petitioner.
    """
    message = (message or "").strip()
    if not message and not uploads:
        raise ActionNotAllowed(_("Write a message or add a file."))
    for upload in uploads:  # every file checked before anything is stored
        validate_upload(upload)
    with files_removed_on_failure(), locked_case(case_id, None) as case:
        decision = policies.may_petitioner_add_material(case)
        if not decision:
            raise ActionNotAllowed(decision.reason)
        added = [
            attachment_add(case=case, upload=upload, kind=Attachment.Kind.DOCUMENT, actor=actor, log=False)
            for upload in uploads
        ]
        case_log(
            case,
            CaseLog.Action.PETITIONER_MATERIAL,
            actor=actor,
            note=message,
            data={"by": "petitioner", "attachments": [a.pk for a in added], "names": [a.original_name for a in added]},
        )
        if case.handler_id is not None:
            told = User.objects.filter(pk=case.handler_id)
        elif case.department_id is not None:
            told = users_with_role(Role.DEPARTMENT_HEAD, department_id=case.department_id)
        else:
            told = users_with_role(Role.SUPERVISOR)
        notify(users=told, case=case, kind="petitioner_material", params={"number": case.number})
    return added


def _stored_file_of(sha256: str, extension: str) -> str | None:
    """The stored file an attachment of this content already names (and that is still there), if any."""
    storage = Attachment._meta.get_field("file").storage
    names = Attachment.objects.filter(sha256=sha256, extension=extension).values_list("file", flat=True)
    return next((name for name in names.order_by("file").distinct()[:5] if storage.exists(name)), None)


def attachment_add(*, case: Case, upload: UploadedFile, kind: str, actor: User, log: bool = True) -> Attachment:
    """Store `upload` on `case`, inside the transaction that owns the case change (intake, case_attach),
    which has checked who may add it; `log` False: that transaction's own log entry says so."""
    extension, mime = validate_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        kind=kind,
        original_name=PurePath(upload.name).name[:200],
        extension=extension,
        content_type=mime,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    # One transaction at a time per content: a second upload of the same bytes waits for the first
    # to commit (and then shares its file) or to roll back (and then stores its own).
    transaction_lock(f"attachment:{attachment.sha256}")
    existing = _stored_file_of(attachment.sha256, extension)
    if existing is not None:
        attachment.file.name = existing
    else:
        # The storage never overwrites (it picks a free name): a freshly stored file is this transaction's alone.
        attachment.file.save(f"upload.{extension}", upload, save=False)
        stored = _stored_files.get()
        if stored is not None:
            stored.append(attachment.file.name)
    attachment.save()
    if log:
        case_log(
            case,
            CaseLog.Action.ATTACH,
            actor=actor,
            data={"attachment": attachment.pk, "name": attachment.original_name, "sha256": attachment.sha256},
        )
    return attachment
