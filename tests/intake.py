"""What a browser posts to the intake form, and what the repeat look-up panel offers."""

import re

from django.utils import timezone

from devdata.factories import valid_id_number
from petitions.models import Category, Channel, LegalType, Region

_OFFER = re.compile(r'name="person-0-known_person" value="([^"]+)"')


def intake_post(**overrides) -> dict:
    category = Category.objects.get(code="010100")
    region = Region.objects.get(code="990102")
    data = {
        "channel": Channel.VISIT,
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "headcount": "1",
        "purpose": "request",
        "legal_type": LegalType.CLAIM,
        "category": category.pk,
        "region": region.pk,
        "summary": "反映小区开发商逾期未办理房产证。",
        "request": "要求督促办证。",
        "person-TOTAL_FORMS": "5",
        "person-INITIAL_FORMS": "0",
        "person-MIN_NUM_FORMS": "1",
        "person-MAX_NUM_FORMS": "5",
        "person-0-name": "王小明",
        "person-0-id_number": valid_id_number(),
        "person-0-phone": "138 0013 8000",
    }
    data.update(overrides)
    return data


def offered_people(html: str) -> list[str]:
    """The signed offers of the people the look-up panel shows (in order; "None of these" excluded)."""
    return _OFFER.findall(html)
