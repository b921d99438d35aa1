"""Queue reads: each role's list of cases, their counts, their rows and their CSV export.

Every list starts from `selectors.visible_cases(user)`, so a list can never show more than the user
may see. At a million cases an exact COUNT(*) would read every matching row on every page view, so
counts stop and say so ("2,000+"): exact where it is small, honest where it is not, and the cost of
a page stays bounded whatever the filter matches. The per-state badges are read from an index alone
and stop at STATE_COUNT_LIMIT; the filtered total may have to read the cases themselves (a text
search, a category or region tree), so it stops sooner, at COUNT_LIMIT. The per-state badges are
the same for every filter and page of a list, and a filter's total the same for every page of it:
both are kept in the cache until a case changes.
"""

import hashlib
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from petitions.models import Case, Channel, Closure, State, User
from petitions.selectors.scopes import co_department_filter, visible_cases

COUNT_LIMIT = 2_000
# Counting text matches reads each candidate to confirm its words: a search's total stops sooner.
TEXT_COUNT_LIMIT = 500
STATE_COUNT_LIMIT = 10_000
PAGE_SIZE = 50

# What a row of a list shows, and so all a list query reads.
ROW_FIELDS = (
    "number",
    "version",
    "state",
    "channel",
    "received_at",
    "due_date",
    "handling_due",  # shown while the office reviews the outcome: the handling clock runs on
    "headcount",
    "is_collective",
    "is_repeat",
    "summary",
    "legal_type",
    "category__name",
    "department__name",
    "handler__full_name",
    "handler__username",
)


# --- Which cases each list holds -------------------------------------------------------------------


def queue_cases(user: User) -> QuerySet[Case]:
    """The supervisors' queue: every case the user can see."""
    return visible_cases(user)


def registered_cases(user: User) -> QuerySet[Case]:
    """What the clerk registered, and what came in online (the intake desk's shared work)."""
    return visible_cases(user).filter(Q(registered_by=user) | Q(channel=Channel.ONLINE))


def department_cases(user: User, *, mine: bool = False) -> QuerySet[Case]:
    """The cases of the user's department, and those it holds a part of (marked `co_unit`, 协办); with
    `mine`, only those the user handles."""
    if user.department_id is None:
        return Case.objects.none()
    if mine:
        return visible_cases(user).filter(department_id=user.department_id, handler=user)
    co_unit = co_department_filter(user.department_id)
    return (
        visible_cases(user)
        .filter(Q(department_id=user.department_id) | co_unit)
        .annotate(co_unit=ExpressionWrapper(~Q(department_id=user.department_id) & co_unit, BooleanField()))
    )


def owned_cases(user: User) -> QuerySet[Case]:
    """The cases the leader owns (包案)."""
    return visible_cases(user).filter(owning_leader=user)


# --- Counting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CappedCount:
    """A count that stopped at COUNT_LIMIT: `capped` means there are more than `value`."""

    value: int
    capped: bool

    @classmethod
    def of(cls, counted: int, limit: int) -> "CappedCount":
        return cls(min(counted, limit), counted > limit)


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: CappedCount


@dataclass(frozen=True)
class ListCounts:
    total: CappedCount  # of the filtered list
    by_state: list[StateCount]  # of the list without filters


Select = tuple[str, list]  # one selected expression of SQL and its parameters


def _capped_count(queryset: QuerySet[Case], limit: int) -> Select:
    """The count of `queryset`, stopping one past `limit`, as an expression to select."""
    if queryset.query.is_empty():  # e.g. .none() for a list whose filters are invalid
        return "0", []
    sql, params = queryset.order_by().values("pk")[: limit + 1].query.sql_with_params()
    return f"(SELECT COUNT(*) FROM ({sql}) AS capped)", list(params)  # noqa: S608 - SQL compiled by Django


def _select_sql(selects: list[Select]) -> Select:
    """One SELECT of all the expressions."""
    return "SELECT " + ", ".join(sql for sql, _params in selects), [p for _sql, params in selects for p in params]


def _fetch_counts(selects: list[Select], using: str) -> tuple[int, ...]:
    with connections[using].cursor() as cursor:
        cursor.execute(*_select_sql(selects))
        return tuple(cursor.fetchone())


def capped_counts(querysets: list[QuerySet[Case]], *, limit: int) -> list[CappedCount]:
    """Each queryset's count, stopping at `limit`, all in one query."""
    if not querysets:
        return []
    counted = _fetch_counts([_capped_count(queryset, limit) for queryset in querysets], querysets[0].db)
    return [CappedCount.of(n, limit) for n in counted]


def _state_counts(base: QuerySet[Case], state_limit: int) -> list[Select]:
    # A duplicate merged into its main case (并案) is one matter, counted once: with its main case.
    return [
        _capped_count(
            base.filter(state=state).exclude(closure=Closure.MERGED)
            if state == State.CLOSED
            else base.filter(state=state),
            state_limit,
        )
        for state in State.values
    ]


def counts_sql(
    base: QuerySet[Case], filtered: QuerySet[Case], *, limit: int | None = None, state_limit: int | None = None
) -> Select:
    """One SELECT of the capped counts: the filtered total, then one per state of `base` (as a page
    reads them when the cache does not have the per-state ones)."""
    limit, state_limit = limit or COUNT_LIMIT, state_limit or STATE_COUNT_LIMIT
    return _select_sql([_capped_count(filtered, limit), *_state_counts(base, state_limit)])


# The per-state badges of a list are the same on every page and for every filter of it, and they
# change only when a case is registered or changes: they are kept in the cache under the version
# that every committed change of a case renews (`cases_changed`), so a page reads them once, not on
# every view.
CASES_VERSION_KEY = "cases:version"
STATE_COUNTS_SECONDS = 300  # a backstop: a version renewal lost with a crashed process heals by itself


def cases_changed(sender=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Signal receiver on Case: the kept per-state counts are counted again once this change commits.

    Until then another process must not see the change (so the counts kept for it stay right), and
    this transaction counts afresh (`_change_pending`). One renewal per transaction, however many
    cases it saves.
    """
    if not _change_pending(using):
        # robust: the case is committed whatever happens to the cache (config/cache.py logs its failures).
        transaction.on_commit(forget_case_counts, using=using, robust=True)


def _change_pending(using: str) -> bool:
    """Whether this connection's open transaction has saved a case (its renewal waits for the commit)."""
    connection = connections[using]
    return connection.in_atomic_block and any(
        callback is forget_case_counts for _savepoints, callback, _robust in connection.run_on_commit
    )


def forget_case_counts() -> None:
    """The kept per-state counts are counted again on their next view."""
    cache.set(CASES_VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _cases_version() -> str | None:
    version = cache.get(CASES_VERSION_KEY)
    if version is None:
        cache.add(CASES_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CASES_VERSION_KEY)
    return version


def _counts_key(kind: str, version: str | None, selects: list[Select]) -> str:
    """A key for the counts that these SELECTs make of this version of the cases. The SQL holds the
    viewer's scope (visible_cases), so two viewers share a count only when they count the same cases."""
    sql, params = _select_sql(selects)
    digest = hashlib.blake2b(f"{version}|{sql}|{params!r}".encode(), digest_size=16).hexdigest()
    return f"{kind}:{digest}"


def list_counts(
    base: QuerySet[Case], filtered: QuerySet[Case], *, limit: int | None = None, state_limit: int | None = None
) -> ListCounts:
    """The filtered total (stopping at `limit`) and the per-state counts of `base` (at `state_limit`).

    At most one query: the total and the per-state counts that the cache does not have for this
    version of the cases (a filter viewed again before a case changes is counted once).
    """
    limit, state_limit = limit or COUNT_LIMIT, state_limit or STATE_COUNT_LIMIT
    state_counts = _state_counts(base, state_limit)
    total_count = _capped_count(filtered, limit)
    # Kept unless this transaction changed a case: it counts afresh (see cases_changed).
    keep = not _change_pending(base.db)
    version = _cases_version() if keep else None
    total_key = _counts_key("total", version, [total_count])
    state_key = _counts_key("state-counts", version, state_counts)
    kept = cache.get_many([total_key, state_key]) if keep else {}
    total, by_state = kept.get(total_key), kept.get(state_key)
    wanted = [*([total_count] if total is None else []), *(state_counts if by_state is None else [])]
    if wanted:
        counted = list(_fetch_counts(wanted, base.db))
        fresh = {}
        if total is None:
            total = fresh[total_key] = counted.pop(0)
        if by_state is None:
            by_state = fresh[state_key] = tuple(counted)
        if keep:
            cache.set_many(fresh, timeout=STATE_COUNTS_SECONDS)
    return ListCounts(
        total=CappedCount.of(total, limit),
        by_state=[
            StateCount(value, label, CappedCount.of(n, state_limit))
            for (value, label), n in zip(State.choices, by_state, strict=True)
        ],
    )


class CappedPaginator(Paginator):
    """Pages over a list whose count may have stopped at COUNT_LIMIT (then the pages do too)."""

    def __init__(self, object_list, per_page: int, *, total: CappedCount) -> None:
        super().__init__(object_list, per_page)
        self.total = total
        self.__dict__["count"] = total.value  # Paginator.count is a cached property: no second COUNT

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total.value / self.per_page))


# When more cases match than the total counts (COUNT_LIMIT), a page is read by walking the index of
# its sort order and keeping the rows that match (about PAGE_SIZE × cases ÷ matches rows), not by
# collecting every match and sorting them (one read of the table per match). PostgreSQL misjudges
# how many cases a text search or a pair of filters matches (`misjudged`); the count we have just
# made decides. For the other lists (no filter, or filters on the case's own columns, which the
# statistics know) PostgreSQL picks that plan itself, and is not told: no SET LOCAL round trip and
# no transaction around the page (EXPLAIN ANALYZE at 1,000,000 cases: the same plans, bench/README).


@contextmanager
def page_plan(total: CappedCount, using: str, *, misjudged: bool = True) -> Iterator[None]:
    """Inside: queries read a page the way its number of matches calls for (see above)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not total.capped or not misjudged:
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_seqscan = off; "
            "SET LOCAL max_parallel_workers_per_gather = 0"
        )
        yield


def list_rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    """A list's cases with only what a row shows."""
    return cases.select_related("category", "department", "handler").only(*ROW_FIELDS)


def list_page(cases: QuerySet[Case], *, total: CappedCount, number: str | int | None, misjudged: bool = True) -> Page:
    """One page of rows, in one query that first picks the page's ids and then reads their rows.

    Picking the ids needs only the filtered and sorted columns, which an index may hold (the table
    is then read for the 50 rows shown, not for every case the filters match). `misjudged`: the
    filters are of a kind PostgreSQL misjudges (see page_plan).
    """
    page = CappedPaginator(cases, PAGE_SIZE, total=total).get_page(number)
    ids = page.object_list.values("pk")
    # What the list annotated for its rows (a department's 协办 mark) is read with them.
    shown = {name: cases.query.annotations[name] for name in cases.query.annotation_select}
    rows = list_rows(Case.objects.filter(pk__in=ids).annotate(**shown))
    rows = rows.order_by(*cases.query.order_by or Case._meta.ordering)
    with page_plan(total, cases.db, misjudged=misjudged):
        page.object_list = list(rows)
    return page


# --- Export -----------------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "number",
    "state",
    "channel",
    "received_at",
    "due_date",
    "purpose",
    "legal_type",
    "headcount",
    "is_collective",
    "is_repeat",
    "skip_level",
    "summary",
    "request",
    "complained_unit",
    "category__name",
    "region__name",
    "department__name",
    "handler__full_name",
    "handler__username",
    "owning_leader__full_name",
    "owning_leader__username",
    "outcome",
    "closure",
    "closed_at",
)


def export_cases(cases: QuerySet[Case], *, chunk_size: int = 2000) -> Iterator[Case]:
    """The cases of a list for its CSV, read in chunks (a server-side cursor on PostgreSQL)."""
    rows = cases.select_related("category", "region", "department", "handler", "owning_leader").only(*EXPORT_FIELDS)
    yield from rows.iterator(chunk_size=chunk_size)
