"""The report as a person receives it: a PDF whose text and fonts are read back, and CSV files."""

import copy
import csv
import io

from django.utils import translation

from reports.charts import Series, bar_chart_svg
from reports.rendering import ANNEX_ROWS_IN_PDF, TABLES, report_html, report_pdf, table_csv
from reports.selectors import report_figures
from tests.reports.pdf_tools import embedded_cjk_fonts, pdf_pages, pdf_text


def test_the_weekly_pdf_holds_the_chinese_headings_figures_and_page_numbers(crafted_week, tmp_path):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    pdf = report_pdf(figures, language="zh-hans", weekly=True)
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf, tmp_path)
    text = "\n".join(pages)
    assert "信访工作周报" in text and "信访局" in text
    assert "2026-11-09至2026-11-15" in text
    for heading in ["主要数据", "近八周趋势", "新收信访事项（按信访形式）", "各承办单位情况", "指标说明"]:
        assert heading in text, heading
    assert "附件：逾期信访事项清单" in text
    assert "按期办结率" in text and "50.0%" in text
    assert crafted_week.cases["U"].number in text and crafted_week.cases["O"].number in text
    assert crafted_week.cases["P"].number not in text  # not overdue: the annex lists only overdue cases
    for number, page in enumerate(pages, start=1):
        assert f"第{number}页共{len(pages)}页" in page.replace(" ", "")  # pdftotext drops the spaces
    assert embedded_cjk_fonts(pdf, tmp_path), "no embedded CJK font"


def test_the_department_table_reads_back_with_its_figures(crafted_week, tmp_path):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    text = pdf_text(report_pdf(figures, language="zh-hans", weekly=True), tmp_path)
    line = next(line for line in text.splitlines() if line.strip().startswith("ZJJ"))
    assert line.split()[2:] == ["2", "1", "0", "0.0%", "1", "0", "1"]


def test_a_week_without_cases_still_yields_a_zero_report(db, tmp_path):
    from datetime import date

    from reports.selectors import Period

    figures = report_figures(Period(date(2020, 3, 2), date(2020, 3, 8)), None, today=date(2020, 3, 9))
    text = pdf_text(report_pdf(figures, language="zh-hans", weekly=True), tmp_path)
    assert "零报告：本期无新收信访事项。" in text
    assert "无逾期信访事项。" in text


def test_a_long_table_breaks_across_pages_with_its_header_repeated(crafted_week, tmp_path):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    row = figures["overdue"][0]
    figures["overdue"] = [{**row, "number": f"XF2026-{n:06d}"} for n in range(1, 121)]
    pages = pdf_pages(report_pdf(figures, language="zh-hans", weekly=True), tmp_path)
    annex_pages = [page for page in pages if "XF2026-000" in page]
    assert len(annex_pages) >= 2
    assert all("逾期天数" in page and "事项编号" in page for page in annex_pages)
    assert all(f"XF2026-{n:06d}" in "".join(annex_pages) for n in (1, 60, 120))


def test_the_pdf_annex_is_capped_and_points_to_the_csv_which_lists_every_case(crafted_week, tmp_path):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    row = figures["overdue"][0]
    figures["overdue"] = [{**row, "number": f"XF2026-{n:06d}"} for n in range(1, ANNEX_ROWS_IN_PDF + 4)]
    html = report_html(figures, language="zh-hans", weekly=True)
    assert f"XF2026-{ANNEX_ROWS_IN_PDF:06d}" in html and f"XF2026-{ANNEX_ROWS_IN_PDF + 1:06d}" not in html
    assert "另有3件逾期事项，见本表的CSV文件。" in html
    rows = list(csv.reader(io.StringIO(table_csv(figures, "overdue", language="zh-hans").decode("utf-8-sig"))))
    assert len(rows) == 1 + ANNEX_ROWS_IN_PDF + 3


def test_english_reports_number_their_pages_in_english(crafted_week, tmp_path):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    pages = pdf_pages(report_pdf(figures, language="en", weekly=True), tmp_path)
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "Weekly letters and visits report" in pages[0]


def test_every_table_downloads_as_csv_with_a_bom_and_its_columns(crafted_week):
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    for key in TABLES:
        data = table_csv(figures, key, language="zh-hans")
        assert data.startswith(b"\xef\xbb\xbf"), key
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        with translation.override("zh-hans"):
            assert rows[0] == [str(column) for column in TABLES[key].columns], key
    departments = list(
        csv.reader(io.StringIO(table_csv(figures, "departments", language="zh-hans").decode("utf-8-sig")))
    )
    assert departments[0] == ["代码", "承办单位", "交办", "已办理", "按期办结", "按期办结率", "逾期", "延期", "退回"]
    assert ["ZJJ", crafted_week.zjj.name, "2", "1", "0", "0.0%", "1", "0", "1"] in departments
    assert departments[-1][1] == "合计" and departments[-1][2:5] == ["3", "2", "1"]
    channels = list(csv.reader(io.StringIO(table_csv(figures, "channel", language="zh-hans").decode("utf-8-sig"))))
    assert channels[1] == ["来访", "2", "40.0%"]


def test_the_chart_is_an_svg_drawn_here(crafted_week):
    svg = bar_chart_svg(
        categories=["10-19", "10-26"],
        series=[Series("新收", [3, 0], "#900"), Series("办结", [1, 2], "#009")],
        title="趋势",
    )
    assert svg.startswith("<svg") and svg.count("<rect") == 4 + 2  # four bars, two legend keys
    figures = report_figures(crafted_week.period, None, today=crafted_week.today)
    html = report_html(copy.deepcopy(figures), language="zh-hans", weekly=True)
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
