"""The desk's pages: the form (errors on the right fields), receipt, today's list and export, the duplicate
panel, repeat visits, grid reports, attachments — with masking and escaping everywhere a party is shown."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from dispatch.choices import DeadlineKind
from dispatch.deadlines import deadline_start
from dispatch.models import Deadline
from intake.models import Case, IdentityView, RepeatVisit
from intake.tests.factories import party, png, register, resident_id
from tests.roles import CHENGGUAN, HUAYANG

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
XSS = '<script>alert("x")</script>'


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**overrides) -> dict:
    data = {
        "channel": "walk_in",
        "matter_type": "dispute",
        "category": "0104",
        "region": HUAYANG,
        "summary": "楼上漏水",
        "description": "卫生间漏水两月未修",
        "involved_people": "2",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-kind": "person",
        "parties-0-role": "applicant",
        "parties-0-name": "张伟",
        "parties-0-id_number": "11010519491231002X",
        "parties-0-phone": "13812345678",
        "parties-1-kind": "person",
        "parties-1-role": "respondent",
        "parties-1-name": "李强",
        "parties-1-phone": "13998765432",
    }
    return data | overrides


def test_the_desk_shows_the_form(client, clerk):
    client.force_login(clerk)

    page = client.get(reverse("intake:register")).content.decode()

    assert "受理登记" in page and "疑似重复来访" in page
    assert 'name="parties-0-id_number"' in page and 'name="parties-1-role"' in page
    assert "0104 漏水渗水纠纷" in page and "南关区" in page


def test_registering_at_the_desk_leads_to_the_receipt(client, clerk, center):
    client.force_login(clerk)

    response = client.post(reverse("intake:register"), form_data())

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:receipt", args=[case.number]) + "?new=1"
    assert case.case_parties.count() == 2 and case.center == center


def test_a_wrong_check_digit_is_shown_on_that_party(client, clerk):
    client.force_login(clerk)

    response = client.post(
        reverse("intake:register"), form_data(**{"parties-0-id_number": "110105194912310021"})
    )

    assert response.status_code == 200
    party_form = response.context["formset"].forms[0]
    assert "校验位错误" in str(party_form.errors["id_number"])
    assert not Case.objects.exists()


def test_service_errors_land_on_their_fields(client, clerk):
    client.force_login(clerk)

    response = client.post(
        reverse("intake:register"),
        form_data(region=CHENGGUAN, **{"parties-0-phone": "", "parties-0-id_number": ""}),
    )

    assert "不在您的辖区内" in str(response.context["form"].errors["region"])
    assert "申请人" in str(response.context["formset"].forms[0].errors["phone"])
    assert "不在您的辖区内" in response.content.decode()


def test_empty_party_rows_are_ignored_but_one_party_is_needed(client, clerk):
    client.force_login(clerk)
    blank = {f"parties-{i}-{f}": "" for i in (0, 1) for f in ("name", "id_number", "phone")}

    response = client.post(reverse("intake:register"), form_data(**blank))

    assert "请至少填写一名当事人" in response.content.decode()


def test_only_registering_roles_see_the_desk(client, mediator):
    client.force_login(mediator)

    assert client.get(reverse("intake:register")).status_code == 403
    assert client.post(reverse("intake:register"), form_data()).status_code == 403
    assert client.get(reverse("intake:grid_report")).status_code == 403


@time_machine.travel(dt.datetime(2026, 4, 3, 20, 21, tzinfo=SHANGHAI), tick=False)
def test_a_receipt_printed_on_a_friday_evening_before_a_holiday_promises_the_respond_clock(
    client, clerk, center
):
    # given a walk-in at 20:21 on the Friday before 清明 (Saturday to Monday off)
    case = register(actor=clerk, center=center)
    respond = Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND)
    client.force_login(clerk)

    # when the receipt is printed
    page = client.get(reverse("intake:receipt", args=[case.number])).content.decode()

    # then it promises the respond clock's due time: 30 working minutes from 08:30 on Tuesday
    assert timezone.localtime(respond.due_at) == dt.datetime(2026, 4, 7, 9, 0, tzinfo=SHANGHAI)
    assert "30分钟内响应联系（4月7日 09:00前）" in page
    assert "20:51" not in page


def test_the_api_promises_the_cases_clocks(clerk, center):
    # given a registered case, signed for and with its close clock running
    case = register(actor=clerk, center=center)
    close = deadline_start(case, DeadlineKind.CLOSE, start=case.received_at + dt.timedelta(days=1))
    client = APIClient()
    client.force_authenticate(clerk)

    # when
    listed = client.get("/api/v1/cases/").json()["results"][0]["promises"]
    detail = client.get(f"/api/v1/cases/{case.number}/").json()["promises"]

    # then both read the stored clocks
    respond = Deadline.objects.get(case=case, kind=DeadlineKind.RESPOND)
    assert listed == detail
    assert parse_datetime(detail["respond_by"]) == respond.due_at
    assert parse_datetime(detail["close_by"]) == close.due_at


def test_the_receipt_shows_what_was_received_and_the_promises(client, clerk, center, media):
    center.phone, center.address = "0431-88880000", "长春市南关区人民大街1号"
    center.save()
    case = register(actor=clerk, center=center, attachments=[png("现场照片.png")])
    client.force_login(clerk)

    page = client.get(reverse("intake:receipt", args=[case.number])).content.decode()
    small = client.get(reverse("intake:receipt", args=[case.number]) + "?paper=80mm").content.decode()

    assert case.number in page and "受理回执" in page and "现场照片.png" in page
    assert "30分钟内响应联系" in page and "5个工作日内办结反馈" in page
    assert "0431-88880000" in page and "长春市南关区人民大街1号" in page
    assert "138****" in page and "13812345678" not in page
    assert "paper-a4" in page and "page-a4.css" in page
    assert "paper-80mm" in small and "page-80mm.css" in small


def test_html_in_text_fields_is_escaped_on_every_page(client, clerk, center):
    case = register(actor=clerk, center=center, summary=XSS, description=XSS, parties=[party(XSS)])
    client.force_login(clerk)

    for url in (
        reverse("intake:receipt", args=[case.number]),
        reverse("intake:case_detail", args=[case.number]),
        reverse("intake:today"),
    ):
        page = client.get(url).content.decode()
        assert XSS not in page, url
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page, url


def test_today_lists_masked_parties_and_searches(client, clerk, center):
    applicant = party("孙丽华")
    case = register(actor=clerk, center=center, parties=[applicant])
    register(actor=clerk, center=center, parties=[party("吴敏")])
    client.force_login(clerk)

    page = client.get(reverse("intake:today"), {"q": applicant["phone"]}).content.decode()

    table = page[page.index("<tbody>") :]  # the search box shows the term the clerk typed, the table not
    assert case.number in table and "吴敏" not in table
    assert applicant["phone"] not in table and applicant["id_number"] not in table
    assert f"{applicant['phone'][:3]}****{applicant['phone'][-4:]}" in page
    assert not IdentityView.objects.exists()


def test_the_export_is_masked_and_safe_for_excel(client, clerk, center):
    applicant = party('=HYPERLINK("http://evil")')
    register(actor=clerk, center=center, parties=[applicant])
    client.force_login(clerk)

    response = client.get(reverse("intake:today_export"))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "案件编号" and len(rows) == 2
    assert applicant["phone"] not in text and applicant["id_number"] not in text
    assert "****" in rows[1][9] and "**********" in rows[1][8]
    assert rows[1][7].startswith("'=")  # a formula is neutralised


def test_a_supervisor_sees_todays_list_in_full_and_it_is_logged(client, clerk, supervisor, center):
    applicant = party("孙丽华")
    register(actor=clerk, center=center, parties=[applicant])
    client.force_login(supervisor)

    page = client.get(reverse("intake:today")).content.decode()

    assert applicant["phone"] in page
    assert IdentityView.objects.filter(user=supervisor, context="intake.today").count() == 1


def test_the_duplicate_panel_lists_open_cases_with_the_same_identity(client, clerk, center):
    applicant = party("钱进")
    case = register(actor=clerk, center=center, parties=[applicant])
    client.force_login(clerk)

    page = client.post(
        reverse("intake:duplicates"), {"parties-0-id_number": applicant["id_number"], "parties-0-phone": "1"}
    ).content.decode()
    nothing = client.post(
        reverse("intake:duplicates"), {"parties-0-id_number": resident_id()}
    ).content.decode()

    assert case.number in page and "身份证号相同" in page and "记为重复来访" in page
    assert applicant["phone"] not in page
    assert "未发现相关的在办案件" in nothing


def test_the_desk_can_record_a_repeat_visit_instead(client, clerk, center):
    case = register(actor=clerk, center=center)
    client.force_login(clerk)

    response = client.post(
        reverse("intake:repeat_visit", args=[case.number]),
        form_data(channel="phone", summary="再次来电", description="询问进度"),
    )

    visit = RepeatVisit.objects.get()
    assert response.status_code == 302 and f"?visit={visit.pk}" in response["Location"]
    assert visit.channel == "phone" and "再次来电" in visit.note
    case.refresh_from_db()
    assert case.repeat_count == 1 and Case.objects.count() == 1
    receipt = client.get(response["Location"]).content.decode()
    assert "重复来访登记回执" in receipt and "累计重复来访 1 次" in receipt


def test_a_repeat_visit_outside_the_jurisdiction_is_404(client, clerk, outsider, center):
    case = register(actor=clerk, center=center)
    client.force_login(outsider)

    response = client.post(reverse("intake:repeat_visit", args=[case.number]), {"channel": "walk_in"})

    assert response.status_code == 404 and not RepeatVisit.objects.exists()


def test_pages_of_a_case_outside_the_jurisdiction_are_404(client, clerk, outsider, center):
    case = register(actor=clerk, center=center)
    client.force_login(outsider)

    for name in ("intake:receipt", "intake:case_detail"):
        assert client.get(reverse(name, args=[case.number])).status_code == 404


def test_attachments_are_served_only_inside_the_jurisdiction(client, clerk, outsider, center, media):
    case = register(actor=clerk, center=center, attachments=[png("现场.png")])
    attachment = case.attachments.get()
    url = reverse("intake:attachment", args=[case.number, attachment.pk])
    client.force_login(clerk)

    response = client.get(url)

    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_grid_worker_reports_from_the_phone_page(client, grid_worker, org, media):
    client.force_login(grid_worker)
    page = client.get(reverse("intake:grid_report")).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page

    response = client.post(
        reverse("intake:grid_report"),
        {
            "matter_type": "risk",
            "category": "1205",
            "region": HUAYANG,
            "summary": "工地夜间施工扰民",
            "description": "华阳社区3栋旁工地夜间施工至凌晨",
            "party_name": "",
            "party_phone": "",
            "involved_people": "20",
            "latitude": "43.872100",
            "longitude": "125.339800",
            "photos": [png("IMG_0001.png")],
        },
    )

    case = Case.objects.get()
    assert response.status_code == 302 and "paper=80mm" in response["Location"]
    assert case.channel == "grid_report" and case.grid_cell.code == f"{HUAYANG}01"
    assert case.center == org["centers"][HUAYANG] and case.attachments.count() == 1
    assert str(case.latitude) == "43.872100"


def test_a_grid_report_with_a_disguised_photo_is_refused(client, grid_worker, media):
    client.force_login(grid_worker)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"<html>not an image</html>")
    response = client.post(
        reverse("intake:grid_report"),
        {
            "matter_type": "risk",
            "category": "1205",
            "region": HUAYANG,
            "summary": "a",
            "description": "b",
            "involved_people": "1",
            "photos": [fake],
        },
    )

    assert response.status_code == 200 and "内容与扩展名不符" in response.content.decode()
    assert not Case.objects.exists()


def test_the_navigation_links_exist(client, clerk):
    client.force_login(clerk)

    page = client.get(reverse("intake:today")).content.decode()

    assert reverse("intake:register") in page and reverse("intake:today") in page
    assert reverse("intake:grid_report") == "/intake/grid/report/"


def test_the_duplicate_check_is_never_a_get(client, clerk):
    client.force_login(clerk)

    assert client.get(reverse("intake:duplicates"), {"parties-0-id_number": "x"}).status_code == 405
