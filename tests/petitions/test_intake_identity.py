"""Intake and people on record: a clerk links only a person the look-up offered them for what they
typed; errors never print a stored identity; a record changes only on the clerk's explicit, logged
choice, and earlier cases keep what they recorded."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from devdata.factories import UserFactory, as_recorded, petitioner_data, register_case, valid_id_number
from petitions.identifiers import mask_id_number, mask_name
from petitions.models import Case, CaseLog, CasePetitioner, IdentityAccess, LegalType, Petitioner, Role
from petitions.web.forms import person_offer
from tests.intake import intake_post, offered_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def accuser(clerk):
    """A confidential accuser on record, registered by another clerk."""
    other_clerk = UserFactory(roles=[Role.CLERK])
    case = register_case(
        clerk=other_clerk,
        legal_type=LegalType.ACCUSATION,
        summary="举报某局长收受开发商贿赂丁戊己。",
        petitioners=[petitioner_data(name="钱举报", confidential=True)],
    )
    return case, case.case_petitioners.get().petitioner


def _full_identity_in(html: str, person: Petitioner) -> list[str]:
    return [value for value in (person.name, person.id_number, person.phone, person.address) if value in html]


def test_a_bare_person_key_links_nobody_and_shows_nothing(client, clerk, accuser):
    _case, person = accuser
    client.force_login(clerk)
    data = intake_post(**{"person-0-name": "张三", "person-0-known_person": str(person.pk)})
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert not _full_identity_in(html, person) and mask_name(person.name) not in html
    assert Case.objects.count() == 1 and person.case_links.count() == 1
    assert not IdentityAccess.objects.filter(petitioner=person).exists()


def test_an_offer_made_to_another_clerk_is_refused(client, clerk, accuser):
    _case, person = accuser
    other_clerk = UserFactory(roles=[Role.CLERK])
    client.force_login(clerk)
    offer = person_offer(user=other_clerk, person_pk=person.pk)
    data = intake_post(
        **{"person-0-name": "张三", "person-0-id_number": person.id_number, "person-0-known_person": offer}
    )
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 422
    assert "offer" in [error.code for error in response.context["people"].forms[0].errors.as_data()["known_person"]]
    assert person.case_links.count() == 1


def test_an_offer_for_a_phone_does_not_link_with_another_id_number_and_names_nobody(client, clerk, accuser):
    _case, person = accuser
    client.force_login(clerk)
    panel = client.get(reverse("case_repeat_lookup"), {"person-0-phone": person.phone}).content.decode()
    [offer] = offered_people(panel)
    data = intake_post(
        **{
            "person-0-name": "张三",
            "person-0-id_number": valid_id_number(),
            "person-0-phone": person.phone,
            "person-0-known_person": offer,
        }
    )
    response = client.post(reverse("case_create"), data)
    assert response.status_code == 422
    errors = " ".join(response.context["form"].non_field_errors())
    assert "ID number typed differs" in errors or "身份证号码" in errors
    assert "钱" not in errors  # not the name, not even the surname
    assert person.name not in response.content.decode()
    assert person.case_links.count() == 1
    person.refresh_from_db()
    assert person.name == "钱举报"


def test_the_look_up_hides_what_the_clerk_may_not_open_and_is_logged(client, clerk, accuser):
    case, person = accuser
    mine = register_case(clerk=clerk, petitioners=[as_recorded(case)], summary="反映小区电梯长期故障甲乙丙。")
    client.force_login(clerk)
    html = client.get(reverse("case_repeat_lookup"), {"person-0-id_number": person.id_number}).content.decode()
    assert case.number in html and mine.number in html  # that the cases exist, and their numbers
    assert "丁戊己" not in html and "举报某局长" not in html  # not what the other clerk's accusation says
    assert "甲乙丙" in html  # the clerk's own case, which they may open
    assert mask_name(person.name) in html and person.name not in html
    assert mask_id_number(person.id_number) in html
    access = IdentityAccess.objects.get(user=clerk, purpose=IdentityAccess.Purpose.LOOKUP)
    assert access.petitioner == person and access.case is None and access.detail == "id_number"


def test_a_look_up_that_finds_nobody_is_logged_too(client, clerk):
    client.force_login(clerk)
    client.get(reverse("case_repeat_lookup"), {"person-0-id_number": valid_id_number()})
    assert IdentityAccess.objects.filter(user=clerk, purpose="lookup", petitioner=None).count() == 1


@override_settings(REPEAT_LOOKUP_LIMIT=3)
def test_look_ups_are_limited_per_clerk(client, clerk):
    people = [register_case(clerk=clerk).case_petitioners.get().petitioner for _ in range(4)]
    client.force_login(clerk)
    answers = [client.get(reverse("case_repeat_lookup"), {"person-0-id_number": person.id_number}) for person in people]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[-1].content.decode()
    assert people[-1].id_number[-4:] not in refused and mask_name(people[-1].name) not in refused
    assert "3" in refused  # says what the limit is
    assert IdentityAccess.objects.filter(user=clerk, purpose="lookup").count() == 3
    other = UserFactory(roles=[Role.CLERK])
    client.force_login(other)
    assert client.get(reverse("case_repeat_lookup"), {"person-0-id_number": people[0].id_number}).status_code == 200


def test_an_exact_id_number_match_is_picked_and_makes_the_case_a_repeat(client, clerk):
    earlier = register_case(clerk=clerk)
    recorded = as_recorded(earlier)
    client.force_login(clerk)
    html = client.get(reverse("case_repeat_lookup"), {"person-0-id_number": recorded.id_number}).content.decode()
    [offer] = offered_people(html)
    assert re.search(rf'value="{re.escape(offer)}" checked', html)
    assert "None of these" not in html and "以上均不是" not in html  # an ID number names one person
    # The clerk does not touch the panel: the form posts nothing for it.
    data = intake_post(
        **{
            "person-0-name": recorded.name,
            "person-0-gender": recorded.gender,
            "person-0-id_number": recorded.id_number,
            "person-0-phone": recorded.phone,
            "person-0-address": recorded.address,
        }
    )
    assert client.post(reverse("case_create"), data).status_code == 302
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert new.is_repeat and new.repeat_of == earlier
    assert new.case_petitioners.get().petitioner_id == earlier.case_petitioners.get().petitioner_id
    assert Petitioner.objects.count() == 1


def test_a_phone_match_is_only_a_hint(client, clerk):
    earlier = register_case(clerk=clerk)
    phone = earlier.case_petitioners.get().phone
    client.force_login(clerk)
    html = client.get(reverse("case_repeat_lookup"), {"person-0-phone": phone}).content.decode()
    assert 'value="" checked' in html  # "None of these: a new person" stays the default for a shared phone
    assert client.post(reverse("case_create"), intake_post(**{"person-0-phone": phone})).status_code == 302
    assert Petitioner.objects.count() == 2


def _differing_intake(earlier: Case, **fields) -> dict:
    recorded = as_recorded(earlier)
    return intake_post(
        **{
            "person-0-name": "孙新名",
            "person-0-id_number": recorded.id_number,
            "person-0-phone": "13912340000",
            "person-0-address": recorded.address,
            "person-0-gender": recorded.gender,
            **fields,
        }
    )


def test_differences_from_the_record_are_shown_masked_and_nothing_is_saved(client, clerk):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(name="孙旧名", phone="13800001111")])
    client.force_login(clerk)
    response = client.post(reverse("case_create"), _differing_intake(earlier))
    assert response.status_code == 422
    html = response.content.decode()
    assert "孙旧名" not in html and "13800001111" not in html  # the record, masked: 孙**, 138****1111
    assert "孙**" in html and "138****1111" in html and "孙新名" in html and "13912340000" in html
    assert 'name="person-0-record_choice"' in html
    assert Case.objects.count() == 1
    assert Petitioner.objects.get().name == "孙旧名"


def test_keeping_the_record_records_what_was_typed_on_the_new_case_only(client, clerk):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(name="孙旧名", phone="13800001111")])
    client.force_login(clerk)
    response = client.post(reverse("case_create"), _differing_intake(earlier, **{"person-0-record_choice": "keep"}))
    assert response.status_code == 302
    person = Petitioner.objects.get()
    assert (person.name, person.phone) == ("孙旧名", "13800001111")
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert CasePetitioner.objects.filter(case=new).values_list("name", "phone").get() == ("孙新名", "13912340000")
    log = CaseLog.objects.get(case=new, action="register").data["petitioners"][0]
    assert log == {
        "position": 0,
        "person": "on_record",
        "matched_by": "id_number",
        "record": "keep",
        "fields": ["name", "phone"],
    }


def test_updating_the_record_leaves_earlier_cases_as_they_were(client, clerk, supervisor):
    earlier = register_case(clerk=clerk, petitioners=[petitioner_data(name="孙旧名", phone="13800001111")])
    client.force_login(clerk)
    response = client.post(reverse("case_create"), _differing_intake(earlier, **{"person-0-record_choice": "update"}))
    assert response.status_code == 302
    person = Petitioner.objects.get()
    assert (person.name, person.phone) == ("孙新名", "13912340000")
    assert CasePetitioner.objects.filter(case=earlier).values_list("name", "phone").get() == ("孙旧名", "13800001111")
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert CaseLog.objects.get(case=new, action="register").data["petitioners"][0]["record"] == "update"
    # The earlier case still shows, and reveals, what it recorded.
    client.force_login(supervisor)
    revealed = client.post(reverse("case_identity", args=[earlier.number])).content.decode()
    assert "孙旧名" in revealed and "13800001111" in revealed and "孙新名" not in revealed


def test_a_repeat_of_someone_elses_case_is_refused(client, clerk, accuser):
    case, _person = accuser
    client.force_login(clerk)
    response = client.post(reverse("case_create"), intake_post(repeat_of=case.pk))
    assert response.status_code == 422
    assert Case.objects.count() == 1


def test_the_main_petitioners_name_is_required_and_marked(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("case_create")).content.decode()
    label = re.search(r'<label for="id_person-0-name">(.*?)</label>', page).group(1)
    assert "required-mark" in label
    other = re.search(r'<label for="id_person-1-name">(.*?)</label>', page).group(1)
    assert "required-mark" not in other
    response = client.post(reverse("case_create"), intake_post(**{"person-0-name": ""}))
    assert response.status_code == 422 and not Case.objects.exists()
    assert 'id="id_person-0-name_error"' in response.content.decode()
