"""Queue filters. Every filter is a URL parameter, so a filtered queue can be bookmarked and shared."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.forms import DateInput
from petitions.models import Case, Category, Channel, Department, LegalType, Region, State


class DaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Case number or tracking code"),
        method="filter_q",
        widget=forms.TextInput(attrs={"data-shortcut-search": "", "type": "search"}),
    )
    state = django_filters.MultipleChoiceFilter(
        label=_("State"), choices=State.choices, widget=forms.CheckboxSelectMultiple
    )
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), method="filter_category"
    )
    region = django_filters.ModelChoiceFilter(label=_("Region"), queryset=Region.objects.all(), method="filter_region")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    legal_type = django_filters.ChoiceFilter(label=_("Legal type"), choices=LegalType.choices)
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte", widget=DateInput
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_at", lookup_expr="date__lte", widget=DateInput
    )
    due = django_filters.ChoiceFilter(
        label=_("Deadline"),
        method="filter_due",
        choices=[
            ("overdue", _("Overdue")),
            ("soon", _("Due within 3 days")),
        ],
    )
    overdue_min = DaysFilter(
        label=_("Days overdue, at least"), method="filter_overdue_min", min_value=1, max_value=36500
    )
    overdue_max = DaysFilter(
        label=_("Days overdue, at most"), method="filter_overdue_max", min_value=1, max_value=36500
    )
    repeat = django_filters.BooleanFilter(label=_("Repeat"), field_name="is_repeat")
    collective = django_filters.BooleanFilter(label=_("Collective"), field_name="is_collective")
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=[("due_date", "due"), ("received_at", "received"), ("number", "number")],
        field_labels={"due": _("Deadline"), "received": _("Received"), "number": _("Number")},
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip().upper()
        return queryset.filter(Q(number=value) | Q(tracking_code=value)) if value else queryset

    def filter_category(self, queryset: QuerySet[Case], name: str, value: Category) -> QuerySet[Case]:
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_region(self, queryset: QuerySet[Case], name: str, value: Region) -> QuerySet[Case]:
        return queryset.filter(Q(region=value) | Q(region__parent=value) | Q(region__parent__parent=value))

    def filter_overdue_min(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        return queryset.filter(due_date__lte=timezone.localdate() - timezone.timedelta(days=value))

    def filter_overdue_max(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        today = timezone.localdate()
        return queryset.filter(due_date__lt=today, due_date__gte=today - timezone.timedelta(days=value))

    def filter_due(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(due_date__lt=today)
        if value == "soon":
            return queryset.filter(due_date__gte=today, due_date__lte=today + timezone.timedelta(days=3))
        return queryset
