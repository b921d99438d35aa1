"""In a real browser: a supervisor reads the suggested clusters and promotes one to a hot topic; the topic
page shows the cluster's cases."""

from django.utils import timezone
from playwright.sync_api import expect

from devdata.factories import register_case
from petitions.models import Category, Region
from screening.models import Topic


def test_a_supervisor_promotes_a_suggested_cluster_to_a_topic(login, live_server, clerk, supervisor, department):
    category = Category.objects.get(code="010200")
    region = Region.objects.get(code="990121101")
    cases = [register_case(clerk=clerk, category=category, region=region) for _ in range(3)]
    today = timezone.localdate()

    page = login(supervisor)
    page.get_by_role("navigation", name="主导航").locator("[data-nav=screening]").click()
    page.goto(f"{live_server.url}/screening/clusters/?start={today.isoformat()}&end={today.isoformat()}&min_cases=3")
    row = page.locator("tr", has_text=region.name)
    expect(row).to_contain_text("3")
    row.locator("[data-promote]").click()
    page.fill("#id_title", "某街道房屋质量问题")
    page.select_option("#id_department", str(department.pk))
    page.locator("[data-promote-submit]").click()
    expect(page.locator("h1")).to_have_text("某街道房屋质量问题")
    for case in cases:
        expect(page.get_by_role("link", name=case.number)).to_be_visible()
    assert Topic.objects.get().case_count == 3
