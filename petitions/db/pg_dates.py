"""Dates PostgreSQL holds and Python cannot, read as the nearest that Python (and every time zone) can.

PostgreSQL keeps timestamps from 4713 BC to 294276 AD and 'infinity'; Python's only years 1 to 9999.
One case received on "0001-01-01" in the office's zone (before year 1 in UTC), saved before intake
checked its dates, made every query that read it fail: the queue in every sort, its CSV export, the
case page, the admin. Every date and timestamp with time zone is therefore read through these
loaders (psycopg's documented way to handle such values): a value out of range comes back as the
first or last day Python holds, with a day to spare so that moving it to the office's zone cannot
overflow, and a warning names the raw value. Reading writes nothing back; a service that later saves
that case writes the nearest value, which is then what the case shows.
"""

import logging
from datetime import UTC, date, datetime, timedelta

from psycopg import DataError
from psycopg.adapt import Loader
from psycopg.pq import Format

logger = logging.getLogger(__name__)

EARLIEST_MOMENT = datetime.min.replace(tzinfo=UTC) + timedelta(days=2)
LATEST_MOMENT = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)
EARLIEST_DAY = EARLIEST_MOMENT.date()
LATEST_DAY = LATEST_MOMENT.date()
RANGES = {"date": (EARLIEST_DAY, LATEST_DAY), "timestamptz": (EARLIEST_MOMENT, LATEST_MOMENT)}


class _InRange(Loader):
    """Loads through the loader it replaces; what that one cannot load comes back as the nearest end."""

    replaced: type[Loader]
    lowest: date
    highest: date

    def __init__(self, oid: int, context=None) -> None:
        super().__init__(oid, context)
        self._load = self.replaced(oid, context).load

    def load(self, data):
        try:
            value = self._load(data)
        except DataError as error:
            # psycopg says "too small (before year 1)" or "too large (after year 10K)", in both formats.
            nearest = self.lowest if "small" in str(error) else self.highest
            raw = bytes(data).decode(errors="replace") if self.format == Format.TEXT else bytes(data).hex()
            logger.warning("A value out of Python's range (%s) was read as %s.", raw, nearest.isoformat())
            return nearest
        # In range, but a time zone could move it out (9999-12-31 23:00 UTC is in year 10000 in Beijing).
        if isinstance(value, datetime) and value.tzinfo is not None:
            return min(max(value, self.lowest), self.highest)
        return value


def read_out_of_range_dates(sender, connection, **kwargs) -> None:
    """`connection_created`: replace the date and timestamptz loaders of a new PostgreSQL connection."""
    if connection.vendor != "postgresql":
        return
    adapters = connection.connection.adapters
    for type_name, (lowest, highest) in RANGES.items():
        oid = adapters.types[type_name].oid
        for format_ in (Format.TEXT, Format.BINARY):
            current = adapters.get_loader(oid, format_)
            if current is None or issubclass(current, _InRange):
                continue
            attributes = {"replaced": current, "lowest": lowest, "highest": highest, "format": format_}
            if hasattr(current, "timezone"):
                # Django compares it before each cursor, and would otherwise put its own loader back.
                attributes["timezone"] = current.timezone
            adapters.register_loader(oid, type(f"InRange{current.__name__}", (_InRange,), attributes))
