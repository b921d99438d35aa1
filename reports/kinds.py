"""What each kind of report is made of: its figures (the snapshot), its document, its CSV tables.

Every kind goes through the one mechanism of reports.services (claim, compute, render, store; re-runnable,
superseded by a regeneration) and is re-printed from its stored snapshot by the same views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.utils.functional import Promise

from petitions.models import Department
from reports import bulletins, rendering
from reports.annual import annual_figures
from reports.models import Report
from reports.performance import performance_snapshot
from reports.selectors import Period, report_figures


@dataclass(frozen=True)
class KindSpec:
    figures: Callable[..., dict]  # (period, department, *, today) → snapshot
    html: Callable[..., str]  # (snapshot, *, language, preview=False, extra=None) → HTML
    tables: dict[str, Promise]  # CSV tables: key → title
    csv: Callable[..., bytes | None]  # (snapshot, key, *, language) → CSV, None for an unknown table

    def make(self, period: Period, department: Department | None, *, today: date | None) -> dict:
        return self.figures(period, department, today=today)

    def pdf(self, snapshot: dict, *, language: str) -> bytes:
        return rendering.html_to_pdf(self.html(snapshot, language=language))


def _weekly_csv(snapshot: dict, key: str, *, language: str) -> bytes | None:
    return rendering.table_csv(snapshot, key, language=language) if key in rendering.TABLES else None


_WEEKLY_TABLES = {key: table.title for key, table in rendering.TABLES.items()}

KINDS: dict[str, KindSpec] = {
    Report.Kind.WEEKLY: KindSpec(
        report_figures, partial(rendering.report_html, weekly=True), _WEEKLY_TABLES, _weekly_csv
    ),
    Report.Kind.PERIOD: KindSpec(
        report_figures, partial(rendering.report_html, weekly=False), _WEEKLY_TABLES, _weekly_csv
    ),
    Report.Kind.PERFORMANCE: KindSpec(
        performance_snapshot, bulletins.performance_html, bulletins.PERFORMANCE_TABLES, bulletins.performance_csv
    ),
    Report.Kind.ANNUAL: KindSpec(
        annual_figures,
        bulletins.annual_html,
        {key: table.title for key, table in bulletins.ANNUAL_TABLES.items()},
        bulletins.annual_csv,
    ),
}


def kind_spec(kind: str) -> KindSpec:
    return KINDS[kind]
