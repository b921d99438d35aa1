"""In a real browser, on 7 August 2026: a supervisor reads the overdue board, follows a cell to the
filtered queue, and prints the supervision notice the sweep issued."""

import subprocess

import time_machine
from playwright.sync_api import expect

from devdata.factories import advance, register_case
from escalation.services import escalation_sweep
from tests.escalation.conftest import LEVEL_2, ROUTED, at, on


def test_overdue_board_to_queue_and_printed_supervision_notice(
    login, live_server, clerk, supervisor, department, handler, tmp_path
):
    with on(ROUTED):  # routed 1 June, due 31 July
        case = advance(register_case(clerk=clerk), "assigned", supervisor=supervisor, department=department)
    with time_machine.travel(at(LEVEL_2), tick=True):  # the live server runs in this process: same clock
        escalation_sweep()  # 7 days overdue: the reminder, level 1 and level 2 with its notice

        page = login(supervisor)
        page.get_by_role("navigation", name="主导航").locator("[data-nav=overdue]").click()
        expect(page.get_by_role("heading", name="逾期督办看板")).to_be_visible()
        row = page.get_by_role("row").filter(has_text="市住房和城乡建设局")
        level_2 = row.get_by_role("cell").nth(2)  # after the department: due soon, level 1, level 2
        expect(level_2).to_have_text("1")
        level_2.get_by_role("link").click()
        expect(page.get_by_role("heading", name="事项队列")).to_be_visible()
        expect(page.locator("#case-rows")).to_contain_text(case.number)
        expect(page.locator("#id_overdue_min")).to_have_value("7")

        page.go_back()
        page.get_by_role("link", name="DB2026-000001").click()
        expect(page.get_by_role("heading", name="信访事项督办单")).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator(".topbar")).to_be_hidden()
        expect(page.locator("[data-banner=calendar]")).to_have_count(0)  # 2027 is months away
        pdf = tmp_path / "notice.pdf"
        page.pdf(path=str(pdf), format="A4")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "DB2026-000001" in text and case.number in text and "督办单" in text
        page.emulate_media(media="screen")

        page.get_by_role("link", name="返回信访事项").click()
        panel = page.locator("section", has=page.get_by_role("heading", name="提醒与督办"))
        expect(panel.get_by_role("row")).to_have_count(3)  # header, level 1, level 2 (first swept today)
