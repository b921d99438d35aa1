"""What the petitioner's browser tests share: the screens they run on and the online form filled in."""

from playwright.sync_api import Page

from devdata.factories import valid_id_number
from petitions.models import Category, Region

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


def fill_submission(page: Page, *, name: str, phone: str = "139 1234 5678") -> None:
    """The online form (网上信访) filled in as a petitioner would, on the page already open."""
    page.fill("#id_name", name)
    page.fill("#id_id_number", valid_id_number())
    page.fill("#id_phone", phone)
    page.fill("#id_address", "东华街道幸福路12号")
    page.get_by_label("请求解决我的问题，或对某项决定提出申诉").check()
    page.select_option("#id_purpose", "request")
    page.select_option("#id_category", str(Category.objects.get(code="010200").pk))
    page.select_option("#id_region", str(Region.objects.get(code="990121101").pk))
    page.fill("#id_summary", "小区外墙脱落，多次反映无人处理。")
    page.fill("#id_request", "请尽快维修外墙。")
    page.check("#id_consent")
