"""The public site's texts an administrator edits (like the document templates): one row per text,
both languages side by side."""

import re

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PublicTextKey(models.TextChoices):
    INTRO = "intro", _("Home page: what the office is for")
    CHANNELS = "channels", _("Channels, address and phone")
    ACCEPTED = "accepted", _("What the office accepts")
    NOT_ACCEPTED = "not_accepted", _("What the office does not accept")
    STEPS = "steps", _("Processing steps and deadlines")
    CONSENT = "consent", _("What happens to the petitioner's data (consent)")


# Placeholders an admin may write in a text; each is filled from the deadline rules in force.
PLACEHOLDER = re.compile(
    r"\{(accept_days|objection_days|handling_days|extension_days|review_request_days|review_answer_days)\}"
)


class PublicText(models.Model):
    key = models.CharField(_("text"), max_length=20, choices=PublicTextKey.choices, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=100)
    title_en = models.CharField(_("title (English)"), max_length=100)
    body_zh = models.TextField(
        _("text (Chinese)"),
        max_length=5000,
        help_text=_(
            "One paragraph per line; a line starting with “- ” is a list item. Day counts come from the "
            "deadline rules: {accept_days}, {objection_days}, {handling_days}, {extension_days}, "
            "{review_request_days}, {review_answer_days}."
        ),
    )
    body_en = models.TextField(_("text (English)"), max_length=5000)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("public text")
        verbose_name_plural = _("public texts")

    def __str__(self) -> str:
        return str(self.get_key_display())

    @property
    def english(self) -> bool:
        return (get_language() or "zh-hans").startswith("en")

    @property
    def title(self) -> str:
        return self.title_en if self.english else self.title_zh

    @property
    def body(self) -> str:
        return self.body_en if self.english else self.body_zh
