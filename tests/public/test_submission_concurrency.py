"""The same form sent twice at the same moment (a double click, two tabs): one case, both answered with it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from devdata.factories import valid_id_number
from petitions.models import Case, Category, Region
from public.models import SubmissionToken
from public.services import Person, Submission, online_submit, submission_token_issue, submission_token_key
from tests.conftest import in_thread

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_sendings_of_one_form_at_the_same_moment_make_one_case(postgres_only):
    token = submission_token_key(submission_token_issue())
    submission = Submission(
        petitioner=Person(name="王小明", id_number=valid_id_number(), phone="13912345678", address="幸福路12号"),
        co_petitioners=[],
        purpose="request",
        legal_type="claim",
        category=Category.objects.filter(parent__isnull=False).order_by("code").first(),
        region=Region.objects.order_by("code").first(),
        summary="小区外墙脱落。",
        request="请维修。",
    )
    start = threading.Barrier(2)

    @in_thread
    def send():
        start.wait(5)
        return online_submit(token=token, submission=submission)

    with ThreadPoolExecutor(2) as pool:
        results = [future.result() for future in [pool.submit(send), pool.submit(send)]]
    assert Case.objects.count() == 1 and SubmissionToken.objects.count() == 1
    assert {result.case.pk for result in results} == {Case.objects.get().pk}
    assert sorted(result.again for result in results) == [False, True]
