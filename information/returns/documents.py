"""The special-period summary as a page, a printable document and a PDF (reports.rendering draws the PDF)."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from information.models import SpecialPeriod
from information.returns import selectors
from reports.rendering import css_string, html_to_pdf, office_name, page_counter_content


def special_period_context(period: SpecialPeriod, *, today: date) -> dict:
    summary = selectors.special_period_summary(period, today=today)
    heading = _("Special period summary of returns")
    return {
        "period": period,
        "summary": summary,
        "figures": [(selectors.FIGURE_LABELS[key], summary["totals"][key]) for key in selectors.FIGURES],
        "figure_labels": selectors.figure_labels(),
        "unit_lines": selectors.unit_lines(summary["units"]),
        "day_lines": [[day["day"].isoformat(), *(day[key] for key in selectors.FIGURES)] for day in summary["days"]],
        "late_rows": summary["late_or_missing"],
        "as_of": today,
        "made_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "office_name": office_name(),
        "heading": heading,
        "title": f"{heading} {period.name}",
        "page_counter": page_counter_content(),
        "header_left": css_string(office_name()),
        "header_right": css_string(f"{heading} {period.name}"),
    }


def special_period_html(period: SpecialPeriod, *, today: date, preview: bool = False, extra: dict | None = None) -> str:
    context = special_period_context(period, today=today)
    context.update({"preview": preview, **(extra or {})})
    return render_to_string("information/returns/special_period_document.html", context)


def special_period_pdf(period: SpecialPeriod, *, today: date) -> bytes:
    return html_to_pdf(special_period_html(period, today=today))
