"""In a real browser: a supervisor opens a supervision matter on a case, the department head replies
and signs the reply off, and the supervisor assesses it."""

from playwright.sync_api import expect

from devdata.factories import advance, register_case
from supervision.models import Matter


def test_a_supervisor_opens_a_matter_the_head_replies_the_supervisor_assesses(
    login, live_server, clerk, supervisor, department, department_head
):
    case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)

    page = login(supervisor, language="en")
    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.select_option("#id_supervision-trigger", label="Evasion, perfunctory handling or delay")
    page.select_option("#id_supervision-mode", "interview")
    page.get_by_label("Supervision instructions").fill("请说明拖延原因。")
    page.get_by_role("button", name="Open a supervision matter").click()
    expect(page.locator("[data-status]")).to_have_text("Awaiting the reply")
    matter = Matter.objects.get(case=case)

    page = login(department_head, language="en")
    page.locator("[data-nav=supervision]").click()
    page.get_by_role("link", name=case.number).click()
    page.get_by_label("Written reply", exact=True).fill("已约谈承办人，限期三日内办结。")
    page.get_by_role("button", name="Save the reply").click()
    page.get_by_role("button", name="Sign off and send the reply to the office").click()
    expect(page.locator("[data-status]")).to_have_text("Reply to assess")

    page = login(supervisor, language="en")
    page.goto(f"{live_server.url}/supervision/matters/{matter.pk}/")
    page.get_by_label("Accept the reply", exact=True).check()
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.locator("[data-status]")).to_have_text("Reply accepted")
    matter.refresh_from_db()
    assert matter.status == Matter.Status.ACCEPTED and matter.signed_off_by == department_head
