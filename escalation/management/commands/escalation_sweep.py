from django.core.management.base import BaseCommand

from escalation.services import auto_close_due_cases, escalation_sweep


class Command(BaseCommand):
    help = (
        "Run the overdue sweep (and the auto-close) now, as the scheduler does every few minutes. "
        "Safe at any time: nothing is sent twice."
    )

    def handle(self, *args, **options) -> None:
        result = escalation_sweep()
        if result.skipped:
            self.stderr.write("Another sweep is running; it will do the work.")
        else:
            self.stdout.write(
                f"{result.escalations} escalations, {result.notifications} notifications in {result.batches} batches."
            )
        self.stdout.write(f"{auto_close_due_cases()} cases closed automatically.")
