"""A clerk registers a walk-in dispute with two parties at the desk and prints the receipt; a grid worker
opens the phone report page. Screenshots go to test-artifacts/ to be looked at."""

import re

import pytest

from intake.categories import categories_seed
from intake.models import Case
from intake.tests.factories import party, register
from tests.browser import ARTIFACTS, login, screenshot


def pdf_page_size(pdf: bytes) -> tuple[float, float]:
    """Width and height in points of the first page of a PDF printed by Chromium."""
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return float(box[1]), float(box[2])


@pytest.fixture
def seeded(db):
    categories_seed()  # transactional tests flush the data migrations' rows


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_registers_a_walk_in_dispute_and_prints_the_receipt(page, live_server, seeded, clerk, center):
    # given an open case of the same applicant (she came last week about the same leak)
    earlier = register(
        actor=clerk, center=center, parties=[party("张桂兰", phone="13904311234", id_number="")]
    )
    center.phone, center.address = "0431-88880000", "长春市南关区人民大街1号"
    center.save()
    login(page, live_server, "clerk")

    # when the clerk fills the desk form with the keyboard
    page.goto(f"{live_server.url}/intake/register/")
    page.select_option("select[name=channel]", "walk_in")
    page.fill("#region-search", "华阳")
    page.wait_for_selector("#region-list li[role=option]")
    page.keyboard.press("Enter")
    assert page.input_value("input[name=region]") == "220102001001"
    page.select_option("#category-class", "01")
    page.select_option("select[name=category]", "0104")
    page.fill("input[name=summary]", "楼上卫生间漏水致楼下天花板受损")
    page.fill(
        "textarea[name=description]",
        "申请人称楼上住户卫生间漏水两月未修，天花板霉变，多次协商未果，请求调解。",
    )
    page.fill("input[name=amount]", "3500")
    page.fill("input[name=parties-0-name]", "张桂兰")
    page.fill("input[name=parties-0-id_number]", "11010519491231002X")
    page.fill("input[name=parties-0-phone]", "13904311234")
    page.fill("input[name=parties-0-address]", "南关区华阳社区3栋2单元401")
    page.fill("input[name=parties-1-name]", "李文博")
    page.fill("input[name=parties-1-phone]", "13904315678")
    page.fill("input[name=parties-1-address]", "南关区华阳社区3栋2单元501")

    # then the duplicate panel has found the earlier case by the applicant's phone
    page.wait_for_selector(f"#duplicates [data-case='{earlier.number}']")
    page.locator("#duplicates").get_by_text("联系电话相同").wait_for()
    assert "139****1234" in page.inner_text("#duplicates")
    screenshot(page, "intake-desk-form")

    # when the clerk saves it as a new case (Ctrl+Enter)
    page.focus("input[name=parties-1-address]")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/intake/cases/.+/receipt/\?new=1"))

    # then the receipt shows the number, what was received and the promises
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert case.case_parties.count() == 2
    text = page.inner_text(".receipt")
    assert case.number in text and "受理回执" in text
    assert "张桂兰" in text and "李文博" in text and "139****1234" in text
    assert "30分钟内响应联系" in text and "5个工作日内办结反馈" in text
    assert "0431-88880000" in text
    screenshot(page, "intake-receipt-a4-screen")
    page.emulate_media(media="print")
    assert page.is_hidden(".topbar") and page.is_hidden(".receipt-tools")
    page.set_viewport_size({"width": 658, "height": 930})  # A4 less the page margins, at 96 dpi
    screenshot(page, "intake-receipt-a4-print")
    page.set_viewport_size({"width": 1280, "height": 900})
    pdf = page.pdf(path=ARTIFACTS / "intake-receipt-a4.pdf", prefer_css_page_size=True)
    assert pdf_page_size(pdf) == pytest.approx((595, 842), abs=1)  # A4 in points

    page.emulate_media(media="screen")
    page.click("text=小票（80mm）")
    page.wait_for_url(re.compile(r"paper=80mm"))
    width = page.eval_on_selector(".receipt", "el => el.getBoundingClientRect().width")
    assert 295 <= width <= 310  # 80 mm at 96 dpi
    page.emulate_media(media="print")
    screenshot(page, "intake-receipt-80mm-print")
    pdf = page.pdf(path=ARTIFACTS / "intake-receipt-80mm.pdf", prefer_css_page_size=True)
    assert pdf_page_size(pdf)[0] == pytest.approx(226.8, abs=1)  # 80 mm wide


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_grid_worker_reports_from_a_phone(phone_page, live_server, seeded, grid_worker):
    login(phone_page, live_server, "grid")

    phone_page.goto(f"{live_server.url}/intake/grid/report/")

    photo = phone_page.locator("input[name=photos]")
    assert photo.get_attribute("capture") == "environment" and photo.get_attribute("accept") == "image/*"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone_page.check("input[name=matter_type][value=risk]")
    phone_page.select_option("select[name=category]", "1205")
    phone_page.fill("input[name=summary]", "工地夜间施工扰民")
    phone_page.fill("textarea[name=description]", "华阳社区3栋旁工地连续三晚施工至凌晨一点，居民反映强烈。")
    screenshot(phone_page, "intake-grid-report-phone")
    phone_page.click("button[type=submit]")
    phone_page.wait_for_url(re.compile(r"/receipt/\?new=1&paper=80mm"))

    case = Case.objects.get()
    assert case.channel == "grid_report" and case.grid_cell is not None
    assert case.number in phone_page.inner_text(".receipt")
    screenshot(phone_page, "intake-grid-report-receipt-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_links_a_returning_resident_to_the_open_case(page, live_server, seeded, clerk, center):
    earlier = register(
        actor=clerk, center=center, parties=[party("赵秀英", phone="13904319876", id_number="")]
    )
    login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/intake/register/")

    page.select_option("select[name=channel]", "phone")
    page.fill("input[name=parties-0-name]", "赵秀英")
    page.fill("input[name=parties-0-phone]", "13904319876")
    page.fill("input[name=summary]", "再次来电询问漏水调解进度")
    page.locator("#duplicates").get_by_role("button", name="记为重复来访").click()
    page.wait_for_url(re.compile(r"/receipt/\?visit=\d+"))

    assert "重复来访登记回执" in page.inner_text(".receipt")
    earlier.refresh_from_db()
    assert earlier.repeat_count == 1 and Case.objects.count() == 1
    visit = earlier.repeat_visits.get()
    assert visit.channel == "phone" and "再次来电" in visit.note
