"""Writes of the reports app: requesting, making and regenerating reports.

A report is made in three steps: claim it (a short transaction), compute the figures and render the
PDF (no lock held), store both (a short transaction that checks the request is still the current
one). Each step can be repeated: a second run of a finished report does nothing, and a run of a
superseded request stores nothing.
"""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.clocks.date_windows import record_date_error
from petitions.models import Department, User
from petitions.services.notifications import notify
from petitions.services.task_queue import task_enqueue
from reports.kinds import kind_spec
from reports.models import Report
from reports.selectors import Period, may_request_reports, previous_week

logger = logging.getLogger(__name__)

MAX_PERIOD_DAYS = 366


class ReportError(Exception):
    """A request was refused; nothing was changed. `message` is fit to show the user."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def _is_week(start: date, end: date) -> bool:
    return start.weekday() == 0 and end == start + timedelta(days=6)


def _dated_kind(start: date, end: date) -> str:
    return Report.Kind.WEEKLY if _is_week(start, end) else Report.Kind.PERIOD


def _is_month(start: date, end: date) -> bool:
    return start.day == 1 and end.month == start.month and end.year == start.year and (end + timedelta(days=1)).day == 1


def _is_year(start: date, end: date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year


def validate_kind(kind: str, start: date, end: date) -> None:
    if kind == Report.Kind.PERFORMANCE and not _is_month(start, end):
        raise ReportError(_("A monthly bulletin covers one calendar month."))
    if kind == Report.Kind.ANNUAL and not _is_year(start, end):
        raise ReportError(_("An annual report covers one calendar year."))


def _enqueue(report: Report) -> None:
    task_enqueue("reports.tasks.generate_report", report.pk, report.generation)


def validate_period(start: date, end: date, *, today: date) -> None:
    for day in (start, end):
        if error := record_date_error(day, today=today):
            raise ReportError(error)
    if end < start:
        raise ReportError(_("The period ends before it starts."))
    if start > today:
        raise ReportError(_("The period has not started yet."))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ReportError(_("A report covers at most %(days)d days.") % {"days": MAX_PERIOD_DAYS})


def report_request(
    *,
    actor: User,
    start: date,
    end: date,
    department: Department | None = None,
    language: str = "",
    kind: str = "",
) -> Report:
    """A report of (kind, start..end, department) is made in the background; the existing one is reused.

    `kind` empty: a weekly report for a Monday-to-Sunday week, else a report for the period.
    """
    if not may_request_reports(actor):
        raise ReportError(_("Your role does not allow requesting reports."))
    validate_period(start, end, today=timezone.localdate())
    kind = kind or _dated_kind(start, end)
    validate_kind(kind, start, end)
    with transaction.atomic():
        report, created = Report.objects.select_for_update().get_or_create(
            kind=kind,
            period_start=start,
            period_end=end,
            department=department,
            defaults={
                "requested_by": actor,
                "language": language or settings.LANGUAGE_CODE,
            },
        )
        if created:
            _enqueue(report)
        elif report.status == Report.Status.FAILED:
            _restart(report, actor=actor)
    return report


def _restart(report: Report, *, actor: User | None) -> None:
    report.generation += 1
    report.status = Report.Status.PENDING
    report.error = ""
    if actor is not None:
        report.requested_by = actor
    report.save(update_fields=["generation", "status", "error", "requested_by"])
    _enqueue(report)


def report_regenerate(*, actor: User, report_id: int) -> Report:
    """Compute the figures again from the cases as they are now, and render a new PDF."""
    if not may_request_reports(actor):
        raise ReportError(_("Your role does not allow regenerating reports."))
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        _restart(report, actor=actor)
    return report


def report_generate(*, report_id: int, generation: int | None = None, today: date | None = None) -> Report | None:
    """Make the report: figures, PDF, stored together. None when there was nothing (more) to do."""
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("department").get(pk=report_id)
        if generation is not None and report.generation != generation:
            return None  # a newer request supersedes this one
        if report.status == Report.Status.READY:
            return None  # already made: a repeated task does nothing
        report.status = Report.Status.RUNNING
        report.save(update_fields=["status"])
        generation = report.generation
    period = Period(report.period_start, report.period_end)
    spec = kind_spec(report.kind)
    try:
        snapshot = spec.make(period, report.department, today=today)
        pdf = spec.pdf(snapshot, language=report.language)
    except Exception as error:
        logger.exception("report %s failed", report_id)
        _record_failure(report_id, generation, f"{type(error).__name__}: {error}")
        raise
    return _store(report_id, generation, snapshot, pdf)


def _record_failure(report_id: int, generation: int, error: str) -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.generation != generation:
            return
        report.status = Report.Status.FAILED
        report.error = error[:2000]
        report.save(update_fields=["status", "error"])
        _tell_requester(report, "report_failed")


def _store(report_id: int, generation: int, snapshot: dict, pdf: bytes) -> Report | None:
    with transaction.atomic():
        report = Report.objects.select_for_update(of=("self",)).select_related("department").get(pk=report_id)
        if report.generation != generation or report.status == Report.Status.READY:
            return None
        # The name carries the generation: a regenerated report gets a new file and the earlier PDF
        # stays on disk, as it was handed out.
        report.pdf.save(f"{report.file_stem}-g{generation}.pdf", ContentFile(pdf), save=False)
        report.snapshot = snapshot
        report.status = Report.Status.READY
        report.error = ""
        report.generated_at = timezone.now()
        report.save(update_fields=["pdf", "snapshot", "status", "error", "generated_at"])
        _tell_requester(report, "report_ready")
    return report


def _tell_requester(report: Report, kind: str) -> None:
    if report.requested_by_id is not None:
        notify(
            users=[report.requested_by],
            case=None,
            kind=kind,
            params={"start": report.period_start.isoformat(), "end": report.period_end.isoformat()},
        )


def weekly_reports_create(*, today: date | None = None) -> list[Report]:
    """The reports of last Monday to Sunday, for the office and each active department.

    Safe to run again: existing reports are reused (one per period and scope), and only those not
    yet made are queued.
    """
    period = previous_week(today or timezone.localdate())
    scopes: list[Department | None] = [None, *Department.objects.filter(is_active=True).order_by("code")]
    reports = []
    with transaction.atomic():
        for department in scopes:
            report, _created = Report.objects.get_or_create(
                kind=Report.Kind.WEEKLY,
                period_start=period.start,
                period_end=period.end,
                department=department,
                defaults={"language": settings.LANGUAGE_CODE},
            )
            if report.status != Report.Status.READY:
                _enqueue(report)
            reports.append(report)
    return reports


def report_make_now(*, period: Period, department: Department | None = None, kind: str = "") -> Report:
    """Make (or keep) the report of `period` in this process, without the worker: for backfills."""
    report, _created = Report.objects.get_or_create(
        kind=kind or _dated_kind(period.start, period.end),
        period_start=period.start,
        period_end=period.end,
        department=department,
        defaults={"language": settings.LANGUAGE_CODE},
    )
    report_generate(report_id=report.pk)
    report.refresh_from_db()
    return report
