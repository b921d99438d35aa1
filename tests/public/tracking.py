"""Opening cases in a browser's session the way a petitioner does: the tracking look-up form."""

from django.test import Client
from django.urls import reverse

from petitions.models import Case


def second_factor(case: Case) -> str:
    person = case.case_petitioners.order_by("position").first()
    return (person.phone or person.id_number)[-4:]


def open_cases(client: Client, cases: list[Case]) -> None:
    for case in cases:
        response = client.post(reverse("public:track"), {"code": case.tracking_code, "factor": second_factor(case)})
        assert response.status_code == 302, response.status_code


def tracking_codes(cases: list[Case]) -> list[str]:
    """Path values for <code>: real codes, and one that exists nowhere."""
    return [case.tracking_code for case in cases] + ["ZZZZZZZZZZZZ"]
