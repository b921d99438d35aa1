"""The in-app inbox: rows written in the same transaction as the event, e-mail sent after commit.

The e-mail task is recorded in the task outbox in that same transaction (petitions.services.task_queue):
if the broker is away at the commit, or the process dies right after it, the relay hands it over later.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from petitions import caching
from petitions.db.bulk_insert import insert_many
from petitions.models import Case, Notification, Role, User
from petitions.services.task_queue import tasks_enqueue

EMAIL_TASK_CHUNK = 500  # notification ids per e-mail task


def notify(*, users: Iterable[User], case: Case | None, kind: str, params: dict | None = None) -> list[Notification]:
    """Put a notification of `kind` in each user's inbox; their e-mail copy goes out after the commit."""
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [Notification(recipient_id=pk, case=case, kind=kind, params=params or {}) for pk in recipients]
    )
    _email_after_commit([notification.pk for notification in notifications if notification.pk is not None])
    caching.inbox_changed(recipients)
    return notifications


@dataclass(frozen=True)
class Message:
    """One notification of `kind` about `case_id` to each of `recipient_ids` (active users)."""

    recipient_ids: Iterable[int]
    case_id: int | None
    kind: str
    params: dict


def notify_bulk(messages: Iterable[Message]) -> list[int]:
    """Many notifications in one statement (a sweep's batch); e-mail copies go out after the commit.

    Returns the new notifications' ids.
    """
    now = timezone.now()
    rows = [
        (pk, message.case_id, message.kind, message.params, now)
        for message in messages
        for pk in dict.fromkeys(message.recipient_ids)
    ]
    ids = insert_many(Notification, ["recipient_id", "case_id", "kind", "params", "created_at"], rows, ids=True)
    _email_after_commit(ids)
    caching.inbox_changed({row[0] for row in rows})
    return ids


def _email_after_commit(ids: list[int]) -> None:
    chunks = [[ids[start : start + EMAIL_TASK_CHUNK]] for start in range(0, len(ids), EMAIL_TASK_CHUNK)]
    # By name: the tasks module imports this one.
    tasks_enqueue("petitions.tasks.send_notification_emails", chunks)


def users_with_role(*roles: str, department_id: int | None = None) -> QuerySet[User]:
    users = User.objects.filter(is_active=True, groups__name__in=roles)
    if department_id is not None:
        users = users.filter(department_id=department_id)
    return users.distinct()


def department_leads(case: Case) -> QuerySet[User]:
    """Those who answer for a case in its department: its handler and the department heads."""
    return User.objects.filter(
        Q(pk=case.handler_id) | Q(groups__name=Role.DEPARTMENT_HEAD, department_id=case.department_id),
        is_active=True,
    ).distinct()


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of `user`'s unread notifications read; returns how many changed."""
    from django.utils import timezone

    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    changed = unread.update(read_at=timezone.now())
    if changed:
        caching.inbox_changed([user.pk])
    return changed


def email_notifications(notification_ids: Iterable[int]) -> int:
    """Send the e-mail copy of each notification not yet e-mailed; returns how many were sent.

    Safe to repeat: a notification is marked in the same transaction that claims it.
    """
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for pk in notification_ids:
            with transaction.atomic():
                notification = (
                    Notification.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient", "case")
                    .filter(pk=pk, emailed_at__isnull=True)
                    .first()
                )
                if notification is None or not notification.recipient.email:
                    continue
                link = ""
                if notification.case is not None:
                    path = reverse("case_detail", args=[notification.case.number])
                    link = f"\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{path}"
                send_mail(
                    subject=f"[{_('Petition Desk')}] {notification.message}",
                    message=f"{notification.message}{link}",
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                )
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
                sent += 1
    return sent
