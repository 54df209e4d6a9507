import pytest

from analytics.tests.conftest import NANLING
from tests.browser import login, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_draws_charts_and_drills_down(page, live_server, dataset, supervisor):
    # given a supervisor of 南关区 on the July dashboard
    login(page, live_server, supervisor.username)
    page.goto(f"{live_server.url}/analytics/?period=2026-07")

    # then every chart is drawn on a canvas
    page.wait_for_selector(".chart[data-rendered=true] canvas")
    assert page.locator(".chart[data-rendered=true]").count() == 6
    assert page.locator(".stat-received .value").inner_text() == "4"
    screenshot(page, "analytics-dashboard")

    # when they open a township from the region table
    page.locator("section.card", has_text="按区域").get_by_role("link", name="南岭街道").click()

    # then its own dashboard shows only its subtree
    page.wait_for_url(f"**region={NANLING}**")
    assert page.locator(".stat-received .value").inner_text() == "3"

    # when they open a category's cases
    page.locator("section.card", has_text="按纠纷类别").get_by_role("link", name="婚姻家庭纠纷").first.click()

    # then the cases behind it are listed
    page.wait_for_url("**/analytics/cases/**")
    assert page.locator("tbody tr").count() == 2
    screenshot(page, "analytics-cases")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_fits_a_phone(phone_page, live_server, dataset, supervisor):
    login(phone_page, live_server, supervisor.username)

    phone_page.goto(f"{live_server.url}/analytics/?period=2026-07")

    phone_page.wait_for_selector(".chart[data-rendered=true] canvas")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    screenshot(phone_page, "analytics-dashboard-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_prints_on_a4_with_its_charts(page, live_server, dataset, supervisor):
    login(page, live_server, supervisor.username)

    page.goto(f"{live_server.url}/analytics/report/?period=2026-Q3")

    page.wait_for_selector(".chart[data-rendered=true] canvas")
    assert page.locator("h2").all_inner_texts()[:5] == [
        "一、总体情况",
        "二、分类分析",
        "三、趋势研判",
        "四、重点风险",
        "五、工作建议",
    ]
    page.emulate_media(media="print")
    assert page.locator(".topbar").is_hidden() and page.locator(".issue-form").is_hidden()
    screenshot(page, "analytics-report-print")
