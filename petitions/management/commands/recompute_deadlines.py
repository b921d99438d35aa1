from django.core.management.base import BaseCommand

from petitions.services.deadline_recompute import deadlines_recompute


class Command(BaseCommand):
    help = (
        "Recompute the running deadlines of open cases with the current working-day calendar, and log each "
        "change on its case. The scheduler does this after every calendar change and once a day."
    )

    def handle(self, *args, **options) -> None:
        result = deadlines_recompute(force=True)
        if not result.ran:
            self.stderr.write("Another recomputation is running; try again when it has finished.")
            return
        self.stdout.write(f"{result.cases_checked} open cases checked, {result.cases_changed} changed.")
