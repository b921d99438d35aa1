"""Where other apps plug into petitions, all in one place.

petitions imports none of the apps that extend it (escalation, reports, …); each registers what it adds
in its AppConfig.ready():

- `register_nav_item`: an entry of the header navigation, shown to the users its test passes;
- `register_case_panel`: a panel on the case page (a template and its context for (case, user));
- `register_case_links`: links on the case page's head (e.g. the printable documents);
- `register_notification_kind`: the text of a kind of inbox notification;
- `register_log_actions`: how an app's case-log actions read on the timeline;
- `register_daily_job`: the scheduler's daily work, for whatever replays past days (the demo data);
- `register_due_soon_window`: how many days before a deadline a case is "due soon" (the ladder's
  reminder rung; petitions.clocks.urgency);
- `register_home_section`: a section of a user's start page (a template and its context for the user);
- `register_case_log_listener`: called with every case-log entry as it is written, in the transaction
  of the change (webhooks turn them into events: one place, the case log's one writer);

This module imports nothing of petitions either, so models and services may use it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString

# --- Navigation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[..., bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_nav_items: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _nav_items[item.key] = item


def nav_items_for(user) -> list[NavItem]:
    """The entries `user` sees: exactly the pages their role reaches."""
    return sorted((item for item in _nav_items.values() if item.visible(user)), key=lambda item: item.order)


# --- Case page: panels and links ----------------------------------------------------------------------


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    context: Callable[..., dict | None]  # (case, user) → the template's context, or None to show nothing
    order: int = 100


_case_panels: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _case_panels[panel.key] = panel


def render_case_panels(request: HttpRequest, case) -> list[SafeString]:
    rendered = []
    for panel in sorted(_case_panels.values(), key=lambda panel: panel.order):
        context = panel.context(case, request.user)
        if context is not None:
            rendered.append(render_to_string(panel.template, {"case": case, **context}, request=request))
    return rendered


@dataclass(frozen=True)
class CaseLink:
    label: str | Promise
    url: str


_case_link_providers: dict[str, Callable[..., list[CaseLink]]] = {}


def register_case_links(key: str, provider: Callable[..., list[CaseLink]]) -> None:
    """`provider(case, user)` returns the links to show; registering a key again replaces it."""
    _case_link_providers[key] = provider


def case_links_for(case, user) -> list[CaseLink]:
    return [link for key in sorted(_case_link_providers) for link in _case_link_providers[key](case, user)]


# --- Texts: notifications and the case log -----------------------------------------------------------

_notification_kinds: dict[str, str | Promise] = {}


def register_notification_kind(kind: str, message: str | Promise) -> None:
    """`message` is a lazily translated string with %(name)s placeholders for the parameters."""
    _notification_kinds[kind] = message


def notification_text(kind: str, params: dict | None) -> str:
    template = _notification_kinds.get(kind)
    if template is None:
        return kind
    try:
        return str(template) % params if params else str(template)
    except (KeyError, TypeError, ValueError):
        return str(template)


_log_actions: dict[str, str | Promise] = {}


def register_log_actions(labels: dict[str, str | Promise]) -> None:
    """Actions another app writes to the case log (`petitions.services.case_log.case_log`), and their labels."""
    _log_actions.update(labels)


def log_action_label(action: str) -> str | None:
    label = _log_actions.get(action)
    return None if label is None else str(label)


def registered_log_actions() -> set[str]:
    return set(_log_actions)


# --- The scheduler's daily work --------------------------------------------------------------------------

_daily_jobs: list[Callable[[], object]] = []


def register_daily_job(job: Callable[[], object]) -> None:
    """`job` takes nothing and is safe to repeat; the schedule itself is CELERY_BEAT_SCHEDULE."""
    if job not in _daily_jobs:
        _daily_jobs.append(job)


def run_daily_jobs() -> None:
    """Do one day's scheduled work now (at whatever moment the clock says it is)."""
    for job in _daily_jobs:
        job()


# --- How soon is "due soon" ------------------------------------------------------------------------------

_due_soon_window: list[Callable[[], int]] = []


def register_due_soon_window(provider: Callable[[], int]) -> None:
    """`provider()` gives the days before a deadline in which a case is due soon (one provider: the ladder)."""
    _due_soon_window[:] = [provider]


def due_soon_window() -> int | None:
    return _due_soon_window[0]() if _due_soon_window else None


# --- What the case log records, as it is written ----------------------------------------------------------


@dataclass(frozen=True)
class LoggedAction:
    """One case-log entry just written (in the transaction that is writing it). `case` is the case object
    when the writer had it (one entry), None for a batch (a sweep's rows)."""

    case_id: int
    action: str
    source_state: str
    target_state: str
    at: object  # datetime
    data: dict
    case: object = None


_case_log_listeners: list[Callable[[list[LoggedAction]], object]] = []


def register_case_log_listener(listener: Callable[[list[LoggedAction]], object]) -> None:
    """`listener(entries)` runs inside the writer's transaction: it may write rows, never call out."""
    if listener not in _case_log_listeners:
        _case_log_listeners.append(listener)


def case_logged(entries: list[LoggedAction]) -> None:
    for listener in _case_log_listeners:
        listener(entries)


# --- The start page: sections other apps add ---------------------------------------------------------------


@dataclass(frozen=True)
class HomeSection:
    """A section of the start page (like a case panel): a template and its context for the user, or None."""

    key: str
    template: str
    context: Callable[..., dict | None]  # (user) → the template's context, or None to show nothing
    order: int = 100
    above_tiles: bool = False  # something the user has to do today (a return due) comes before the counts


_home_sections: dict[str, HomeSection] = {}


def register_home_section(section: HomeSection) -> None:
    _home_sections[section.key] = section


def render_home_sections(request: HttpRequest, *, above_tiles: bool = False) -> list[SafeString]:
    rendered = []
    sections = (section for section in _home_sections.values() if section.above_tiles == above_tiles)
    for section in sorted(sections, key=lambda section: section.order):
        context = section.context(request.user)
        if context is not None:
            rendered.append(render_to_string(section.template, context, request=request))
    return rendered


# --- Leaders' liaison units (定点联系): who answers for a department or region at the top rung -------------


@dataclass(frozen=True)
class LiaisonDirectory:
    """The leaders linked to each department and to each region (a region's link covers its whole subtree,
    already expanded by the provider: `regions` has every region under a linked one)."""

    departments: dict[int, list[int]]
    regions: dict[int, list[int]]

    def leaders_for(self, *, department_id: int | None, region_id: int | None) -> list[int]:
        found = [*self.departments.get(department_id, []), *self.regions.get(region_id, [])]
        return list(dict.fromkeys(found))


_liaison_provider: list[Callable[[], LiaisonDirectory]] = []


def register_liaison_directory(provider: Callable[[], LiaisonDirectory]) -> None:
    """One provider (the reports app's liaison model); `provider()` is called once per escalation sweep."""
    _liaison_provider[:] = [provider]


def liaison_directory() -> LiaisonDirectory | None:
    return _liaison_provider[0]() if _liaison_provider else None
