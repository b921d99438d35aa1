"""What every staff page asks of returns (the special-period banner, whether the user answers for a unit),
kept per process (`petitions.caching.VersionedCopy`): no query per page.

While the cache does not answer, the copy read from the database is held for OUTAGE_HOLD_SECONDS
instead of being read again on every page; a change made in this process drops it at once.
"""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from petitions.caching import VersionedCopy, now_and_on_commit


@dataclass(frozen=True)
class Banner:
    pk: int
    name: str
    starts: date
    ends: date
    all_units: bool
    every_day: bool


class ReturnsDirectory(VersionedCopy):
    VERSION_KEY = "information:returns-directory"
    OUTAGE_HOLD_SECONDS = 30.0
    _read_at = 0.0

    def __init__(self, periods: list[Banner], responsible: frozenset[int]) -> None:
        self.periods = periods
        self.responsible = responsible

    @classmethod
    def read(cls) -> "ReturnsDirectory":
        from information.models import ReportingUnit, SpecialPeriod

        # Periods that have not ended a day ago: the copy stays right as the days pass without a change.
        rows = SpecialPeriod.objects.filter(ends__gte=timezone.localdate() - timedelta(days=1)).order_by("starts", "pk")
        periods = [Banner(p.pk, p.name, p.starts, p.ends, p.all_units, p.every_day) for p in rows]
        responsible = frozenset(
            ReportingUnit.objects.filter(is_active=True).values_list("responsible_id", flat=True).distinct()
        )
        return cls(periods, responsible)

    @classmethod
    def load(cls) -> "ReturnsDirectory":
        now = time.monotonic()
        loaded = cls._loaded
        if loaded is not None and now - cls._checked_at < cls.CHECK_EVERY_SECONDS:
            return loaded[1]
        cls._checked_at = now
        version = cache.get(cls.VERSION_KEY)
        if version is None:
            cache.add(cls.VERSION_KEY, f"{time.time_ns()}", timeout=None)
            version = cache.get(cls.VERSION_KEY)
        if version is None:  # the cache is away: hold what was read for a while
            if loaded is not None and loaded[0] == "" and now - cls._read_at < cls.OUTAGE_HOLD_SECONDS:
                return loaded[1]
            copy = cls.read()
            cls._loaded, cls._read_at = ("", copy), now
            return copy
        if loaded is not None and loaded[0] == version:
            return loaded[1]
        copy = cls.read()
        cls._loaded, cls._read_at = (version, copy), now
        return copy

    def current(self, today: date) -> list[Banner]:
        return [period for period in self.periods if period.starts <= today <= period.ends]


def directory_changed(sender=None, **kwargs) -> None:
    """Signal receiver: a special period or a reporting unit changed."""
    now_and_on_commit(ReturnsDirectory.changed)


def renew_after_outage(**kwargs) -> None:
    ReturnsDirectory.changed()


def current_special_periods(today: date | None = None) -> list[Banner]:
    return ReturnsDirectory.load().current(today or timezone.localdate())


def answers_for_a_unit(user) -> bool:
    return user.pk in ReturnsDirectory.load().responsible
