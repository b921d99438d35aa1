"""Linked cases and merged duplicates (并案): symmetric links the database keeps single, merges that carry
petitioners and files over without showing anyone what they could not see, and count once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from devdata.factories import UserFactory, petitioner_data, register_case
from petitions.errors import ActionNotAllowed, CaseActionError
from petitions.models import (
    Attachment,
    Case,
    CaseLink,
    CaseLog,
    CaseMerge,
    CasePetitioner,
    Closure,
    LegalType,
    Purpose,
    Role,
    State,
)
from petitions.selectors.parts_and_links import links_of_case
from petitions.selectors.queues import list_counts, queue_cases
from petitions.services import lifecycle
from petitions.services.joint_handling import case_link, case_merge
from reports.selectors import report_figures, week_of
from tests.conftest import in_thread
from tests.samples import PNG


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' refusals are matched by their English text (the portal's default language is Chinese)."""
    with translation.override("en"):
        yield


def claim(clerk, **overrides) -> Case:
    return register_case(clerk=clerk, purpose=Purpose.REQUEST, legal_type=LegalType.CLAIM, **overrides)


def test_a_link_shows_on_both_cases_once_whichever_way_round(clerk, supervisor):
    a, b = claim(clerk), claim(clerk)
    case_link(case_id=a.pk, actor=supervisor, other_number=b.number, kind=CaseLink.Kind.SAME_MATTER)
    assert [row.number for row in links_of_case(supervisor, a)] == [b.number]
    assert [row.number for row in links_of_case(supervisor, b)] == [a.number]
    with pytest.raises(ActionNotAllowed, match="already linked"):
        case_link(case_id=b.pk, actor=supervisor, other_number=a.number, kind=CaseLink.Kind.RELATED)
    with pytest.raises(ActionNotAllowed, match="itself"):
        case_link(case_id=a.pk, actor=supervisor, other_number=a.number, kind=CaseLink.Kind.RELATED)
    assert CaseLog.objects.filter(action=CaseLog.Action.LINK, case__in=[a, b]).count() == 2


def test_the_database_refuses_a_self_link_and_a_reversed_duplicate(clerk, supervisor):
    a, b = claim(clerk), claim(clerk)
    CaseLink.objects.create(case_a=a, case_b=b, kind=CaseLink.Kind.RELATED, created_by=supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseLink.objects.create(case_a=b, case_b=a, kind=CaseLink.Kind.RELATED, created_by=supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseLink.objects.create(case_a=a, case_b=a, kind=CaseLink.Kind.RELATED, created_by=supervisor)


def test_parent_and_child_read_as_such(clerk, supervisor):
    parent, child = claim(clerk), claim(clerk)
    case_link(case_id=parent.pk, actor=supervisor, other_number=child.number, kind=CaseLink.Kind.PARENT_CHILD)
    assert links_of_case(supervisor, parent)[0].role == "child"
    assert links_of_case(supervisor, child)[0].role == "parent"


def test_a_link_never_reveals_a_case_the_viewer_cannot_see(clerk, supervisor, department, other_department, handler):
    ours, theirs = claim(clerk), claim(clerk)
    lifecycle.case_accept(case_id=ours.pk, actor=supervisor, department=department)
    lifecycle.case_accept(case_id=theirs.pk, actor=supervisor, department=other_department)
    case_link(case_id=ours.pk, actor=supervisor, other_number=theirs.number, kind=CaseLink.Kind.RELATED)
    assert links_of_case(handler, Case.objects.get(pk=ours.pk)) == []
    # Nor can a department link to a case it cannot see (and it is told the same as for no case at all).
    with pytest.raises(ActionNotAllowed):
        case_link(case_id=ours.pk, actor=handler, other_number=theirs.number, kind=CaseLink.Kind.RELATED)


def test_merge_closes_the_duplicate_and_carries_petitioners_and_files(clerk, supervisor, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    main = claim(clerk)
    duplicate = claim(
        clerk,
        petitioners=[petitioner_data()],
        attachments=[(SimpleUploadedFile("信.png", PNG, content_type="image/png"), Attachment.Kind.LETTER)],
    )
    record = case_merge(duplicate_id=duplicate.pk, actor=supervisor, main_number=main.number, reason="同一事项重复登记")
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.closure) == (State.CLOSED, Closure.MERGED)
    assert record.main == main and record.duplicate == duplicate
    main_people = set(CasePetitioner.objects.filter(case=main).values_list("petitioner_id", flat=True))
    assert set(CasePetitioner.objects.filter(case=duplicate).values_list("petitioner_id", flat=True)) <= main_people
    copied = Attachment.objects.get(case=main)
    assert copied.sha256 == Attachment.objects.get(case=duplicate).sha256
    assert copied.file.name == Attachment.objects.get(case=duplicate).file.name  # the same stored file
    assert CaseLog.objects.get(case=duplicate, action=CaseLog.Action.MERGE).data["main"] == main.number
    assert CaseLog.objects.get(case=main, action=CaseLog.Action.MERGED_IN).data["duplicate"] == duplicate.number
    with pytest.raises(ActionNotAllowed):
        case_merge(duplicate_id=duplicate.pk, actor=supervisor, main_number=main.number, reason="again")


def test_an_accusation_is_never_merged_into_a_case_whose_department_may_see_petitioners(clerk, supervisor):
    main = claim(clerk)
    accusation = register_case(clerk=clerk, purpose=Purpose.DISCLOSURE, legal_type=LegalType.ACCUSATION)
    with pytest.raises(ActionNotAllowed, match="accuser"):
        case_merge(duplicate_id=accusation.pk, actor=supervisor, main_number=main.number, reason="重复")
    assert CasePetitioner.objects.filter(case=main).count() == 1
    assert Case.objects.get(pk=accusation.pk).state == State.RECEIVED


def test_a_confidential_petitioner_carried_over_hides_the_main_case_from_its_department(
    clerk, supervisor, department, handler
):
    from petitions.selectors.cases import identity_allowed

    main = claim(clerk)
    lifecycle.case_accept(case_id=main.pk, actor=supervisor, department=department)
    assert identity_allowed(handler, Case.objects.get(pk=main.pk))
    duplicate = claim(clerk, petitioners=[petitioner_data(confidential=True)])
    case_merge(duplicate_id=duplicate.pk, actor=supervisor, main_number=main.number, reason="重复")
    assert not identity_allowed(handler, Case.objects.get(pk=main.pk))


def test_only_the_office_merges(clerk, supervisor, handler, department):
    main, duplicate = claim(clerk), claim(clerk)
    lifecycle.case_accept(case_id=duplicate.pk, actor=supervisor, department=department)
    with pytest.raises(ActionNotAllowed):
        case_merge(duplicate_id=duplicate.pk, actor=handler, main_number=main.number, reason="重复")


def test_a_merged_duplicate_is_counted_once_in_the_report_and_the_queue_badges(clerk, supervisor):
    main, duplicate = claim(clerk), claim(clerk)
    week = week_of(timezone.localdate())
    before = report_figures(week, None)["totals"]
    base = queue_cases(supervisor)
    closed_before = {row.state: row.count.value for row in list_counts(base, base).by_state}[State.CLOSED]
    case_merge(duplicate_id=duplicate.pk, actor=supervisor, main_number=main.number, reason="重复")
    after = report_figures(week, None)["totals"]
    assert after["new"] == before["new"] - 1
    assert after["merged"] == before["merged"] + 1
    assert after["closed"] == before["closed"]
    closed_after = {row.state: row.count.value for row in list_counts(base, base).by_state}[State.CLOSED]
    assert closed_after == closed_before


def test_the_merge_page_action_and_both_case_pages(client, clerk, supervisor):
    main, duplicate = claim(clerk), claim(clerk)
    client.force_login(supervisor)
    response = client.post(
        reverse("case_action", args=[duplicate.number, "merge"]),
        {"merge-main_number": main.number, "merge-reason": "重复登记", "merge-version": duplicate.version},
    )
    assert response.status_code == 302
    assert main.number in client.get(reverse("case_detail", args=[duplicate.number])).content.decode()
    assert duplicate.number in client.get(reverse("case_detail", args=[main.number])).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crossed", [False, True], ids=["same-pair", "each-into-the-other"])
def test_two_supervisors_merging_at_once_one_wins_the_other_is_told(postgres_only, clerk, supervisor, crossed):
    a, b = claim(clerk), claim(clerk)
    other = UserFactory(roles=[Role.SUPERVISOR])
    barrier = threading.Barrier(2)
    # The first supervisor merges a into b; the second the same, or b into a.
    plans = [(supervisor, a, b), (other, b, a) if crossed else (other, a, b)]

    @in_thread
    def merge(actor, duplicate, main):
        barrier.wait(5)
        try:
            case_merge(
                duplicate_id=duplicate.pk,
                actor=actor,
                main_number=main.number,
                reason="重复",
                expected_version=duplicate.version,
            )
        except CaseActionError as error:
            return str(error.message)
        return None

    with ThreadPoolExecutor(2) as pool:
        results = [future.result(15) for future in [pool.submit(merge, *plan) for plan in plans]]
    refusals = [message for message in results if message]
    assert len(refusals) == 1, results
    assert CaseMerge.objects.count() == 1
    merged = CaseMerge.objects.get()
    assert Case.objects.get(pk=merged.duplicate_id).closure == Closure.MERGED
    assert Case.objects.get(pk=merged.main_id).state != State.CLOSED
    assert CaseLog.objects.filter(action=CaseLog.Action.MERGE).count() == 1
    assert refusals[0]  # a message fit to show


def test_a_stale_merge_form_is_refused(clerk, supervisor):
    main, duplicate = claim(clerk), claim(clerk)
    with pytest.raises(CaseActionError):
        case_merge(
            duplicate_id=duplicate.pk,
            actor=supervisor,
            main_number=main.number,
            reason="重复",
            expected_version=duplicate.version + 1,
        )
    assert Case.objects.get(pk=duplicate.pk).state != State.CLOSED
    assert not CaseMerge.objects.exists()
