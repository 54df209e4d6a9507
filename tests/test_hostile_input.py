"""Hostile input: script and HTML in every text field are stored as typed and escaped on every page and in
exports, SQL metacharacters are plain text, and huge or malformed uploads are refused cleanly."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from intake.categories import categories_seed
from intake.models import Attachment, Case, Party
from intake.tests.factories import PDF, PNG, desk_form, party
from tests.browser import login, screenshot
from tests.roles import HUAYANG

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE intake_case; --"
HOSTILE = f"{SCRIPT}{IMG}{SQL}"
# Opened in Excel, a cell starting with "=" would run (formula injection).
FORMULA = '=HYPERLINK("http://evil.example","点此查看")'


def hostile_body(**overrides) -> dict:
    """A case whose every free-text field (summary, description, parties' names and addresses) is hostile."""
    return {
        "channel": "walk_in",
        "category": "0104",
        "region": HUAYANG,
        "summary": f"漏水{HOSTILE}",
        "description": f"{HOSTILE}\n{HOSTILE}",
        "parties": [
            party(HOSTILE, address=HOSTILE),
            party(f"李{SCRIPT}", "respondent", address=f"华阳小区{IMG}"),
        ],
    } | overrides


@pytest.fixture
def hostile(clerk, center) -> dict[str, Case]:
    """Registered through the API: one case with script, HTML and SQL, one whose text starts with "="."""
    categories_seed()
    api = APIClient()
    api.force_authenticate(clerk)
    numbers = {}
    for name, body in (
        ("html", hostile_body()),
        ("formula", hostile_body(summary=FORMULA, parties=[party("=1+2", address=FORMULA)])),
    ):
        response = api.post("/api/v1/cases/", body, format="json")
        assert response.status_code == 201, response.content
        numbers[name] = Case.objects.get(number=response.json()["number"])
    return numbers


def assert_escaped(html: str) -> None:
    for raw in (SCRIPT, IMG, "<img src=x"):
        assert raw not in html
    assert escape(SCRIPT) in html


def test_hostile_text_is_stored_as_typed(hostile):
    # then the SQL ran nowhere: the table is there and holds the text character for character
    case = Case.objects.get(pk=hostile["html"].pk)
    assert case.summary == f"漏水{HOSTILE}" and case.description == f"{HOSTILE}\n{HOSTILE}"
    assert Party.objects.filter(name=HOSTILE, address=HOSTILE).count() == 1
    assert "intake_case" in connection.introspection.table_names()


def test_sql_metacharacters_in_searches_are_plain_text(hostile, clerk, client):
    api = APIClient()
    api.force_authenticate(clerk)
    # when a clerk searches with SQL metacharacters in the API and on the desk
    found = api.get("/api/v1/cases/", {"q": SQL})
    client.force_login(clerk)
    page = client.get(reverse("intake:today"), {"q": SQL})
    # then they are matched as text
    assert found.status_code == 200
    assert [row["number"] for row in found.json()["results"]] == [hostile["html"].number]
    assert page.status_code == 200 and Case.objects.count() == 2


PAGES = [
    ("intake:today", "clerk", False),
    ("intake:receipt", "clerk", True),
    ("intake:case_detail", "clerk", True),
    ("dispatch:case", "supervisor", True),
    ("dispatch:triage_board", "supervisor", False),
    ("mediation:workspace", "supervisor", True),
    ("analytics:cases", "supervisor", False),
]


@pytest.mark.parametrize(("url_name", "username", "by_number"), PAGES)
def test_every_page_escapes_hostile_text(hostile, request, client, url_name, username, by_number):
    # given someone who may see the case
    client.force_login(request.getfixturevalue(username))
    case = hostile["html"]
    # when they open the page
    response = client.get(reverse(url_name, args=[case.number] if by_number else []))
    # then it renders, with the hostile text shown as text
    assert response.status_code == 200
    assert_escaped(response.content.decode())


def test_api_returns_hostile_text_as_data(hostile, clerk):
    api = APIClient()
    api.force_authenticate(clerk)
    data = api.get(f"/api/v1/cases/{hostile['html'].number}/").json()
    assert data["summary"] == f"漏水{HOSTILE}"
    assert [p["name"] for p in data["parties"]] == [HOSTILE, f"李{SCRIPT}"]


def test_desk_csv_export_keeps_text_and_defuses_formulas(hostile, clerk, client):
    # when the clerk exports today's list
    client.force_login(clerk)
    response = client.get(reverse("intake:today_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_number = {row[0]: row for row in rows[1:]}
    # then the hostile text is there literally, and the "=" cell is text for Excel (a leading apostrophe)
    assert by_number[hostile["html"].number][6] == f"漏水{HOSTILE}"
    assert HOSTILE in by_number[hostile["html"].number][7]
    assert by_number[hostile["formula"].number][6] == f"'{FORMULA}"


def _xlsx_cells(client) -> dict[str, list]:
    response = client.get(reverse("analytics:export_cases"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return {row[0].value: list(row) for row in sheet.iter_rows(min_row=2)}


def test_excel_export_keeps_hostile_text_literal(hostile, supervisor, client):
    client.force_login(supervisor)
    cells = _xlsx_cells(client)
    summary = cells[hostile["html"].number][7]
    assert summary.value == f"漏水{HOSTILE}" and summary.data_type == "s"


def test_excel_export_never_writes_a_formula(hostile, supervisor, client):
    client.force_login(supervisor)
    cells = _xlsx_cells(client)
    # then neither the summary nor the masked name (=1+2 → =***) is a formula
    assert [cell.data_type for cell in cells[hostile["formula"].number] if cell.data_type == "f"] == []


# --- uploads

MB = 1024 * 1024
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 512


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("材料.pdf", PDF + b"0" * (11 * MB)), "超过 10 MB"),
        (SimpleUploadedFile("发票.pdf", EXE), "内容与扩展名不符"),
        (SimpleUploadedFile("现场.png", PNG[:4]), "内容与扩展名不符"),
        (SimpleUploadedFile("空.jpg", b""), "空文件"),
        (SimpleUploadedFile("run.exe", EXE), "文件类型不支持"),
    ],
    ids=["11MB", "exe-renamed-pdf", "truncated-png-header", "empty", "exe"],
)
def test_desk_refuses_bad_uploads_with_a_form_error(clerk, client, media, upload, message):
    # given a clerk filling a complete form
    categories_seed()
    client.force_login(clerk)
    # when the attachment is huge or not what its name says
    response = client.post(reverse("intake:register"), desk_form(attachments=upload))
    # then the form comes back with the error beside it, and nothing is saved
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists() and not Attachment.objects.exists()
    assert stored_files(media) == []


def test_desk_refuses_a_png_cut_short_after_its_signature(clerk, client, media):
    categories_seed()
    client.force_login(clerk)
    truncated = SimpleUploadedFile("现场.png", PNG[:8] + b"\x00\x00\x00\rIHDR\x00\x00")
    response = client.post(reverse("intake:register"), desk_form(attachments=truncated))
    assert response.status_code == 200 and not Case.objects.exists()


def test_api_refuses_a_huge_body_cleanly(clerk, media):
    categories_seed()
    api = APIClient()
    api.force_authenticate(clerk)
    # when an 11 MB description is posted
    response = api.post("/api/v1/cases/", hostile_body(description="纠" * (11 * MB // 3)), format="json")
    # then a 4xx naming the problem, nothing saved
    assert 400 <= response.status_code < 500
    assert not Case.objects.exists()


def test_api_refuses_a_multipart_upload_cleanly(clerk, media):
    categories_seed()
    api = APIClient()
    api.force_authenticate(clerk)
    # when a client sends a case as a form with an 11 MB "attachment" (the API takes JSON cases only)
    body = {"summary": "漏水", "attachments": SimpleUploadedFile("a.pdf", PDF + b"0" * (11 * MB))}
    response = api.post("/api/v1/cases/", body, format="multipart")
    # then a 4xx, nothing saved
    assert 400 <= response.status_code < 500
    assert not Case.objects.exists() and stored_files(media) == []


# --- in a real browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_script_runs_on_any_page(page, live_server, hostile, clerk, supervisor):
    # given a listener for alert/confirm/prompt dialogs, which an injected script would open
    fired: list[str] = []
    page.on("dialog", lambda dialog: (fired.append(dialog.message), dialog.dismiss()))
    case = hostile["html"]
    visits = [
        ("clerk", reverse("intake:today")),
        ("clerk", reverse("intake:receipt", args=[case.number])),
        ("clerk", reverse("intake:case_detail", args=[case.number])),
        ("supervisor", reverse("dispatch:case", args=[case.number])),
        ("supervisor", reverse("mediation:workspace", args=[case.number])),
        ("supervisor", reverse("analytics:cases")),
    ]
    # when each page is opened by someone who may see it
    for username, path in visits:
        page.context.clear_cookies()
        login(page, live_server, username)
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        # then the hostile text is visible as text and no script ran
        assert SCRIPT in page.locator("body").inner_text(), path
        assert page.locator("img[src=x]").count() == 0, path
        screenshot(page, f"hostile-{path.strip('/').replace('/', '-')[:60]}")
    assert fired == []
