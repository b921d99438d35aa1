from django.core.management.base import BaseCommand

from devdata.demo import load_demo_data


class Command(BaseCommand):
    help = "Create the demo logins and a few hundred realistic cases (only when there are no cases yet)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=300)

    def handle(self, *args, **options) -> None:
        users, cases = load_demo_data(options["cases"])
        self.stdout.write(f"Demo data: {users} demo logins ready, {cases} cases created.")
