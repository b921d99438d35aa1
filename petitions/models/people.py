"""Staff (users with roles) and petitioners (信访人)."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .reference import Department


class User(AbstractUser):
    # Chinese names are not split into first and last; one field, shown everywhere.
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Handlers and department heads see the cases of this department only."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class Petitioner(models.Model):
    """A person who brings a matter. One row per person, so that their cases can be linked."""

    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")
        UNKNOWN = "", _("not stated")

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True, default="")
    # Stored in its 18-character form (15-digit legacy numbers are converted), upper-case X.
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True, default="")
    # Digits only, mainland mobile numbers without +86.
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="", db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True, default="")
    confidential = models.BooleanField(
        _("identity confidential"),
        default=False,
        help_text=_("The petitioner asked that their identity be withheld from the departments."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("petitioner")
        verbose_name_plural = _("petitioners")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="petitioner_id_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(id_number="") | models.Q(id_number__regex=r"^[0-9]{17}[0-9X]$"),
                name="petitioner_id_number_format",
            ),
        ]
        indexes = [
            # Name search matches from the start of the name (the surname first).
            models.Index(fields=["name"], name="petitioner_name_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name
