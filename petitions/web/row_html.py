"""The rows of a case list, drawn in Python.

Fifty rows of a dozen cells cost 7 ms through the template language (140 µs a row, spread over
every variable and tag, none of them the culprit) and 1 ms here: a fifth of a queue page's time.
The rest of the list page stays a template; `templates/petitions/_case_rows.html` holds the table
around these rows. Every value is escaped by format_html.

`templates/petitions/_case_row.html` is the same row as a template, from the same context (case,
selectable, today): the readable reference, not used by the page. tests/petitions/test_row_html.py
keeps the two equal, character for character; change both together.
"""

from collections.abc import Iterable
from datetime import date
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from petitions.models import Case, Channel, State

# A case's page is /cases/<number>/: reversed once per list, not once per row.
_NUMBER_PLACEHOLDER = "0000-000000"


def case_rows(cases: Iterable[Case], *, selectable: bool, today: date) -> list[SafeString]:
    """One <tr> per case: number, flags (online, collective, repeat), state, received, deadline, category,
    summary, department, handler."""
    url_template = reverse("case_detail", args=[_NUMBER_PLACEHOLDER])
    state_labels = dict(State.choices)
    labels = {
        "select": pgettext("select a case", "Select"),
        "collective": gettext("Collective"),
        "repeat": gettext("Repeat"),
        "repeat_flag": pgettext("repeat flag", "R"),
        "online": gettext("Submitted online"),
        "online_flag": pgettext("online flag", "Web"),
    }
    return [_row(case, url_template, state_labels, labels, selectable=selectable, today=today) for case in cases]


def _flag(css: str, label: str, shown: object, spoken: str) -> SafeString:
    """A badge: a short mark for the eye, its meaning for a screen reader (a title alone is not read)."""
    return format_html(
        '<span class="flag{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        css,
        label,
        shown,
        spoken,
    )


def _row(
    case: Case, url_template: str, state_labels: dict, labels: dict, *, selectable: bool, today: date
) -> SafeString:
    select = (
        format_html(
            '<td class="select"><input type="checkbox" name="cases" value="{}:{}" form="bulk-form" '
            'aria-label="{} {}"></td>',
            case.pk,
            case.version,
            labels["select"],
            case.number,
        )
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
    if case.due_date:
        overdue = ' class="due-overdue"' if case.due_date < today else ""
        due = format_html("<span{}>{}</span>", mark_safe(overdue), case.due_date.isoformat())  # noqa: S308 - literal
    else:
        due = "—"
    return format_html(
        # The number alone in its cell, so that copying it or hearing it gives just the number.
        '<tr>{}<td class="nowrap"><a href="{}">{}</a></td><td class="flags">{}</td>'
        '<td><span class="state state-{}">{}</span></td>'
        '<td class="nowrap">{}</td><td class="nowrap">{}</td><td>{}</td><td class="summary">{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        select,
        url_template.replace(_NUMBER_PLACEHOLDER, quote(case.number)),
        case.number,
        mark_safe(" ".join(flags)),  # noqa: S308 - each flag was built by format_html
        case.state,
        state_labels.get(case.state, case.state),
        timezone.localtime(case.received_at).date().isoformat(),
        due,
        case.category.name,
        case.summary,
        case.department.name if case.department_id else "—",
        str(case.handler) if case.handler_id else "—",
    )
