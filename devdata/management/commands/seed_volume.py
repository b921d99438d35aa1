from django.core.management.base import BaseCommand, CommandError

from devdata.volume import seed_volume


class Command(BaseCommand):
    help = (
        "Add realistic volume data for benchmarks (PostgreSQL only): petitioners, cases in every state, "
        "their links and logs, written with COPY; then VACUUM ANALYZE. Run it on a quiet database."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=1_000_000, help="how many cases to add (default 1,000,000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (the same seed gives the same data)")
        parser.add_argument("--chunk", type=int, default=50_000, help="cases per COPY batch (default 50,000)")
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help="keep the indexes up to date row by row instead of building them again at the end",
        )

    def handle(self, *args, **options) -> None:
        if options["cases"] < 1 or options["chunk"] < 1:
            raise CommandError("--cases and --chunk must be positive.")
        try:
            report = seed_volume(
                cases=options["cases"],
                seed=options["seed"],
                chunk=options["chunk"],
                rebuild_indexes=False if options["keep_indexes"] else None,
                progress=lambda line: (self.stdout.write(line), self.stdout.flush()),
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {report.cases:,} cases ({report.open_cases:,} open), {report.petitioners:,} petitioners, "
                f"{report.links:,} petitioner links, {report.logs:,} log rows in {report.seconds:.1f} s"
                + ("" if report.fk_checks else " (foreign keys consistent by construction, not re-checked per row)")
            )
        )
