"""The reference tables' rows (categories, regions, departments) by id, kept in the cache.

Every registration cleans a category and a region: two queries each time, for tables that change a
few times a year. The rows are kept per version of the reference lists (`petitions.caching`), which
a change of any of them renews, in the cache and in each process; while the cache is away they are
read from the table.
"""

from django.db.models import Model

from petitions import caching
from petitions.models import Category

KEPT_SECONDS = 60 * 60  # a backstop: a change renews the version at once


_held: dict[str, tuple[str, dict]] = {}  # this process's copy by model, with its version; read, never changed


def kept_rows(model: type[Model]) -> dict[int, Model]:
    """Every row of `model` (a small reference table), by primary key: this process's copy while the
    version holds, else the cache's, else the table's."""

    def load() -> dict[int, Model]:
        return {row.pk: row for row in model.objects.all()}

    version = caching.reference_version()
    if not version:
        return load()
    label = model._meta.label_lower
    held = _held.get(label)
    if held is not None and held[0] == version:
        return held[1]
    rows = caching.kept(f"reference-rows:{label}:{version}", load, timeout=KEPT_SECONDS)
    _held[label] = (version, rows)
    return rows


def active_categories() -> dict[int, Category]:
    """The categories a new case may be filed under."""
    return {pk: row for pk, row in kept_rows(Category).items() if row.is_active}
