"""The register records issues, never people: no field of its tables names, identifies or reaches an
individual, and every free text tells the one typing it not to write personal data."""

import pytest
from django.db import models
from django.utils import translation

from petitions.models import CasePetitioner, IdentityAccess, Petitioner
from screening.models import Campaign, Entry, EntryCase, EntryLog

REGISTER_MODELS = [Entry, EntryLog, EntryCase, Campaign]
# Parts of a field name that would hold a person: their name, ID, phone, address, birth, gender …
PERSONAL_NAME_PARTS = (
    "name", "surname", "id_number", "idcard", "identity", "phone", "mobile", "tel", "address", "gender",
    "sex", "birth", "age", "email", "wechat", "petitioner", "person", "people", "contact",
)  # fmt: skip
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField)
PERSONAL_MODELS = (Petitioner, CasePetitioner, IdentityAccess)
# The only references to people: staff answering for the entry or recording it (not the public).
STAFF_FIELDS = {"leader", "created_by", "actor"}


def _fields(model):
    return [field for field in model._meta.get_fields() if not field.auto_created or field.concrete]


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda model: model.__name__)
def test_the_register_has_no_field_for_an_individual(model):
    problems = []
    for field in _fields(model):
        name = field.name.lower()
        drive_name = model is Campaign and name == "name"  # the campaign's own name (大排查's title)
        if any(part in name for part in PERSONAL_NAME_PARTS) and not drive_name:
            problems.append(f"{model.__name__}.{field.name}: a name for personal data")
        if isinstance(field, PERSONAL_TYPES):
            problems.append(f"{model.__name__}.{field.name}: a type for personal data")
        related = getattr(field, "related_model", None)
        if related in PERSONAL_MODELS:
            problems.append(f"{model.__name__}.{field.name}: reaches a petitioner")
        if related is not None and related._meta.label == "petitions.User" and field.name not in STAFF_FIELDS:
            problems.append(f"{model.__name__}.{field.name}: a person, not a staff role")
    assert problems == []


def test_a_campaign_name_is_the_drive_s_name_not_a_person_s():
    with translation.override("en"):  # the office's language is the default: compare with the English text
        assert str(Campaign._meta.get_field("name").verbose_name) == "campaign"


@pytest.mark.parametrize("model", REGISTER_MODELS, ids=lambda model: model.__name__)
def test_every_free_text_of_the_register_says_not_to_enter_personal_data(model):
    free_texts = [
        field
        for field in _fields(model)
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and field.name not in ("name", "status", "source_status", "target_status")
        and not isinstance(field, models.SlugField)
    ]
    with translation.override("en"):
        missing = [
            f"{model.__name__}.{field.name}"
            for field in free_texts
            if "no names" not in str(field.help_text).lower() or "phone" not in str(field.help_text).lower()
        ]
    assert missing == []
    if model is Entry:
        assert {field.name for field in free_texts} == {"title", "description", "organisations", "plan"}
