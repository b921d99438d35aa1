from celery import shared_task

from screening.chase import chase_deadlines


@shared_task(name="screening.tasks.chase")
def chase() -> int:
    """The register's and the meetings' deadlines: reminders and overdue notices, each once."""
    return chase_deadlines()
