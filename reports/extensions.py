"""Where other apps add to the reports; reports imports none of those apps, each registers in its
AppConfig.ready():

- `register_report_figures`: key figures (numbers with their definitions) printed among the report's own;
- `register_report_part`: a part with its own template (figures computed into the snapshot);
- `register_period_counts`: counts another app keeps, for a period (the annual report's recommendations).

A part's `figures(period, department, today=…)` returns plain JSON-ready data, kept in the snapshot under
`parts[key]` (a re-print shows what was computed); its template is included with that data as `part`.
A report made before a part existed has no data for it and shows no section.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise


@dataclass(frozen=True)
class ReportPart:
    key: str
    template: str
    figures: Callable[..., dict]


_parts: dict[str, ReportPart] = {}


def register_report_part(part: ReportPart) -> None:
    _parts[part.key] = part


def report_parts() -> list[ReportPart]:
    return [_parts[key] for key in sorted(_parts)]


def part_figures(period, department, *, today) -> dict[str, dict]:
    return {part.key: part.figures(period, department, today=today) for part in report_parts()}


def part_sections(snapshot: dict) -> list[dict]:
    """The sections to show for `snapshot`: a template and its part's data."""
    parts = snapshot.get("parts") or {}
    return [{"template": part.template, "part": parts[part.key]} for part in report_parts() if part.key in parts]


# --- Counts another app keeps, for a period (the annual report's recommendations) ----------------------------

RECOMMENDATIONS = "recommendations"  # {"made", "answered", "adopted"}: supervision's 改进工作建议 (T22 40)

_period_counts: dict[str, Callable[[date, date], dict]] = {}


def register_period_counts(key: str, counts: Callable[[date, date], dict]) -> None:
    """`counts(start, end)` (both days included) gives the app's figures for the period under `key`."""
    _period_counts[key] = counts


def period_counts(key: str, start: date, end: date) -> dict | None:
    """The registered figures under `key` for the period, or None when no app keeps them."""
    counts = _period_counts.get(key)
    return None if counts is None else counts(start, end)


# --- Key figures other apps add to the periodic reports --------------------------------------------------------


@dataclass(frozen=True)
class ReportFigure:
    key: str
    label: str | Promise
    definition: str | Promise


_report_figures: dict[str, tuple[tuple[ReportFigure, ...], Callable[..., dict[str, int]]]] = {}


def register_report_figures(key: str, figures: list[ReportFigure], provider: Callable[..., dict[str, int]]) -> None:
    """`provider(start=, end=, department_id=)` gives {figure key: number} for the period (both days
    included) and scope (None: the whole office). Registering a key again replaces it."""
    _report_figures[key] = (tuple(figures), provider)


def report_figures_of(*, start, end, department_id: int | None) -> dict[str, int]:
    found: dict[str, int] = {}
    for key in sorted(_report_figures):
        found.update(_report_figures[key][1](start=start, end=end, department_id=department_id))
    return found


def registered_report_figures() -> list[ReportFigure]:
    return [figure for key in sorted(_report_figures) for figure in _report_figures[key][0]]
