"""The rows of a case list, drawn in Python.

Fifty rows of a dozen cells cost 7 ms through the template language (140 µs a row, spread over
every variable and tag, none of them the culprit) and 1 ms here: a fifth of a queue page's time.
The rest of the list page stays a template; `templates/petitions/_case_rows.html` holds the table
around these rows. Every value is escaped (`_e`, as conditional_escape).

`templates/petitions/_case_row.html` is the same row as a template, from the same context (case,
selectable, today): the readable reference, not used by the page. tests/petitions/test_row_html.py
keeps the two equal, character for character; change both together.
"""

import html
from collections.abc import Iterable
from datetime import date
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from petitions.models import Case, Channel, State

# A case's page is /cases/<number>/: reversed once per list, not once per row.
_NUMBER_PLACEHOLDER = "0000-000000"


def case_rows(cases: Iterable[Case], *, selectable: bool, today: date) -> list[SafeString]:
    """One <tr> per case: number, flags (online, collective, repeat, co-department), state, received,
    deadline, category, summary, department, handler."""
    url_template = reverse("case_detail", args=[_NUMBER_PLACEHOLDER])
    state_labels = dict(State.choices)
    labels = {
        "select": pgettext("select a case", "Select"),
        "collective": gettext("Collective"),
        "repeat": gettext("Repeat"),
        "repeat_flag": pgettext("repeat flag", "R"),
        "online": gettext("Submitted online"),
        "online_flag": pgettext("online flag", "Web"),
        "office_due": gettext("Handling deadline: the office is reviewing the outcome"),
        "co_unit": gettext("Co-department: your department holds a part"),
        "co_unit_flag": pgettext("co-department flag", "Co"),
    }
    return [_row(case, url_template, state_labels, labels, selectable=selectable, today=today) for case in cases]


def _e(value: object) -> str:
    """conditional_escape without its lazy-string wrapper (a thousand calls a page): the same text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _flag(css: str, label: str, shown: object, spoken: str) -> str:
    """A badge: a short mark for the eye, its meaning for a screen reader (a title alone is not read)."""
    return (
        f'<span class="flag{_e(css)}" title="{_e(label)}"><span aria-hidden="true">{_e(shown)}</span>'
        f'<span class="visually-hidden">{_e(spoken)}</span></span>'
    )


def _row(
    case: Case, url_template: str, state_labels: dict, labels: dict, *, selectable: bool, today: date
) -> SafeString:
    select = (
        f'<td class="select"><input type="checkbox" name="cases" value="{_e(case.pk)}:{_e(case.version)}" '
        f'form="bulk-form" aria-label="{_e(labels["select"])} {_e(case.number)}"></td>'
        if selectable
        else ""
    )
    flags = []
    if case.channel == Channel.ONLINE:
        flags.append(_flag(" flag-online", labels["online"], labels["online_flag"], labels["online"]))
    if case.is_collective:
        spoken = f"{labels['collective']} {case.headcount}"
        flags.append(_flag(" flag-warn", labels["collective"], case.headcount, spoken))
    if case.is_repeat:
        flags.append(_flag("", labels["repeat"], labels["repeat_flag"], labels["repeat"]))
    if getattr(case, "co_unit", False):
        flags.append(_flag(" flag-co-unit", labels["co_unit"], labels["co_unit_flag"], labels["co_unit"]))
    if case.due_date:
        overdue = ' class="due-overdue"' if case.due_date < today else ""
        due = f"<span{overdue}>{_e(case.due_date.isoformat())}</span>"
    elif case.state == State.REVIEWING and case.handling_due:
        # The office's to act on, inside the handling clock (README: result review).
        overdue = " due-overdue" if case.handling_due < today else ""
        due = (
            f'<span class="due-office{overdue}" title="{_e(labels["office_due"])}">'
            f"{_e(case.handling_due.isoformat())}</span>"
        )
    else:
        due = "—"
    url = url_template.replace(_NUMBER_PLACEHOLDER, quote(case.number))
    # Every value below is escaped by _e; the pieces drawn above were escaped when drawn.
    return mark_safe(  # noqa: S308
        # The number alone in its cell, so that copying it or hearing it gives just the number.
        f'<tr>{select}<td class="nowrap"><a href="{_e(url)}">{_e(case.number)}</a></td>'
        f'<td class="flags">{" ".join(flags)}</td>'
        f'<td><span class="state state-{_e(case.state)}">{_e(state_labels.get(case.state, case.state))}</span></td>'
        f'<td class="nowrap">{_e(timezone.localtime(case.received_at).date().isoformat())}</td>'
        f'<td class="nowrap">{due}</td><td>{_e(case.category.name)}</td><td class="summary">{_e(case.summary)}</td>'
        f"<td>{_e(case.department.name if case.department_id else '—')}</td>"
        f"<td>{_e(str(case.handler) if case.handler_id else '—')}</td></tr>"
    )
