"""A supervisor's start page in a real browser: the 12-week chart is drawn, and its table opens beside it."""

from playwright.sync_api import expect

from devdata.factories import advance, register_case
from petitions.models import Channel


def test_the_trend_chart_and_its_table(login, supervisor, clerk, department):
    advance(
        register_case(clerk=clerk, channel=Channel.LETTER), "assigned", supervisor=supervisor, department=department
    )
    register_case(clerk=clerk, channel=Channel.VISIT, headcount=6)
    page = login(supervisor)
    figure = page.locator("figure[data-chart=trend]")
    chart = figure.locator("svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("rect[fill]").first).to_be_attached()
    table = figure.locator("table[data-table=trend]")
    expect(table).to_be_hidden()
    figure.locator("summary").click()
    expect(table).to_be_visible()
    this_week = table.locator("tbody tr").last
    expect(this_week.locator("td").last).to_have_text("2")
