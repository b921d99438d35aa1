"""The returns pages: the unit's home and zero report, bad posts refused with nothing changed, each unit
sees only its own returns, the office's overview and late list, the special-period summary as PDF."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse

from information.models import UnitReturn
from information.returns.services import return_submit
from tests.information.conftest import ORDINARY_WEEK, SPECIAL_FROM, on

WEDNESDAY = ORDINARY_WEEK + timedelta(days=2)


def zero_post(unit, start=ORDINARY_WEEK, kind="weekly") -> dict:
    return {"unit": unit.pk, "kind": kind, "period_start": start.isoformat()}


def test_the_responsible_persons_home_shows_the_return_due_and_one_click_sends_a_zero_report(client, units):
    a = units["a"]
    client.force_login(a.responsible)
    with on(WEDNESDAY):
        home = client.get(reverse("home")).content.decode()
        assert "data-zero-report" in home and f'data-unit="{a.pk}"' in home
        assert units["b"].name not in home
        response = client.post(reverse("information:zero_report"), zero_post(a))
        assert response.status_code == 302
        sent = UnitReturn.objects.get()
        assert (sent.unit, sent.is_zero, sent.submitted_by, sent.is_late) == (a, True, a.responsible, False)
        page = client.get(reverse("information:returns")).content.decode()
        assert "data-zero-report" not in page  # nothing left due
        assert reverse("information:return_detail", args=[sent.pk]) in page


def test_a_return_with_content_is_sent_from_its_form(client, units):
    a = units["a"]
    client.force_login(a.responsible)
    with on(WEDNESDAY):
        form = client.get(reverse("information:return_new"), zero_post(a))
        assert form.status_code == 200
        data = {**zero_post(a), "new_disputes": "某小区物业纠纷", "expected_visitors": "20"}
        data["expected_visit_date"] = (WEDNESDAY + timedelta(days=3)).isoformat()
        response = client.post(reverse("information:return_new"), data)
    sent = UnitReturn.objects.get()
    assert response.status_code == 302 and response.url == reverse("information:return_detail", args=[sent.pk])
    assert (sent.is_zero, sent.new_disputes, sent.expected_visitors) == (False, "某小区物业纠纷", 20)


def test_bad_posts_are_refused_with_a_message_and_nothing_changes(client, units):
    a, b = units["a"], units["b"]
    client.force_login(a.responsible)
    with on(WEDNESDAY):
        # Another unit's return, a period that is not owed, junk.
        for data in (zero_post(b), zero_post(a, ORDINARY_WEEK + timedelta(days=1)), {"unit": "x", "kind": "?"}):
            response = client.post(reverse("information:zero_report"), data, follow=True)
            assert response.status_code == 200
            assert next(iter(response.context["messages"])).level_tag == "error"
        # An empty return: neither something found nor a zero report.
        response = client.post(reverse("information:return_new"), zero_post(a))
        assert response.status_code == 422
        assert not UnitReturn.objects.exists()
        client.post(reverse("information:zero_report"), zero_post(a))
        second = client.post(reverse("information:return_new"), {**zero_post(a), "risks": "补充"})
        assert second.status_code == 422 and second.context["form"].non_field_errors()
    assert UnitReturn.objects.count() == 1


def test_a_unit_sees_only_its_own_returns_and_others_see_none(client, units, handler, supervisor):
    a, b = units["a"], units["b"]
    with on(WEDNESDAY):
        theirs = return_submit(actor=b.responsible, unit_id=b.pk, kind="weekly", period_start=ORDINARY_WEEK, zero=True)
        ours = return_submit(actor=a.responsible, unit_id=a.pk, kind="weekly", period_start=ORDINARY_WEEK, zero=True)
        client.force_login(a.responsible)
        assert client.get(reverse("information:return_detail", args=[theirs.pk])).status_code == 404
        assert client.get(reverse("information:return_detail", args=[ours.pk])).status_code == 200
        page = client.get(reverse("information:returns")).content.decode()
        assert b.name not in page
        assert client.get(reverse("information:office")).status_code == 403
        client.force_login(handler)  # answers for no unit
        for name in ("information:returns", "information:office"):
            assert client.get(reverse(name)).status_code == 403
        assert client.get(reverse("information:return_detail", args=[ours.pk])).status_code == 404
        client.force_login(supervisor)
        assert client.get(reverse("information:returns")).status_code == 302  # to the office's overview
        assert client.get(reverse("information:return_detail", args=[theirs.pk])).status_code == 200


def test_the_office_reads_who_reported_who_reported_nothing_and_who_is_late(client, units, supervisor):
    a, b, c = units["a"], units["b"], units["c"]
    with on(WEDNESDAY):
        return_submit(actor=a.responsible, unit_id=a.pk, kind="weekly", period_start=ORDINARY_WEEK, zero=True)
    with on(ORDINARY_WEEK + timedelta(days=5)):
        return_submit(
            actor=b.responsible,
            unit_id=b.pk,
            kind="weekly",
            period_start=ORDINARY_WEEK,
            zero=False,
            content={"risks": "欠薪"},
        )
    client.force_login(supervisor)
    with on(ORDINARY_WEEK + timedelta(days=7)):
        response = client.get(reverse("information:office"), {"week": ORDINARY_WEEK.isoformat()})
    assert response.status_code == 200
    context = response.context
    assert context["summary"]["totals"] == {"owed": 3, "reported": 1, "zero": 1, "late": 1, "missing": 1, "open": 0}
    assert {(row.unit, row.status, row.late) for row in context["late_rows"]} == {
        (c, "missing", False),
        (b, "reported", True),
    }
    assert client.get(reverse("information:office"), {"week": "junk"}).status_code == 200


def test_the_special_period_summary_prints_and_renders_as_a_pdf_in_chinese(
    client, units, special_week, supervisor, tmp_path
):
    a = units["a"]
    with on(SPECIAL_FROM):
        return_submit(actor=a.responsible, unit_id=a.pk, kind="daily", period_start=SPECIAL_FROM, zero=True)
    client.force_login(supervisor)
    with on(SPECIAL_FROM + timedelta(days=1)):
        page = client.get(reverse("information:special_period", args=[special_week.pk]))
        printable = client.get(reverse("information:special_period_print", args=[special_week.pk]))
        pdf = client.get(reverse("information:special_period_pdf", args=[special_week.pk]))
    assert page.status_code == printable.status_code == pdf.status_code == 200
    assert page.context["summary"]["totals"]["zero"] == 1
    assert page.context["summary"]["totals"]["missing"] == 2  # b and c on the first day
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "党代会期间" in text and units["c"].name in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    client.force_login(a.responsible)
    assert client.get(reverse("information:special_period", args=[special_week.pk])).status_code == 403


@pytest.mark.parametrize("name", ["information:special_period", "information:special_period_pdf"])
def test_an_unknown_special_period_is_a_404(client, supervisor, name):
    client.force_login(supervisor)
    assert client.get(reverse(name, args=[987654])).status_code == 404
