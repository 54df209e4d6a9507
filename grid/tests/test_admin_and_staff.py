import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from grid.models import StaffProfile
from grid.services import staff_import
from tests.roles import PASSWORD

ADMIN_PAGES = [
    "/admin/",
    "/admin/grid/region/",
    "/admin/grid/region/?q=南岭",
    "/admin/grid/region/?q=220102",
    "/admin/grid/center/",
    "/admin/grid/department/",
    "/admin/grid/window/",
    "/admin/grid/staffprofile/",
    "/admin/grid/staffprofile/import/",
    "/admin/grid/calendaroverride/",
    "/admin/grid/center/add/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_render_for_an_admin(client, admin_user, url):
    client.force_login(admin_user)

    response = client.get(url)

    assert response.status_code == 200


def test_region_search_in_admin_finds_by_code(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/grid/region/", {"q": "220102001001"})

    assert "华阳社区" in response.content.decode()


def test_admin_autocomplete_for_regions(client, admin_user):
    client.force_login(admin_user)

    response = client.get(
        "/admin/autocomplete/",
        {"term": "华阳", "app_label": "grid", "model_name": "center", "field_name": "region"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["华阳社区（220102001001）"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/grid/center/", "/admin/grid/staffprofile/import/"])
def test_admin_is_refused_for_a_clerk(client, clerk, url):
    client.force_login(clerk)

    response = client.get(url)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_create_staff_command(org):
    call_command(
        "create_staff",
        "new_mediator",
        "--region",
        "220102001000",
        "--role",
        "mediator",
        "--password",
        PASSWORD,
        "--center",
        "220102001000",
    )

    profile = StaffProfile.objects.select_related("user", "center").get(user__username="new_mediator")
    assert profile.center.code == "220102001000"
    assert list(profile.user.groups.values_list("name", flat=True)) == ["mediator"]
    assert profile.user.check_password(PASSWORD)


def test_create_staff_with_unknown_region_fails_clearly(org):
    with pytest.raises(CommandError, match="不存在"):
        call_command("create_staff", "x", "--region", "999999999999", "--role", "clerk")


def test_import_staff_csv(org, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        "username,name,phone,region_code,roles,center,department,grid_cell\n"
        'wang,王一,13900000001,220102000000,"clerk,mediator",220102000000,司法局,\n'
        "zhao,赵二,13900000002,220102001001,grid_worker,,,22010200100101\n",
        encoding="utf-8",
    )

    call_command("import_staff", str(path))

    wang = StaffProfile.objects.get(user__username="wang")
    assert wang.department.name == "司法局"
    assert set(wang.user.groups.values_list("name", flat=True)) == {"clerk", "mediator"}
    assert StaffProfile.objects.get(user__username="zhao").grid_cell.code == "22010200100101"


def test_import_staff_excel(org):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["username", "name", "phone", "region_code", "roles"])
    book.active.append(["li", "李三", "13900000003", "220102001000", "supervisor"])
    buffer = io.BytesIO()
    book.save(buffer)

    assert staff_import(filename="staff.xlsx", content=buffer.getvalue()) == 1
    assert StaffProfile.objects.get(user__username="li").region.code == "220102001000"


def test_import_staff_with_a_bad_row_names_it_and_imports_nothing(org):
    content = (
        "username,name,phone,region_code,roles\nok,好,1,220102000000,clerk\nbad,坏,2,220102000000,wizard\n"
    ).encode()

    with pytest.raises(ValidationError) as error:
        staff_import(filename="s.csv", content=content)

    assert "第 3 行" in error.value.messages[0] and "wizard" in error.value.messages[0]
    assert not StaffProfile.objects.filter(user__username="ok").exists()


def test_admin_can_import_staff_in_the_web_admin(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    upload = SimpleUploadedFile(
        "s.csv", "username,name,phone,region_code,roles\nweb,网,1,220102000000,clerk\n".encode()
    )

    response = client.post("/admin/grid/staffprofile/import/", {"file": upload})

    assert response.status_code == 302
    assert StaffProfile.objects.filter(user__username="web").exists()
