"""Reference data an admin keeps: departments, content categories, regions."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Department(models.Model):
    """承办单位: a unit cases are routed to (谁主管谁负责)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(pgettext_lazy("of a thing, not a person", "name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    categories = models.ManyToManyField(
        "petitions.Category",
        verbose_name=_("competent for categories"),
        blank=True,
        related_name="competent_departments",
    )
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """内容分类: the published statistics' content categories, a tree with 6-digit codes."""

    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("A category code is 6 digits."))],
    )
    name = models.CharField(pgettext_lazy("of a thing, not a person", "name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    default_department = models.ForeignKey(
        Department,
        verbose_name=_("default department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for_categories",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="category_code_6_digits"),
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """问题属地: where the matter arose; province → city → county → township."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county")
        TOWNSHIP = 4, _("township")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(pgettext_lazy("of a thing, not a person", "name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name
