"""Queue filters. Every filter is a URL parameter, so a filtered queue can be bookmarked and shared.

Each filter is written so that an index can serve it at a million cases: dates become ranges of
`received_at`, tree filters become `IN (sub-query)`, text goes through the bigram index
(petitions.models.search_vector), a name through the petitioners' name index.
"""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from petitions.clocks import urgency
from petitions.models import Case, CasePetitioner, Category, Channel, LegalType, Region, State
from petitions.models.search_vector import text_match
from petitions.selectors import queues, scopes
from petitions.selectors.cases import FilterChoices, filter_choices
from petitions.services.intake import TRACKING_ALPHABET, TRACKING_CODE_LENGTH
from petitions.web.forms import RecordDateField
from petitions.web.widget_html import KeptSelect

# Sort keys: (label, ordering). Every ordering ends with the id so that pages never overlap.
SORTS = {
    "due": (_("Deadline, earliest first"), (F("due_date").asc(nulls_last=True), "id")),
    "-due": (_("Deadline, latest first"), (F("due_date").desc(nulls_last=True), "-id")),
    "-received": (_("Received, newest first"), ("-received_at", "-id")),
    "received": (_("Received, oldest first"), ("received_at", "id")),
    "number": (_("Case number"), ("number",)),
    "-number": (_("Case number, descending"), ("-number",)),
}
CASE_NUMBER = re.compile(r"XF\d{4}-\d{6}")
TRACKING_CODE = re.compile(f"[{TRACKING_ALPHABET}]{{{TRACKING_CODE_LENGTH}}}")
# Filters whose options are reference data: filter name → attribute of selectors.FilterChoices.
CHOICE_FILTERS = {
    "department": "departments",
    "category": "categories",
    "region": "regions",
    "owning_leader": "leaders",
}


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class DaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class RecordDateFilter(django_filters.DateFilter):
    field_class = RecordDateField  # from 2000 to the end of next year: a range the database and Python can hold


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Case number, tracking code or text"),
        method="filter_q",
        # A search's words become one text query: thousands of them exceed PostgreSQL's stack (a 500).
        max_length=200,
        widget=forms.TextInput(attrs={"data-shortcut-search": "", "type": "search"}),
    )
    # At least two characters: a surname alone (王 is 7 % of people) lists strangers, not a person.
    name = django_filters.CharFilter(
        label=_("Petitioner name"),
        method="filter_name",
        min_length=2,
        max_length=50,
        help_text=_("At least two characters of the name."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    state = django_filters.MultipleChoiceFilter(
        label=_("State"),
        choices=State.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,  # state is a column of the case: no join, so no duplicates (DISTINCT would defeat the indexes)
    )
    # Options come from selectors.filter_choices() (one query for all four lists; see __init__).
    department = django_filters.ChoiceFilter(label=_("Department"), field_name="department_id")
    category = django_filters.ChoiceFilter(label=_("Category"), method="filter_category")
    region = django_filters.ChoiceFilter(label=_("Region"), method="filter_region")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    legal_type = django_filters.ChoiceFilter(label=_("Legal type"), choices=LegalType.choices)
    owning_leader = django_filters.ChoiceFilter(label=_("Owning leader"), field_name="owning_leader_id")
    received_from = RecordDateFilter(label=_("Received from"), method="filter_received_from")
    received_to = RecordDateFilter(label=_("Received to"), method="filter_received_to")
    due = django_filters.ChoiceFilter(
        label=_("Deadline"),
        method="filter_due",
        choices=lambda: [("overdue", _("Overdue")), ("soon", urgency.due_soon_label())],
    )
    overdue_min = DaysFilter(
        label=_("Days overdue, at least"), method="filter_overdue_min", min_value=1, max_value=36500
    )
    overdue_max = DaysFilter(
        label=_("Days overdue, at most"), method="filter_overdue_max", min_value=1, max_value=36500
    )
    repeat = django_filters.BooleanFilter(label=_("Repeat"), field_name="is_repeat")
    collective = django_filters.BooleanFilter(label=_("Collective"), field_name="is_collective")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        *args,
        default_sort: str = "due",
        hide: tuple[str, ...] = (),
        choices: FilterChoices | None = None,
        **kwargs,
    ) -> None:
        if data is not None and not data.get("sort"):
            # A filtered list without a chosen sort keeps the list's own: the form must show it selected,
            # or the browser shows (and the next filter change sends) the first choice, the deadline.
            data = data.copy()
            data["sort"] = default_sort
        super().__init__(data, *args, **kwargs)
        self.default_sort = default_sort
        user = getattr(self.request, "user", None)
        if user is None or not scopes.may_search_identity(user):
            hide = (*hide, "name")
        for name in hide:
            self.filters.pop(name, None)
        # Read only when a form draws or checks one of the lists, and once: a function, not a partial of the
        # lazy object, because the form deep-copies its fields' choices, and a deep copy of an unread
        # SimpleLazyObject is a new one that reads the lists again.
        self.choices = choices if choices is not None else SimpleLazyObject(filter_choices)
        for name, attribute in CHOICE_FILTERS.items():
            if name in self.filters:
                self.filters[name].extra["choices"] = self._choices_of(attribute)
                self.filters[name].extra["widget"] = KeptSelect(version=lambda: self.choices.version)

    def _choices_of(self, attribute: str):
        return lambda: getattr(self.choices, attribute)

    @property
    def form(self) -> forms.Form:
        form = super().form
        if "sort" in form.fields:
            form.fields["sort"].initial = self.default_sort
        return form

    @property
    def qs(self) -> QuerySet[Case]:
        queryset = super().qs
        if not self.is_bound or not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS[self.default_sort][1])
        return queryset

    text_searched = False  # set when the list is narrowed by words
    # Filters on the case's own columns, whose matches PostgreSQL's statistics estimate well (a page of
    # a list filtered by these alone needs no plan of ours: queues.page_plan).
    WELL_ESTIMATED = frozenset({"state", "department", "channel", "legal_type", "owning_leader", "sort", "page"})

    @property
    def misjudged(self) -> bool:
        """Whether a filter in use is one PostgreSQL misjudges (words, trees, names, dates, deadlines)."""
        if not self.is_bound:
            return False
        return self.text_searched or any(
            value not in ("", None, [])
            for name, value in self.form.cleaned_data.items()
            if name not in self.WELL_ESTIMATED
        )

    @property
    def count_limit(self) -> int:
        """How far the list's total is counted: a text search confirms each match, so it stops sooner."""
        return queues.TEXT_COUNT_LIMIT if self.text_searched else queues.COUNT_LIMIT

    def filter_q(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """A case number or a tracking code finds that case; anything else is searched as text."""
        value = value.strip()
        code = value.upper()
        if CASE_NUMBER.fullmatch(code):
            return queryset.filter(number=code)
        if TRACKING_CODE.fullmatch(code):
            return queryset.filter(tracking_code=code)
        text = text_match(value)
        if text is None:
            return queryset
        self.text_searched = True
        return queryset.filter(text)

    def filter_name(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        cases = CasePetitioner.objects.filter(name__startswith=value).values("case_id")  # as each case recorded it
        queryset = queryset.filter(pk__in=cases)
        allowed = scopes.identity_visibility_filter(self.request.user)
        return queryset if allowed is None else queryset.filter(allowed)

    # The trees are read first (tiny tables), so that the case query carries the ids themselves:
    # PostgreSQL then estimates the match well and uses the (category, region) index.
    def filter_category(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        tree = Category.objects.filter(Q(pk=value) | Q(parent_id=value)).values_list("pk", flat=True)
        return queryset.filter(category_id__in=list(tree))

    def filter_region(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        tree = Region.objects.filter(Q(pk=value) | Q(parent_id=value) | Q(parent__parent_id=value))
        return queryset.filter(region_id__in=list(tree.values_list("pk", flat=True)))

    def filter_received_from(self, queryset: QuerySet[Case], name: str, value) -> QuerySet[Case]:
        return queryset.filter(received_at__gte=_local_midnight(value))

    def filter_received_to(self, queryset: QuerySet[Case], name: str, value) -> QuerySet[Case]:
        return queryset.filter(received_at__lt=_local_midnight(value + timedelta(days=1)))

    def filter_overdue_min(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        return queryset.filter(urgency.overdue_by(timezone.localdate(), at_least=value))

    def filter_overdue_max(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        return queryset.filter(urgency.overdue_by(timezone.localdate(), at_most=value))

    def filter_due(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(urgency.overdue(today))
        if value == "soon":
            return queryset.filter(urgency.due_soon(today))
        return queryset

    def filter_sort(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.order_by(*SORTS.get(value or self.default_sort, SORTS[self.default_sort])[1])
