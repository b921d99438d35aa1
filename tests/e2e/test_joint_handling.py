"""Joint handling in a real browser: the supervisor routes a case to a lead department with a
co-department and its part, the co-department records its part with a file, the lead sees it and
answers once."""

import re

from playwright.sync_api import expect

from devdata.factories import UserFactory, register_case
from petitions.models import CaseLog, CasePart, Department, LegalType, Purpose, Role, State
from tests.samples import PDF


def test_route_with_a_co_department_record_the_part_and_answer(
    login, live_server, clerk, supervisor, handler, department, tmp_path
):
    co_department = Department.objects.get(code="JYJ")
    co_handler = UserFactory(roles=[Role.HANDLER], department=co_department)
    case = register_case(clerk=clerk, purpose=Purpose.REQUEST, legal_type=LegalType.CLAIM)
    url = f"{live_server.url}/cases/{case.number}/"

    # 1. The supervisor routes it to the lead department, with the co-department and its part.
    page = login(supervisor)
    page.goto(url)
    accept = page.locator("#action-accept")
    accept.locator("#id_accept-department").select_option(str(department.pk))
    accept.locator("#id_accept-co_department").select_option(str(co_department.pk))
    accept.locator("#id_accept-co_task").fill("核实该生学籍变动材料")
    accept.locator("#id_accept-co_working_days").fill("5")
    accept.locator("button[type=submit]").click()
    expect(page.locator(".state")).to_have_text(re.compile("已交办"))
    expect(page.locator("#h-joint")).to_be_visible()
    part = CasePart.objects.get(case=case)
    assert part.department == co_department

    # 2. The co-department finds it in its list, marked, and records its part with a file.
    page = login(co_handler)
    page.goto(f"{live_server.url}/cases/department/")
    row = page.locator("tr", has=page.locator(f"a:text-is('{case.number}')"))
    expect(row.locator(".flag-co-unit")).to_be_visible()
    row.locator("a").first.click()
    form = page.locator(f"#part-{part.pk} + tr form")
    form.locator("textarea").fill("经核实，该生学籍于本学期已转入。")
    scan = tmp_path / "学籍证明.pdf"
    scan.write_bytes(PDF)
    form.locator("input[type=file]").set_input_files(str(scan))
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.locator("#h-joint").locator("..")).to_contain_text("经核实，该生学籍于本学期已转入。")

    # 3. The lead sees the part and its file, and answers once.
    page = login(handler)
    page.goto(url)
    joint = page.locator("#h-joint").locator("..")
    expect(joint).to_contain_text("经核实，该生学籍于本学期已转入。")
    expect(joint.get_by_role("link", name="学籍证明.pdf")).to_be_visible()
    page.locator("#action-take button[type=submit]").click()
    handle = page.locator("#action-handle")
    if handle.get_attribute("open") is None:
        handle.locator("summary").click()
    expect(handle.locator("input[type=checkbox]")).to_have_count(0)  # no part is owed: no warning
    handle.locator("select").select_option("explained")
    handle.locator("textarea").first.fill("经会同市教育局核实，现答复如下。")
    handle.locator("button[type=submit]").click()
    expect(page.locator(".state")).to_have_text(re.compile("待审核"))  # the one answer goes to the office

    case.refresh_from_db()
    assert case.state == State.REVIEWING
    handled = CaseLog.objects.get(case=case, action=CaseLog.Action.HANDLE)
    assert handled.data["parts"][0]["answered"] is True
