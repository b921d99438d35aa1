from django.core.management.base import BaseCommand

from petitions.services.task_queue import outbox_relay


class Command(BaseCommand):
    help = (
        "Hand the tasks left in the outbox (their hand-over after the commit failed, e.g. while the broker "
        "was away) to the broker. Celery beat does this every TASK_RELAY_SECONDS."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{outbox_relay()} tasks handed over.")
