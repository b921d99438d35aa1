"""Turning a report's snapshot into tables, an HTML document, a PDF and CSV files.

Nothing here queries the database for figures: everything comes from the snapshot, so a re-print
shows the numbers the report was made with. Text is rendered under the report's language.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from petitions.models import Channel, LegalType, Purpose, Satisfaction, State
from reports.charts import Series, bar_chart_svg
from reports.extensions import part_sections, registered_report_figures
from reports.selectors import DEFINITIONS, Definition

ANNEX_ROWS_IN_PDF = 200  # the PDF lists the longest overdue (about five pages); the CSV file every one


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def rate(value: float | None) -> str:
    return f"{100 * value:.1f}%" if value is not None else "—"


def _choice_label(choices, key: str) -> str:
    return str(dict(choices).get(key, key))


STATE_LABELS: dict[str, Promise] = {**dict(State.choices), "review": gettext_lazy("Under review")}


@dataclass(frozen=True)
class Table:
    key: str
    title: Promise
    columns: list[Promise]
    rows: Callable[[dict], list[list]]
    numeric_from: int = 1  # columns from this index on are right-aligned figures
    total: bool = False  # the last row is a total row


def _choice_rows(table: str, choices) -> Callable[[dict], list[list]]:
    def rows(snapshot: dict) -> list[list]:
        whole = snapshot["totals"]["new"]
        return [
            [_choice_label(choices, row["key"]), row["count"], percent(row["count"], whole)]
            for row in snapshot["tables"][table]
        ]

    return rows


def _tree_rows(table: str) -> Callable[[dict], list[list]]:
    def rows(snapshot: dict) -> list[list]:
        whole = snapshot["totals"]["new"]
        return [
            [row["code"], row["name"], row["count"], percent(row["count"], whole)] for row in snapshot["tables"][table]
        ]

    return rows


SUMMARY_KEYS = [
    "new",
    "collective",
    "collective_persons",
    "repeat",
    "skip_level",
    "accepted",
    "not_accepted",
    "handled",
    "handled_on_time",
    "on_time_rate",
    "closed",
    "overdue",
    "extended",
    "returned",
    "voided",
    "merged",
    "handed_down",
    "handed_down_closed",
    "handed_down_overdue",
    "co_parts",
    "co_parts_answered",
    "co_parts_late",
    "co_parts_overdue",
]


def _summary_rows(snapshot: dict) -> list[list]:
    totals = snapshot["totals"]
    return [
        [str(DEFINITIONS[key].label), rate(totals[key]) if key == "on_time_rate" else totals[key]]
        for key in SUMMARY_KEYS
        if key in totals  # a report made before a figure existed shows the figures it was made with
    ] + _extra_rows(snapshot)


def _extra_rows(snapshot: dict) -> list[list]:
    """The figures other apps registered (reports.extensions.register_report_figures), as kept."""
    extra = snapshot.get("extra_totals") or {}
    return [[str(figure.label), extra[figure.key]] for figure in registered_report_figures() if figure.key in extra]


def _department_rows(snapshot: dict) -> list[list]:
    rows = snapshot["tables"]["departments"]
    body = [
        [
            row["code"],
            row["name"],
            row["routed"],
            row["handled"],
            row["handled_on_time"],
            rate(row["on_time_rate"]),
            row["overdue"],
            row["extended"],
            row["returned"],
        ]
        for row in rows
    ]
    if len(rows) > 1:
        sums = {k: sum(row[k] for row in rows) for k in ("routed", "handled", "handled_on_time", "overdue")}
        sums.update({k: sum(row[k] for row in rows) for k in ("extended", "returned")})
        body.append(
            [
                "",
                _("Total"),
                sums["routed"],
                sums["handled"],
                sums["handled_on_time"],
                rate(sums["handled_on_time"] / sums["handled"] if sums["handled"] else None),
                sums["overdue"],
                sums["extended"],
                sums["returned"],
            ]
        )
    return body


def _satisfaction_rows(snapshot: dict) -> list[list]:
    rows = snapshot["tables"]["satisfaction"]
    whole = sum(row["count"] for row in rows)
    labels = {**dict(Satisfaction.choices), "": gettext_lazy("Not recorded")}
    return [[str(labels.get(row["key"], row["key"])), row["count"], percent(row["count"], whole)] for row in rows]


CALLBACK_RATES = ("callback_participation_rate", "callback_satisfaction_rate", "callback_solved_rate")


def _callback_rows(snapshot: dict) -> list[list]:
    """Per department: callbacks, verdicts, satisfied, answered on solving, solved, the three rates and
    the send-backs; a total row (rates of the sums) when there are several departments."""
    rows = snapshot["tables"].get("callbacks", [])  # a report made before the figure existed: none

    def line(code: str, name: str, row: dict) -> list:
        rates = {
            "callback_participation_rate": (row["evaluated"], row["callbacks"]),
            "callback_satisfaction_rate": (row["satisfied"], row["evaluated"]),
            "callback_solved_rate": (row["solved"], row["answered"]),
        }
        return [
            code,
            name,
            row["callbacks"],
            row["evaluated"],
            row["satisfied"],
            row["answered"],
            row["solved"],
            *[percent(*rates[key]) for key in CALLBACK_RATES],
            row["sent_back"],
        ]

    body = [line(row["code"], row["name"], row) for row in rows]
    if len(rows) > 1:
        keys = ("callbacks", "evaluated", "satisfied", "answered", "solved", "sent_back")
        body.append(line("", _("Total"), {key: sum(row[key] for row in rows) for key in keys}))
    return body


def _trend_rows(snapshot: dict) -> list[list]:
    return [[week_label(row["week_start"]), row["new"], row["handled"]] for row in snapshot["trend"]]


def _overdue_rows(snapshot: dict) -> list[list]:
    return [
        [
            row["number"],
            row["received_on"],
            row["department"],
            row["category"],
            str(STATE_LABELS.get(row["state"], row["state"])),
            row["due"],
            row["days_overdue"],
            row["handler"],
        ]
        for row in snapshot["overdue"]
    ]


def week_label(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%m-%d")


SHARE = gettext_lazy("Share")
CASES = gettext_lazy("Cases")

TABLES: dict[str, Table] = {
    table.key: table
    for table in [
        Table("summary", gettext_lazy("Key figures"), [gettext_lazy("Figure"), gettext_lazy("Value")], _summary_rows),
        Table(
            "channel",
            gettext_lazy("New cases by channel"),
            [gettext_lazy("Channel"), CASES, SHARE],
            _choice_rows("channel", Channel.choices),
        ),
        Table(
            "category",
            gettext_lazy("New cases by category"),
            [gettext_lazy("Code"), gettext_lazy("Category"), CASES, SHARE],
            _tree_rows("category"),
            numeric_from=2,
        ),
        Table(
            "region",
            gettext_lazy("New cases by region"),
            [gettext_lazy("Code"), gettext_lazy("Region"), CASES, SHARE],
            _tree_rows("region"),
            numeric_from=2,
        ),
        Table(
            "purpose",
            gettext_lazy("New cases by purpose"),
            [gettext_lazy("Purpose"), CASES, SHARE],
            _choice_rows("purpose", Purpose.choices),
        ),
        Table(
            "legal_type",
            gettext_lazy("New cases by legal type"),
            [gettext_lazy("Legal type"), CASES, SHARE],
            _choice_rows("legal_type", LegalType.choices),
        ),
        Table(
            "departments",
            gettext_lazy("By department"),
            [
                gettext_lazy("Code"),
                gettext_lazy("Department"),
                DEFINITIONS["routed"].label,
                DEFINITIONS["handled"].label,
                DEFINITIONS["handled_on_time"].label,
                DEFINITIONS["on_time_rate"].label,
                DEFINITIONS["overdue"].label,
                DEFINITIONS["extended"].label,
                DEFINITIONS["returned"].label,
            ],
            _department_rows,
            numeric_from=2,
            total=True,
        ),
        Table(
            "satisfaction",
            gettext_lazy("Satisfaction of the cases closed"),
            [gettext_lazy("Satisfaction"), CASES, SHARE],
            _satisfaction_rows,
        ),
        Table(
            "callbacks",
            gettext_lazy("Callbacks and send-backs by department"),
            [
                gettext_lazy("Code"),
                gettext_lazy("Department"),
                DEFINITIONS["callbacks"].label,
                gettext_lazy("With a verdict"),
                gettext_lazy("Satisfied or fairly satisfied"),
                gettext_lazy("Answered on solving"),
                gettext_lazy("Solved"),
                DEFINITIONS["callback_participation_rate"].label,
                DEFINITIONS["callback_satisfaction_rate"].label,
                DEFINITIONS["callback_solved_rate"].label,
                DEFINITIONS["sent_back"].label,
            ],
            _callback_rows,
            numeric_from=2,
            total=True,
        ),
        Table(
            "trend",
            gettext_lazy("The last eight weeks"),
            [gettext_lazy("Week from"), DEFINITIONS["new"].label, DEFINITIONS["handled"].label],
            _trend_rows,
        ),
        Table(
            "overdue",
            gettext_lazy("Annex: overdue cases"),
            [
                gettext_lazy("Case number"),
                gettext_lazy("Received on"),
                gettext_lazy("Department"),
                gettext_lazy("Category"),
                gettext_lazy("State"),
                gettext_lazy("Due"),
                gettext_lazy("Days overdue"),
                gettext_lazy("Handler"),
            ],
            _overdue_rows,
            numeric_from=6,
        ),
    ]
}

BREAKDOWNS = ["channel", "category", "region", "purpose", "legal_type"]


def table_context(spec: Table, snapshot: dict, limit: int | None = None) -> dict:
    """What reports/_table.html draws of `spec` (at most `limit` rows; the CSV file has them all)."""
    rows = spec.rows(snapshot)
    return {
        "key": spec.key,
        "title": spec.title,
        "columns": spec.columns,
        "rows": rows[:limit] if limit is not None else rows,
        "numeric_from": spec.numeric_from,
        "total": spec.total and len(rows) > 2,
        "omitted": max(0, len(rows) - limit) if limit is not None else 0,
    }


def office_name() -> str:
    return settings.OFFICE_NAME or _("Letters and Visits Office")


def css_string(text: str) -> str:
    """`text` as a CSS string literal (for `content:` in the page margin boxes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter_content() -> str:
    """'第 X 页 共 Y 页' (or the English) as a CSS `content` value with the page counters."""
    marker_page, marker_pages = "\x00PAGE\x00", "\x00PAGES\x00"
    text = _("Page %(page)s of %(pages)s") % {"page": marker_page, "pages": marker_pages}
    literal = css_string(text)
    return literal.replace(marker_page, '" counter(page) "').replace(marker_pages, '" counter(pages) "')


def report_title(snapshot: dict) -> str:
    scope = snapshot["scope"]["name"] or _("the whole office")
    return _("Letters and visits report %(start)s to %(end)s, %(scope)s") % {
        "start": snapshot["period"]["start"],
        "end": snapshot["period"]["end"],
        "scope": scope,
    }


def report_context(snapshot: dict, *, weekly: bool, preview: bool = False) -> dict:
    """What the report template shows; call under translation.override(the report's language)."""
    totals = snapshot["totals"]
    period = snapshot["period"]
    trend = snapshot["trend"]
    chart = bar_chart_svg(
        categories=[week_label(row["week_start"]) for row in trend],
        series=[
            Series(str(DEFINITIONS["new"].label), [row["new"] for row in trend], "#9b1c1c"),
            Series(str(DEFINITIONS["handled"].label), [row["handled"] for row in trend], "#1d4ed8"),
        ],
        title=str(DEFINITIONS["trend"].label),
    )

    def table(key: str, limit: int | None = None) -> dict:
        return table_context(TABLES[key], snapshot, limit)

    office = office_name()
    heading = _("Weekly letters and visits report") if weekly else _("Letters and visits report")
    period_text = _("%(start)s to %(end)s") % {"start": period["start"], "end": period["end"]}
    return {
        "office_name": office,
        "heading": heading,
        "scope_name": snapshot["scope"]["name"] or _("The whole office"),
        "period_text": period_text,
        "title": report_title(snapshot),
        "made_at": snapshot["made_at"][:16].replace("T", " "),
        "cutoff": snapshot["cutoff"],
        "time_zone": snapshot["time_zone"],
        "zero_report": totals["new"] == 0,
        "totals": totals,
        "on_time_rate": rate(totals["on_time_rate"]),
        "summary": table("summary"),
        "breakdowns": [table(key) for key in BREAKDOWNS],
        "departments": table("departments"),
        "satisfaction": table("satisfaction"),
        "callbacks": table("callbacks"),
        "chart_svg": chart,
        "annex": table("overdue", ANNEX_ROWS_IN_PDF),
        "definitions": [
            *DEFINITIONS.values(),
            *(Definition(figure.key, figure.label, figure.definition) for figure in registered_report_figures()),
        ],
        "page_counter": page_counter_content(),
        "header_left": css_string(office),
        "header_right": css_string(f"{heading} {period_text}"),
        "preview": preview,
        "part_sections": part_sections(snapshot),
    }


def report_html(
    snapshot: dict, *, language: str, weekly: bool, preview: bool = False, extra: dict | None = None
) -> str:
    with translation.override(language):
        context = report_context(snapshot, weekly=weekly, preview=preview)
        context.update(extra or {})
        return render_to_string("reports/report_document.html", context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: loading pango takes a moment and only renderers need it

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_pdf(snapshot: dict, *, language: str, weekly: bool) -> bytes:
    return html_to_pdf(report_html(snapshot, language=language, weekly=weekly))


def table_csv(snapshot: dict, key: str, *, language: str) -> bytes:
    """One table of the report as CSV: UTF-8 with a byte-order mark, so that spreadsheet programs
    read the Chinese correctly; every row, also those the PDF leaves out."""
    return tables_csv(TABLES, snapshot, key, language=language)


def tables_csv(tables: dict[str, Table], snapshot: dict, key: str, *, language: str) -> bytes:
    """`tables[key]` of `snapshot` as CSV (see table_csv): any kind of report's tables."""
    spec = tables[key]
    with translation.override(language):
        return csv_bytes([str(column) for column in spec.columns], spec.rows(snapshot))


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark (spreadsheet programs then read the Chinese correctly), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
