from django.core.management.base import BaseCommand

from petitions.services.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load the top-level content categories, demo regions and demo departments (idempotent)."

    def handle(self, *args, **options) -> None:
        created = load_reference_data()
        self.stdout.write(
            "Reference data: {categories} categories, {departments} departments, {regions} regions created.".format(
                **created
            )
        )
