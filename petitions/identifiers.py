"""Resident ID numbers, phone numbers and the masks that keep identity out of lists."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_SEPARATORS = re.compile(r"[\s\-()（）]+")


def id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def _birth_date(yyyymmdd: str) -> date | None:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None
    if born.year < 1880 or born > timezone.localdate():
        return None
    return born


def normalise_id_number(raw: str) -> str:
    """The 18-character form of a resident ID number, or ValidationError with the reason.

    15-digit numbers (first-generation cards) are accepted and converted, so that a person is
    recognised whichever card they show.
    """
    value = _SEPARATORS.sub("", raw or "").upper()
    if len(value) == 15:
        if not value.isdigit():
            raise ValidationError(_("A 15-digit ID number contains digits only."), code="id_chars")
        if _birth_date("19" + value[6:12]) is None:
            raise ValidationError(_("The birth date in this ID number is not a real date."), code="id_birth")
        first17 = value[:6] + "19" + value[6:]
        return first17 + id_check_digit(first17)
    if len(value) != 18:
        raise ValidationError(
            _("A resident ID number has 18 characters (or 15 digits on an old card); this one has %(count)d."),
            code="id_length",
            params={"count": len(value)},
        )
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."),
            code="id_chars",
        )
    if _birth_date(value[6:14]) is None:
        raise ValidationError(_("The birth date in this ID number is not a real date."), code="id_birth")
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("The last character of this ID number does not match the others: please check the number."),
            code="id_check_digit",
        )
    return value


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")  # area code with its leading 0, then the number
_LOCAL = re.compile(r"^[2-9]\d{6,7}$")  # a local number without area code


def normalise_phone(raw: str) -> str:
    """Digits only; +86/0086 dropped. Mobile, landline with area code, or local number."""
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not value.isdigit() or not (_MOBILE.match(value) or _LANDLINE.match(value) or _LOCAL.match(value)):
        raise ValidationError(
            _("Enter a mobile number (11 digits starting with 1) or a landline number with its area code."),
            code="phone",
        )
    return value


def is_mobile(phone: str) -> bool:
    """A normalised phone number that can take an SMS."""
    return bool(_MOBILE.match(phone or ""))


def mask_email(email: str) -> str:
    """The first character of the mailbox and the domain: z***@example.cn."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else local[:1] + "***"


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_id_number(id_number: str) -> str:
    return f"{id_number[:3]}{'*' * 11}{id_number[-4:]}" if id_number else ""


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) <= 7:
        return phone[:2] + "*" * (len(phone) - 2)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_address(address: str) -> str:
    return address[:6] + "***" if len(address) > 6 else ("***" if address else "")
