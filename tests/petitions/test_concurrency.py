"""Two people at once, on two real PostgreSQL connections."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from devdata.factories import UserFactory, register_case
from petitions.errors import ActionNotAllowed, StaleCase
from petitions.models import Attachment, Case, CaseLog, Department, Role, State
from petitions.services import lifecycle
from petitions.services.attachments import attachment_add, files_removed_on_failure
from tests.conftest import in_thread

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_two_supervisors_route_the_same_case_one_wins(postgres_only, clerk, supervisor):
    case = register_case(clerk=clerk)
    version = case.version
    other_supervisor = UserFactory(roles=[Role.SUPERVISOR])
    housing, education = Department.objects.get(code="ZJJ"), Department.objects.get(code="JYJ")
    first_holds_lock = threading.Event()

    @in_thread
    def first():
        with transaction.atomic():
            Case.objects.select_for_update().get(pk=case.pk)
            first_holds_lock.set()
            time.sleep(0.5)  # the second request arrives while this one is working
            return lifecycle.case_accept(
                case_id=case.pk, actor=supervisor, department=housing, expected_version=version
            )

    @in_thread
    def second():
        first_holds_lock.wait(5)
        started = time.monotonic()
        try:
            lifecycle.case_accept(
                case_id=case.pk, actor=other_supervisor, department=education, expected_version=version
            )
        except StaleCase as error:
            return error, time.monotonic() - started
        return None, time.monotonic() - started

    with ThreadPoolExecutor(2) as pool:
        winner, loser = pool.submit(first), pool.submit(second)
        winner_case = winner.result(10)
        error, waited = loser.result(10)

    assert winner_case.department == housing
    assert isinstance(error, StaleCase), "the second request must be refused, not applied"
    assert waited >= 0.3, "the second request must have waited for the first one's lock"
    case.refresh_from_db()
    assert (case.state, case.department) == (State.ASSIGNED, housing)
    assert CaseLog.objects.filter(case=case, action="accept").count() == 1


def test_two_handlers_take_the_same_case_one_wins(postgres_only, clerk, supervisor, department):
    case = register_case(clerk=clerk)
    lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    handlers = [UserFactory(roles=[Role.HANDLER], department=department) for _ in range(2)]
    barrier = threading.Barrier(2)

    @in_thread
    def take(handler):
        barrier.wait(5)
        try:
            lifecycle.case_take(case_id=case.pk, actor=handler)
        except ActionNotAllowed as error:
            return error
        return handler

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(take, handlers))
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, ActionNotAllowed)]
    assert len(winners) == 1 and len(losers) == 1
    case.refresh_from_db()
    assert case.handler == winners[0]
    assert CaseLog.objects.filter(case=case, action="take").count() == 1


def test_numbers_have_no_gaps_or_duplicates_under_concurrent_intake(postgres_only):
    clerks = [UserFactory(roles=[Role.CLERK]) for _ in range(6)]
    barrier = threading.Barrier(len(clerks))

    class Abandoned(Exception):
        pass

    @in_thread
    def register_many(clerk, index):
        barrier.wait(10)
        for n in range(12):
            if (index + n) % 5 == 0:
                # A registration that fails after taking its number gives the number back.
                try:
                    with transaction.atomic():
                        register_case(clerk=clerk)
                        raise Abandoned
                except Abandoned:
                    pass
            else:
                register_case(clerk=clerk)

    with ThreadPoolExecutor(len(clerks)) as pool:
        list(pool.map(register_many, clerks, range(len(clerks))))

    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert len(sequences) == len(set(sequences))
    assert sequences == list(range(1, len(sequences) + 1))
    assert len(sequences) == sum(1 for i in range(6) for n in range(12) if (i + n) % 5 != 0)


@pytest.mark.parametrize("first_commits", [True, False], ids=["first-commits", "first-fails"])
def test_two_uploads_of_the_same_new_content_at_once_store_one_file(postgres_only, clerk, first_commits):
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + f"% {uuid.uuid4()}\n".encode()
    first_case, second_case = register_case(clerk=clerk), register_case(clerk=clerk)
    first_stored = threading.Event()

    class Failed(Exception):
        pass

    def upload(case, name: str):
        return attachment_add(case=case, upload=SimpleUploadedFile(name, content), kind="document", actor=clerk)

    @in_thread
    def first():
        try:
            with files_removed_on_failure(), transaction.atomic():
                upload(first_case, "a.pdf")
                first_stored.set()
                time.sleep(0.5)  # the second upload arrives while this one is uncommitted
                if not first_commits:
                    raise Failed
        except Failed:
            pass

    @in_thread
    def second():
        first_stored.wait(5)
        started = time.monotonic()
        with files_removed_on_failure(), transaction.atomic():
            attachment = upload(second_case, "b.pdf")
        return attachment, time.monotonic() - started

    with ThreadPoolExecutor(2) as pool:
        done, later = pool.submit(first), pool.submit(second)
        done.result(10)
        attachment, waited = later.result(10)

    assert waited >= 0.3, "the second upload must wait for the first one's transaction"
    rows = list(Attachment.objects.filter(sha256=attachment.sha256))
    assert len(rows) == (2 if first_commits else 1)
    assert {row.file.name for row in rows} == {attachment.file.name}
    storage = Attachment._meta.get_field("file").storage
    on_disk = sorted(Path(storage.location).rglob(f"{attachment.sha256}*"))
    assert on_disk == [Path(attachment.file.path)]
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
