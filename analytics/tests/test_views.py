from io import BytesIO

import pytest
from openpyxl import load_workbook

from analytics.models import ReportIssue
from analytics.tests.conftest import HUAYANG, NANGUAN, NANLING, register
from analytics.tests.factories import at
from intake.models import CaseParty, Party
from tests.roles import make_staff

pytestmark = pytest.mark.django_db


def test_dashboard_shows_the_figures_and_embeds_chart_data(client, dataset, supervisor):
    client.force_login(supervisor)

    response = client.get("/analytics/", {"period": "2026-07"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "南关区 · 2026年7月" in html
    assert 'id="analytics-data"' in html and "<script>" not in html.replace("<script src=", "")
    assert response.context["cards"][0]["value"] == 4
    assert f"?region={NANLING}&amp;period=2026-07" in html  # a region links to its own dashboard


def test_dashboard_is_refused_to_a_clerk(client, clerk):
    client.force_login(clerk)

    assert client.get("/analytics/").status_code == 403


def test_dashboard_outside_jurisdiction_is_not_found(client, dataset, org):
    client.force_login(make_staff("sup_nanling", NANLING, "supervisor"))

    assert client.get("/analytics/", {"region": NANGUAN}).status_code == 404
    assert client.get("/analytics/", {"region": NANLING}).status_code == 200


def test_bad_period_falls_back_with_a_message(client, supervisor):
    client.force_login(supervisor)

    response = client.get("/analytics/", {"period": "2026-13"})

    assert response.status_code == 200
    assert "月份应在 01 至 12 之间" in response.content.decode()


def test_drill_down_lists_the_cases_behind_a_category(client, dataset, supervisor, categories):
    client.force_login(supervisor)

    response = client.get(
        "/analytics/cases/",
        {"region": NANGUAN, "period": "2026-07", "dimension": "class", "value": categories["family"].pk},
    )

    numbers = {case.number for case in response.context["page"]}
    assert numbers == {dataset["a"].number, dataset["b"].number}


def test_drill_down_refuses_a_bad_value(client, dataset, supervisor):
    client.force_login(supervisor)

    response = client.get("/analytics/cases/", {"period": "2026-07", "dimension": "kind", "value": "x"})

    assert response.status_code == 404


def test_breakdown_export_opens_with_the_right_rows(client, dataset, supervisor):
    client.force_login(supervisor)

    response = client.get("/analytics/export/breakdowns.xlsx", {"period": "2026-07"})

    workbook = load_workbook(BytesIO(response.content))
    regions = {row[0]: row[1] for row in workbook["按区域"].iter_rows(min_row=2, values_only=True)}
    assert regions["南岭街道"] == 3 and regions["自强街道"] == 1
    assert {"总体情况", "按大类", "按小类", "按渠道", "按分级", "按部门", "化解层级"} <= set(
        workbook.sheetnames
    )


def test_case_export_masks_the_applicant(client, org, supervisor, categories):
    # given a case with a named applicant
    case = register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 7, 3))
    party = Party.objects.create(name="张玉兰", phone="13904311234", id_number="220102198001011234")
    CaseParty.objects.create(case=case, party=party, role="applicant")
    client.force_login(supervisor)

    # when
    response = client.get("/analytics/export/cases.xlsx", {"period": "2026-07"})

    # then
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [case.number]
    assert rows[0][-2:] == ("张**", "139****1234")


def test_issued_report_keeps_its_figures_when_cases_change_later(
    client, dataset, supervisor, org, categories
):
    # given an issued quarterly report
    client.force_login(supervisor)
    response = client.post(
        f"/analytics/report/?region={NANGUAN}&period=2026-Q3",
        {"key_risks": "婚姻家庭纠纷上升", "suggestions": "加强源头排查"},
    )
    issued = ReportIssue.objects.get()
    assert response.status_code == 302 and issued.number == "南关区研判〔2026〕1号"

    # when another case is registered in the quarter
    register(org, supervisor, HUAYANG, categories["marriage"], at(2026, 8, 10))

    # then the live report changes and the issued one does not
    live = client.get("/analytics/report/", {"region": NANGUAN, "period": "2026-Q3"})
    frozen = client.get(f"/analytics/report/{issued.pk}/")
    assert live.context["figures"]["summary"]["current"]["received"] == 5
    assert frozen.context["figures"]["summary"]["current"]["received"] == 4
    assert "加强源头排查" in frozen.content.decode()


def test_report_cannot_be_issued_by_an_admin_without_the_grant(client, dataset, admin_user):
    client.force_login(admin_user)

    response = client.post("/analytics/report/?period=2026-Q3", {"suggestions": "x"})

    assert response.status_code == 403


def test_attention_cases_link_to_a_supervision_notice(client, dataset, supervisor):
    client.force_login(supervisor)

    response = client.get("/analytics/", {"period": "2026-07"})

    html = response.content.decode()
    assert f"/mediation/notices/new/?case={dataset['c'].number}" in html
