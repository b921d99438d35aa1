"""The task outbox: each Celery task to run is first a row, written in the transaction that calls for it."""

from django.db import models
from django.utils import timezone


class TaskOutbox(models.Model):
    """One run of a task, handed to the broker after its transaction commits (`handed_over_at`), or by
    the relay when the broker was away then (`attempts`, `last_error`). See petitions.services.task_queue."""

    task = models.CharField(max_length=200)  # the task's registered name
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)  # the worker drops a run received later
    created_at = models.DateTimeField(default=timezone.now)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)  # failed hand-overs
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # What the relay looks for: runs not handed over yet.
            models.Index(fields=["id"], condition=models.Q(handed_over_at__isnull=True), name="task_outbox_waiting"),
            models.Index(fields=["handed_over_at"], name="task_outbox_handed_over"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)} #{self.pk}"

    @property
    def task_id(self) -> str:
        """The Celery task id of this run: a second hand-over of the same row carries the same id."""
        return task_id_of(self.pk)


def task_id_of(outbox_id: int) -> str:
    return f"outbox-{outbox_id}"
