"""Full-text search over a case's summary and request, for Chinese as much as for Latin text.

Chinese has no spaces between words and its words are mostly two characters long, too short for a
trigram index. So the text is cut into overlapping character pairs (bigrams): 拆迁补偿 gives 拆迁,
迁补, 补偿. The database keeps them in `Case.search_vector` (a tsvector, computed by the database
itself from summary and request — the one place it is maintained, whatever writes the row) under a
GIN index, and a query matches the cases that hold every pair of every term. Each term is then
checked as a real substring, so 拆迁补偿 does not match a text that has 拆迁 and 补偿 apart.

Both sides are cut the same way by two SQL functions (migration 0006): punctuation and spaces split
the text into segments, each segment is lower-cased and framed by a space (so a one-character term
matches as a prefix: 偿 matches 偿款 and "偿 " at the end of a segment).

On SQLite (the embedded default) there is no search column: the terms are matched with LIKE.
"""

import re

from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

# What splits text into segments, on both sides. Keep in step with migration 0006's SQL functions.
TERM_SEPARATOR = re.compile(r"[\W_]+")


def search_terms(text: str) -> list[str]:
    """The terms of a query: its segments between spaces and punctuation, in order, without repeats."""
    seen: dict[str, None] = {}
    for term in TERM_SEPARATOR.split(text.lower()):
        if term:
            seen.setdefault(term, None)
    return list(seen)


class SearchDocument(Func):
    """The bigram tsvector of summary and request (the expression of Case.search_vector)."""

    function = "petitions_search_vector"
    output_field = SearchVectorField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class _MatchesBigrams(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def text_match(text: str) -> Q | None:
    """A filter for the cases whose summary or request holds every term of `text`; None if no terms."""
    terms = search_terms(text)
    if not terms:
        return None
    exact = Q()
    for term in terms:
        exact &= Q(summary__icontains=term) | Q(request__icontains=term)
    if connection.vendor != "postgresql":
        return exact
    index = _MatchesBigrams(F("search_vector"), Func(Value(" ".join(terms)), function="petitions_search_query"))
    return Q(index) & exact


def filter_text(queryset: QuerySet, text: str) -> QuerySet:
    match = text_match(text)
    return queryset if match is None else queryset.filter(match)
