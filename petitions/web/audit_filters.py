"""The identity-access log as auditors read it: who was shown whose identity, when and for what.

Filters are URL parameters (bookmarkable); a petitioner is found by their ID number or phone, never by
browsing people, and shown masked: the log says who looked, it does not show whom in full.
"""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from petitions.identifiers import normalise_id_number, normalise_phone
from petitions.models import IdentityAccess, Petitioner, User
from petitions.web.forms import DateInput


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class IdentityAccessFilterForm(forms.Form):
    def clean_person(self) -> dict[str, str] | None:
        """The ID number or phone typed, as {field: normalised value}; an error when it is neither."""
        value = (self.cleaned_data.get("person") or "").strip()
        if not value:
            return None
        for field, normalise in (("id_number", normalise_id_number), ("phone", normalise_phone)):
            try:
                return {field: normalise(value)}
            except ValidationError:
                continue
        raise ValidationError(_("Enter a resident ID number or a phone number."), code="person")


class IdentityAccessFilter(django_filters.FilterSet):
    user = django_filters.ModelChoiceFilter(
        label=_("Staff member"), queryset=User.objects.filter(is_active=True).order_by("username")
    )
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=IdentityAccess.Purpose.choices)
    case = django_filters.CharFilter(label=_("Case number"), method="filter_case", max_length=20)
    person = django_filters.CharFilter(
        label=_("Petitioner's ID number or phone"), method="filter_person", max_length=30
    )
    since = django_filters.DateFilter(label=_("From"), method="filter_since", widget=DateInput)
    until = django_filters.DateFilter(label=_("To"), method="filter_until", widget=DateInput)

    class Meta:
        model = IdentityAccess
        fields: list[str] = []
        form = IdentityAccessFilterForm

    def filter_case(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().upper()
        return queryset.filter(case__number=value) if value else queryset

    def filter_person(self, queryset: QuerySet, name: str, value: dict[str, str] | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(petitioner__in=Petitioner.objects.filter(**value).values("pk"))

    def filter_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(at__gte=_midnight(value))

    def filter_until(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(at__lt=_midnight(value + timedelta(days=1)))


def identity_accesses() -> QuerySet[IdentityAccess]:
    return IdentityAccess.objects.select_related("user", "case", "petitioner").order_by("-at", "-id")
