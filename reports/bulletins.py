"""Rendering the monthly performance bulletin (通报) and the annual report from their snapshots.

As for the weekly report (reports.rendering), nothing here queries the database for figures: a re-print
shows the numbers the report was made with, and its definitions are printed with it.
"""

from __future__ import annotations

from dataclasses import replace

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import performance
from reports.annual import ANNUAL_DEFINITIONS, TOP_UNITS
from reports.rendering import (
    CASES,
    SHARE,
    SUMMARY_KEYS,
    TABLES,
    Table,
    css_string,
    csv_bytes,
    office_name,
    page_counter_content,
    percent,
    rate,
    table_context,
    tables_csv,
)
from reports.selectors import DEFINITIONS

# --- The monthly performance bulletin ---------------------------------------------------------------------

PERFORMANCE_TABLES = {"performance": gettext_lazy("Department performance")}


def performance_header(snapshot: dict) -> list[str]:
    return performance.table_columns(snapshot["metrics"])


def performance_rows(snapshot: dict) -> list[list[str]]:
    return performance.table_rows(snapshot["rows"], snapshot["metrics"])


def performance_csv(snapshot: dict, key: str, *, language: str) -> bytes | None:
    if key not in PERFORMANCE_TABLES:
        return None
    with translation.override(language):
        return csv_bytes(performance_header(snapshot), performance_rows(snapshot))


def _document_context(snapshot: dict, heading: str, period_text: str) -> dict:
    office = office_name()
    return {
        "office_name": office,
        "heading": heading,
        "scope_name": snapshot["scope"]["name"] or _("The whole office"),
        "period_text": period_text,
        "made_at": snapshot["made_at"][:16].replace("T", " "),
        "time_zone": snapshot["time_zone"],
        "page_counter": page_counter_content(),
        "header_left": css_string(office),
        "header_right": css_string(f"{heading} {period_text}"),
    }


def performance_html(snapshot: dict, *, language: str, preview: bool = False, extra: dict | None = None) -> str:
    with translation.override(language):
        month = snapshot["period"]["start"][:7]
        heading = _("Monthly bulletin on department performance")
        context = _document_context(snapshot, heading, month)
        shown = [performance.METRICS[key] for key in snapshot["metrics"] if key in performance.METRICS]
        context.update(
            {
                "title": f"{heading} {month}",
                "table": {
                    "key": "performance",
                    "title": PERFORMANCE_TABLES["performance"],
                    "columns": performance_header(snapshot),
                    "rows": performance_rows(snapshot),
                    "numeric_from": 2,
                },
                "definitions": [{"label": metric.label, "text": metric.definition} for metric in shown],
                "preview": preview,
                **(extra or {}),
            }
        )
        return render_to_string("reports/performance_document.html", context)


# --- The annual report ------------------------------------------------------------------------------------

# The weekly report's key figures less those about one week's work, and the annual report's own.
ANNUAL_SUMMARY_KEYS = [
    *(key for key in SUMMARY_KEYS if key not in {"handled_on_time", "overdue", "extended", "returned", "voided"}),
    *(key for key in ANNUAL_DEFINITIONS if key not in {"complained_units", "recommendations"}),
]


def _definition(key: str):
    return ANNUAL_DEFINITIONS.get(key) or DEFINITIONS[key]


def _annual_summary_rows(snapshot: dict) -> list[list]:
    totals = snapshot["totals"]
    return [
        [str(_definition(key).label), rate(totals[key]) if key == "on_time_rate" else totals[key]]
        for key in ANNUAL_SUMMARY_KEYS
        if key in totals
    ]


def _complained_rows(snapshot: dict) -> list[list]:
    whole = snapshot["totals"]["new"]
    return [[row["name"], row["count"], percent(row["count"], whole)] for row in snapshot["tables"]["complained_units"]]


def _recommendation_rows(snapshot: dict) -> list[list]:
    counts = snapshot["recommendations"]
    if counts is None:
        return []
    return [
        [gettext_lazy("Made"), counts["made"]],
        [gettext_lazy("Answered"), counts["answered"]],
        [gettext_lazy("Adopted"), counts["adopted"]],
    ]


# The weekly report's tables where the annual report shows the same (the category table under its T22 41 name).
ANNUAL_TABLES: dict[str, Table] = {
    table.key: table
    for table in [
        Table(
            "summary",
            gettext_lazy("Key figures"),
            [gettext_lazy("Figure"), gettext_lazy("Value")],
            _annual_summary_rows,
        ),
        replace(TABLES["category"], title=gettext_lazy("Subject areas")),
        *(TABLES[key] for key in ("channel", "purpose", "legal_type", "region")),
        Table(
            "complained_units",
            ANNUAL_DEFINITIONS["complained_units"].label,
            [gettext_lazy("Unit complained about"), CASES, SHARE],
            _complained_rows,
        ),
        Table(
            "recommendations",
            ANNUAL_DEFINITIONS["recommendations"].label,
            [gettext_lazy("Recommendations"), gettext_lazy("Number")],
            _recommendation_rows,
        ),
    ]
}


def annual_csv(snapshot: dict, key: str, *, language: str) -> bytes | None:
    return tables_csv(ANNUAL_TABLES, snapshot, key, language=language) if key in ANNUAL_TABLES else None


def annual_html(snapshot: dict, *, language: str, preview: bool = False, extra: dict | None = None) -> str:
    with translation.override(language):
        year = snapshot["period"]["start"][:4]
        heading = _("Annual report on letters and visits work")
        context = _document_context(snapshot, heading, year)

        def table(key: str) -> dict:
            return table_context(ANNUAL_TABLES[key], snapshot)

        used = ["new", "collective", "repeat", "skip_level", "accepted", "not_accepted", "handled", "on_time_rate"]
        definitions = [DEFINITIONS[key] for key in used] + list(ANNUAL_DEFINITIONS.values())
        context.update(
            {
                "title": f"{heading} {year}",
                "year": year,
                "totals": snapshot["totals"],
                "summary": table("summary"),
                "subjects": table("category"),
                "breakdowns": [table(key) for key in ("channel", "purpose", "legal_type", "region")],
                "complained": table("complained_units"),
                "top_units": TOP_UNITS,
                "recommendations": snapshot["recommendations"],
                "recommendation_table": table("recommendations"),
                "definitions": definitions,
                "preview": preview,
                **(extra or {}),
            }
        )
        return render_to_string("reports/annual_document.html", context)
